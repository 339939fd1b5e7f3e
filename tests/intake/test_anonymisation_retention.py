"""Retention: `anonymiser_demandes` erases the personal data of demandes closed too long ago,
everywhere in the database (history rows included), and keeps the statistics."""

import datetime

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from intake.donnees_personnelles.anonymisation import anonymiser, demandes_expirees
from intake.models import Anonymisation, Demande, EntreeJournal, PieceJointe
from intake.statistiques import calculs as statistiques
from operations.models import ExecutionTache
from tests.factories import DemandeFactory

PERSONNEL = {
    "demandeur_nom": "Zébulon-Tartempion",
    "demandeur_prenom": "Philibertine",
    "demandeur_fonction": "Conseillère déléguée aux lavoirs",
    "demandeur_email": "philibertine.zt@mairie-exemple.test",
    "demandeur_telephone": "06 98 76 54 32",
    "message": "Restauration du lavoir au lieu-dit Les Grèzes-Hautes, parcelle ZK 0042.",
}
ANCIEN_COURRIEL = "ancienne.adresse.zt@mairie-exemple.test"
VALEURS = [*PERSONNEL.values(), ANCIEN_COURRIEL, "Les Grèzes-Hautes"]


@pytest.fixture
def retention(settings, db):
    settings.INTAKE_RETENTION_JOURS = 30
    return 30


def demande_close(jours, **extra):
    return DemandeFactory(
        statut=Demande.Statut.TERMINE,
        cloturee_le=timezone.now() - datetime.timedelta(days=jours),
        premier_contact_le=timezone.localdate() - datetime.timedelta(days=jours + 20),
        created_at=timezone.now() - datetime.timedelta(days=jours + 25),
        **extra,
    )


@pytest.fixture
def expiree(retention, expert_hgi, organisation):
    demande = demande_close(
        31, **{**PERSONNEL, "demandeur_email": ANCIEN_COURRIEL}, direction=organisation["hgi_juridique"]
    )
    # A second version: the person changed address, the change reason quotes her.
    demande.demandeur_email = PERSONNEL["demandeur_email"]
    demande.motif = "Terminé après l'appel de Philibertine Zébulon-Tartempion."
    demande._change_reason = "Courriel corrigé à la demande de Philibertine Zébulon-Tartempion"
    demande.save()
    entree = EntreeJournal.objects.create(
        demande=demande,
        auteur=expert_hgi,
        type=EntreeJournal.Type.APPEL,
        message="Appel de Philibertine Zébulon-Tartempion (06 98 76 54 32) : lavoir des Grèzes-Hautes.",
    )
    entree.message += " Rappel prévu."
    entree.save()
    piece = PieceJointe(demande=demande, nom_original="lavoir-zebulon.pdf", type_mime="application/pdf", taille=4)
    piece.fichier.save("lavoir-zebulon.pdf", ContentFile(b"%PDF"), save=False)
    piece.save()
    return demande


def occurrences(valeurs):
    """Every (table, value) where one of the values still appears, in every text column of the database."""
    trouvees = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for ligne in cursor.fetchall():
                for cellule in ligne:
                    if isinstance(cellule, (bytes, memoryview)):
                        cellule = bytes(cellule).decode("utf-8", "ignore")
                    if not isinstance(cellule, str):
                        continue
                    for valeur in valeurs:
                        if valeur.lower() in cellule.lower():
                            trouvees.add((table, valeur))
    return trouvees


def test_the_fixture_does_hold_the_values_in_the_demande_history_and_journal(expiree):
    tables = {table for table, _ in occurrences(VALEURS)}
    assert {
        "intake_demande",
        "intake_historicaldemande",
        "intake_entreejournal",
        "intake_historicalentreejournal",
    } <= tables


def test_it_leaves_no_personal_value_anywhere_in_the_database(expiree, django_capture_on_commit_callbacks):
    chemin = PieceJointe.objects.get(demande=expiree).fichier
    stockage, nom = chemin.storage, chemin.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("anonymiser_demandes", stdout=open("/dev/null", "w"))
    assert occurrences(VALEURS) == set()
    assert not PieceJointe.objects.filter(demande=expiree).exists()
    assert not stockage.exists(nom)


def test_it_marks_journal_messages_and_keeps_the_history_rows(expiree):
    versions = expiree.history.count()
    anonymiser(expiree)
    entree = EntreeJournal.objects.get(demande=expiree)
    assert entree.message.startswith("Message supprimé lors de l'anonymisation")
    assert set(EntreeJournal.history.filter(id=entree.pk).values_list("message", flat=True)) == {entree.message}
    assert expiree.history.count() == versions
    assert Anonymisation.objects.get(demande=expiree).motif == Anonymisation.Motif.RETENTION


def test_it_keeps_the_statistics_intact(expiree, organisation):
    demande_close(5)
    DemandeFactory()
    filtres = statistiques.Filtres(debut=timezone.localdate() - datetime.timedelta(days=400), fin=timezone.localdate())
    avant = statistiques.calculer(filtres)
    call_command("anonymiser_demandes", stdout=open("/dev/null", "w"))
    apres = statistiques.calculer(filtres)
    assert apres.total == avant.total == 3
    assert {slug: t.lignes for slug, t in apres.tableaux.items()} == {
        slug: t.lignes for slug, t in avant.tableaux.items()
    }
    assert apres.delais == avant.delais
    expiree.refresh_from_db()
    assert (expiree.statut, expiree.direction, expiree.collectivite_id) == (
        Demande.Statut.TERMINE,
        organisation["hgi_juridique"],
        expiree.collectivite_id,
    )


def test_it_spares_recent_closed_open_and_rejected_demandes(retention):
    recente = demande_close(29)
    ouverte = DemandeFactory(statut=Demande.Statut.EN_COURS, created_at=timezone.now() - datetime.timedelta(days=400))
    rejetee = DemandeFactory(statut=Demande.Statut.REJETE, cloturee_le=None)
    call_command("anonymiser_demandes", stdout=open("/dev/null", "w"))
    for demande in (recente, ouverte, rejetee):
        demande.refresh_from_db()
        assert demande.demandeur_nom == "Martin"
    assert not Anonymisation.objects.exists()


def test_dry_run_changes_nothing_and_lists_the_demandes(expiree, capsys):
    avant = occurrences(VALEURS)
    call_command("anonymiser_demandes", "--dry-run")
    sortie = capsys.readouterr().out
    assert f"n° {expiree.numero}" in sortie
    assert "Simulation" in sortie
    assert occurrences(VALEURS) == avant
    assert PieceJointe.objects.filter(demande=expiree).exists()
    assert not Anonymisation.objects.exists()


def test_it_logs_what_it_did_and_runs_only_once(expiree, caplog, capsys):
    with caplog.at_level("INFO", logger="intake.donnees_personnelles.anonymisation"):
        call_command("anonymiser_demandes")
    assert f"Demande n°{expiree.numero} anonymisée" in caplog.text
    assert "1 demande(s) anonymisées" in capsys.readouterr().out
    assert not demandes_expirees().exists()
    call_command("anonymiser_demandes")
    assert "0 demande(s) anonymisées" in capsys.readouterr().out


def test_notifications_of_the_demande_are_blanked_when_the_outbox_exists(expiree):
    try:
        Notification = apps.get_model("intake", "Notification")
    except LookupError:
        pytest.skip("Modèle Notification absent de cette branche (ajouté par la boîte d'envoi de l'intake).")
    from django.db import models

    valeurs = {}
    for champ in Notification._meta.concrete_fields:
        if champ.name == "demande":
            valeurs["demande"] = expiree
        elif isinstance(champ, models.JSONField):
            valeurs[champ.name] = [PERSONNEL["demandeur_email"]]
        elif isinstance(champ, (models.CharField, models.TextField)) and not champ.choices and not champ.primary_key:
            valeurs[champ.name] = f"Bonjour Philibertine Zébulon-Tartempion, {PERSONNEL['demandeur_email']}"[
                : champ.max_length or None
            ]
    try:
        Notification._default_manager.create(**valeurs)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Notification impossible à créer génériquement : {exc}")
    anonymiser(expiree)
    assert occurrences(VALEURS) == set()


def test_administrators_see_the_anonymisations_and_the_backlog(client, administrateur, expiree):
    client.force_login(administrateur)
    response = client.get("/admin/statistiques/anonymisations/")
    assert response.status_code == 200
    assert response.context["en_attente"] == 1
    anonymiser(expiree)
    response = client.get("/admin/statistiques/anonymisations/")
    assert response.context["en_attente"] == 0
    assert f"n° {expiree.numero}" in response.content.decode()


def test_a_chef_de_file_does_not_see_the_anonymisations(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get("/admin/statistiques/anonymisations/")
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_scheduled_run_is_recorded_and_a_manual_dry_run_is_not(expiree):
    call_command("anonymiser_demandes", "--dry-run", stdout=open("/dev/null", "w"))
    assert not ExecutionTache.objects.filter(tache="anonymiser_demandes").exists()
    call_command("tache", "anonymiser_demandes", stdout=open("/dev/null", "w"))
    run = ExecutionTache.objects.get(tache="anonymiser_demandes")
    assert run.succes and run.message.startswith("1 demande(s) anonymisées (conservation")


def demande_rejetee(jours_sans_activite, **extra):
    """A Rejeté demande nobody touched for `jours_sans_activite` days (updated_at is auto_now: set by update())."""
    demande = DemandeFactory(
        statut=Demande.Statut.REJETE,
        cloturee_le=None,
        motif="Aucun expert compétent.",
        created_at=timezone.now() - datetime.timedelta(days=jours_sans_activite + 10),
        **extra,
    )
    Demande.objects.filter(pk=demande.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=jours_sans_activite)
    )
    return demande


def test_it_anonymises_a_demande_left_rejected_longer_than_the_retention_period(retention):
    rejetee = demande_rejetee(31, **PERSONNEL)
    call_command("anonymiser_demandes", stdout=open("/dev/null", "w"))
    rejetee.refresh_from_db()
    assert rejetee.demandeur_email == ""
    assert rejetee.message.startswith("Message supprimé lors de l'anonymisation")
    assert rejetee.statut == Demande.Statut.REJETE
    assert Anonymisation.objects.get(demande=rejetee).motif == Anonymisation.Motif.RETENTION
    assert occurrences([PERSONNEL["demandeur_email"], PERSONNEL["demandeur_nom"]]) == set()


def test_it_spares_a_rejected_demande_changed_within_the_retention_period(retention):
    rejetee = demande_rejetee(29)
    assert rejetee not in demandes_expirees()


def test_it_spares_a_rejected_demande_with_a_recent_journal_entry(retention, expert_hgi):
    rejetee = demande_rejetee(200)
    EntreeJournal.objects.create(
        demande=rejetee,
        auteur=expert_hgi,
        type=EntreeJournal.Type.APPEL,
        message="La commune a rappelé.",
        created_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert rejetee not in demandes_expirees()
    EntreeJournal.objects.filter(demande=rejetee).update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert rejetee in demandes_expirees()


def test_it_spares_a_rejected_demande_redirected_since(retention, administrateur, organisation):
    rejetee = demande_rejetee(100)
    rejetee.router(by=administrateur, direction=organisation["hgi_juridique"], reason="Orientée vers HGI")
    # Even with an old last change, an open (redirected) demande waits for its closing.
    Demande.objects.filter(pk=rejetee.pk).update(updated_at=timezone.now() - datetime.timedelta(days=100))
    assert rejetee not in demandes_expirees()
