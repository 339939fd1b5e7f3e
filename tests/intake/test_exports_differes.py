"""Exports of the list: every one is written in the access log; above the threshold they are
queued, built by `generer_exports` in the user's scope of build time, and given to their owner only."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.models import Membre
from intake.models import AccesDemande, Export
from intake.suivi.exports import COLONNES
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_hgi

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"  # exports below ask for the whole list (?mes=toutes)
MES_EXPORTS = "/admin/intake/exports/"
COURRIEL = len(COLONNES) + 3


@pytest.fixture
def deux_demandes(organisation):
    return [
        demande_hgi(organisation, demandeur_email="maire@hgi.test"),
        DemandeFactory(direction=organisation["caue_direction"], demandeur_email="maire@caue.test"),
    ]


@pytest.fixture
def seuil_bas(settings):
    settings.INTAKE_EXPORT_SYNCHRONE_MAX = 1


def _telecharger(client, export):
    return client.get(f"/admin/intake/exports/{export.pk}/telecharger/")


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_a_small_export_is_answered_at_once_and_logged(client, deux_demandes, chef_hgi, format_):
    client.force_login(chef_hgi)
    response = client.get(LIST_URL + f"?mes=toutes&export={format_}")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    acces = AccesDemande.objects.get()
    assert acces.nature == f"export_{format_}"
    assert acces.user == chef_hgi and acces.demande is None
    assert acces.nombre == 2
    assert not Export.objects.exists()


def test_the_access_log_page_shows_exports(client, deux_demandes, chef_hgi, administrateur):
    client.force_login(chef_hgi)
    b"".join(client.get(LIST_URL + "?mes=toutes&export=csv").streaming_content)
    client.force_login(administrateur)
    page = client.get("/admin/statistiques/acces/").content.decode()
    assert "Export CSV" in page


def test_a_large_export_is_queued_with_a_message(client, deux_demandes, chef_hgi, seuil_bas):
    client.force_login(chef_hgi)
    response = client.get(LIST_URL + "?mes=toutes&export=xlsx", follow=True)
    assert response.status_code == 200
    assert "Votre export est en préparation ; il sera disponible dans « Mes exports »" in response.content.decode()
    export = Export.objects.get()
    assert (export.user, export.format, export.statut) == (chef_hgi, "xlsx", Export.Statut.EN_ATTENTE)
    assert not AccesDemande.objects.exists()  # nothing left the server yet


def test_asking_twice_for_the_same_export_queues_it_once(client, deux_demandes, chef_hgi, seuil_bas):
    client.force_login(chef_hgi)
    client.get(LIST_URL + "?mes=toutes&export=csv")
    client.get(LIST_URL + "?mes=toutes&export=csv")
    assert Export.objects.count() == 1


def test_the_command_builds_it_and_only_its_owner_downloads_it(client, deux_demandes, chef_hgi, chef_caue, seuil_bas):
    hgi, caue = deux_demandes
    client.force_login(chef_hgi)
    client.get(LIST_URL + "?mes=toutes&export=xlsx")
    call_command("generer_exports", stdout=io.StringIO())
    export = Export.objects.get()
    assert export.statut == Export.Statut.PRET and export.nombre == 2
    assert "Télécharger" in client.get(MES_EXPORTS).content.decode()

    response = _telecharger(client, export)
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    par_numero = {row[0]: row for row in rows[1:]}
    assert par_numero[hgi.numero][COURRIEL] == "maire@hgi.test"
    assert par_numero[caue.numero][COURRIEL] in (None, "")  # not in chef_hgi's scope
    acces = AccesDemande.objects.get()
    assert (acces.user, acces.nature, acces.nombre) == (chef_hgi, "export_xlsx", 2)

    client.force_login(chef_caue)
    assert _telecharger(client, export).status_code == 404
    assert f"/admin/intake/exports/{export.pk}/" not in client.get(MES_EXPORTS).content.decode()
    assert AccesDemande.objects.count() == 1


def test_the_export_keeps_the_filters_of_the_list(client, organisation, chef_hgi, seuil_bas):
    gardee = demande_hgi(organisation, statut="en_cours")
    demande_hgi(organisation)
    demande_hgi(organisation)
    client.force_login(chef_hgi)
    client.get(LIST_URL + "?statut__exact=en_cours&export=csv")
    assert Export.objects.exists() is False  # one row: under the threshold, answered at once
    client.get(LIST_URL + "?statut__exact=attribue_chef_de_file&export=csv")
    call_command("generer_exports", stdout=io.StringIO())
    texte = b"".join(_telecharger(client, Export.objects.get()).streaming_content).decode("utf-8-sig")
    numeros = [row[0] for row in csv.reader(io.StringIO(texte), delimiter=";")][1:]
    assert len(numeros) == 2 and str(gardee.numero) not in numeros


def test_the_scope_is_checked_again_when_the_export_is_built(client, deux_demandes, chef_hgi, seuil_bas):
    client.force_login(chef_hgi)
    client.get(LIST_URL + "?mes=toutes&export=csv")
    Membre.objects.filter(user=chef_hgi).delete()  # no longer a back-office user
    call_command("generer_exports", stdout=io.StringIO())
    export = Export.objects.get()
    assert export.statut == Export.Statut.ECHEC and not export.fichier
    assert "plus accès" in export.erreur


def test_personal_data_follows_the_scope_of_build_time(client, deux_demandes, chef_hgi, organisation, seuil_bas):
    hgi, _ = deux_demandes
    client.force_login(chef_hgi)
    client.get(LIST_URL + "?mes=toutes&export=csv")
    hgi.direction = organisation["caue_direction"]
    hgi.save()
    call_command("generer_exports", stdout=io.StringIO())
    texte = b"".join(_telecharger(client, Export.objects.get()).streaming_content).decode("utf-8-sig")
    assert "maire@hgi.test" not in texte


def test_expired_exports_are_deleted_with_their_file(client, deux_demandes, chef_hgi, seuil_bas):
    client.force_login(chef_hgi)
    client.get(LIST_URL + "?mes=toutes&export=csv")
    call_command("generer_exports", stdout=io.StringIO())
    export = Export.objects.get()
    stockage, nom = export.fichier.storage, export.fichier.name
    assert stockage.exists(nom)
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25),
        termine_le=timezone.now() - datetime.timedelta(hours=25),
    )
    assert _telecharger(client, export).status_code == 404
    call_command("generer_exports", stdout=io.StringIO())
    assert not Export.objects.exists()
    assert not stockage.exists(nom)


def test_the_menu_shows_my_exports_to_back_office_users_only(client, chef_hgi, editeur):
    client.force_login(chef_hgi)
    assert MES_EXPORTS in client.get("/admin/").content.decode()
    assert client.get(MES_EXPORTS).status_code == 200
    client.force_login(editeur)
    assert MES_EXPORTS not in client.get("/admin/").content.decode()
    assert client.get(MES_EXPORTS).status_code == 404


def test_the_exports_loop_survives_a_failing_pass(monkeypatch):
    from django.core.management import call_command
    from django.db import OperationalError

    from intake.suivi import exports as module_exports
    from operations.management.commands import tache

    passages = []

    def nettoyer():
        passages.append(1)
        if len(passages) == 1:
            raise OperationalError("database is locked")
        return 0

    class Arret(Exception):
        pass

    def sommeil(_secondes):
        if len(passages) >= 2:
            raise Arret

    monkeypatch.setattr(module_exports, "nettoyer", nettoyer)
    monkeypatch.setattr(tache.time, "sleep", sommeil)
    with pytest.raises(Arret):
        call_command("tache", "generer_exports", "--boucle", "0", stdout=io.StringIO(), stderr=io.StringIO())
    assert len(passages) == 2
