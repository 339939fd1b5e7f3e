"""The commune's tracking page: plain-French steps, who is in charge,
the first contact; the commune writes to its experts from the link, the experts write back from
the journal; internal notes never show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Membre
from intake.models import Demande, EntreeJournal, Notification
from intake.suivi.commune import STATUTS_PUBLICS
from tests.intake.backoffice_support import demande_hgi, inspect_url
from tests.intake.depot_helpers import _cache_vide  # noqa: F401  (a fresh rate-limit cache per test)

S = Demande.Statut
pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _page(client, demande):
    response = client.get(f"/suivi/{demande.jeton_suivi}/")
    assert response.status_code == 200
    return response.content.decode()


def _ecrire(client, demande, **donnees):
    return client.post(f"/suivi/{demande.jeton_suivi}/message/", donnees)


def test_every_back_office_status_has_a_plain_french_explanation():
    assert set(STATUTS_PUBLICS) == set(S.values)


@pytest.mark.parametrize("statut", list(S.values))
def test_the_page_shows_the_plain_french_step_and_no_raw_status(client, organisation, expert_hgi, statut):
    demande = demande_hgi(organisation, statut=statut, expert_referent=expert_hgi, motif="Le conseil municipal renonce")
    contenu = _page(client, demande)
    assert STATUTS_PUBLICS[statut][2].replace("'", "&#x27;") in contenu
    for brut in (
        "Attribué chef de file",
        "Réceptionné",
        "Attribué expert(s)",
        "Attribué administrateur",
        "chef de file",
    ):
        assert brut not in contenu
    assert contenu.count('aria-current="step"') == 1


def test_the_current_step_is_marked_and_the_next_ones_are_to_come(client, organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    contenu = _page(client, demande)
    courante = contenu[: contenu.index('aria-current="step"')]
    assert courante.count("suivi-etape--faite") == 3
    assert "Étape 4 sur 5 : En cours." in contenu
    assert "suivi-etape--a_venir" in contenu


def test_a_rejected_demande_shows_the_outcome_with_the_motif(client, organisation):
    demande = demande_hgi(organisation, statut=S.REJETE, motif="Aucun expert compétent")
    contenu = _page(client, demande)
    assert "Rejetée" in contenu and "Motif : Aucun expert compétent" in contenu
    assert "suivi-etape--issue" in contenu


def test_a_send_back_reason_stays_internal(client, organisation):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, motif="Renvoi : hors de notre champ")
    assert "hors de notre champ" not in _page(client, demande)


def test_the_page_says_who_is_in_charge_and_the_first_contact(client, organisation, expert_hgi):
    expert_hgi.first_name, expert_hgi.last_name = "Julie", "Expert"
    expert_hgi.save()
    Membre.objects.filter(user=expert_hgi).update(fonction="Juriste")
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi)
    contenu = _page(client, demande)
    assert "Haute-Garonne Ingénierie" in contenu and "Direction assistance juridique et financière" in contenu
    assert "Julie Expert, Juriste" in contenu
    assert "à faire au plus tard le" in contenu
    demande.premier_contact_le = demande.created_at.date()
    demande.save()
    assert "effectué le" in _page(client, demande)


def test_the_page_extends_the_site_and_links_its_stylesheet(client, organisation):
    contenu = _page(client, demande_hgi(organisation))
    assert 'class="lien-evitement"' in contenu and "css/suivi" in contenu


# --- The commune writes ----------------------------------------------------------------------


def test_the_commune_s_reply_lands_in_the_journal_and_tells_the_referent(client, organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    document = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    response = _ecrire(client, demande, message="Voici le plan du bourg.", fichiers=document)
    assert response.status_code == 302
    [entree] = EntreeJournal.objects.filter(demande=demande)
    assert entree.type == EntreeJournal.Type.MESSAGE_COLLECTIVITE and entree.auteur is None
    assert entree.message == "Voici le plan du bourg."
    assert [pj.nom_original for pj in entree.pieces_jointes.all()] == ["plan.pdf"]
    [avis] = Notification.objects.filter(kind="message_collectivite")
    assert avis.to == [expert_hgi.email]
    assert inspect_url(demande) in avis.body
    contenu = _page(client, demande)
    assert "Voici le plan du bourg." in contenu and "<strong>Vous</strong>" in contenu
    document = client.get(f"/suivi/{demande.jeton_suivi}/documents/{entree.pieces_jointes.get().pk}/")
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF


def test_without_referent_the_chefs_de_file_are_told(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    _ecrire(client, demande, message="Avez-vous bien reçu notre demande ?")
    [avis] = Notification.objects.filter(kind="message_collectivite")
    assert avis.to == sorted([chef_hgi.email, "dajf@hgi.test"])


def test_a_reply_with_bad_input_keeps_the_text_and_says_why_in_french(client, organisation):
    demande = demande_hgi(organisation)
    faux = SimpleUploadedFile("virus.exe", b"MZ\x90\x00binaire", content_type="application/pdf")
    response = _ecrire(client, demande, message="Mon texte à garder", fichiers=faux)
    assert response.status_code == 400
    contenu = response.content.decode()
    assert (
        "Mon texte à garder" in contenu and "Votre message n'est pas envoyé" in contenu and "format accepté" in contenu
    )
    assert EntreeJournal.objects.count() == 0 and Notification.objects.count() == 0
    vide = _ecrire(client, demande, message="   ")
    assert vide.status_code == 400 and "Écrivez votre message." in vide.content.decode()


def test_the_reply_is_rate_limited_with_a_french_message(client, organisation, settings):
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "suivi": (2, 3600)}
    demande = demande_hgi(organisation)
    assert _ecrire(client, demande, message="Un").status_code == 302
    assert _ecrire(client, demande, message="Deux").status_code == 302
    response = _ecrire(client, demande, message="Trois, à garder")
    assert response.status_code == 429
    contenu = response.content.decode()
    assert "beaucoup de messages en peu de temps" in contenu and "Trois, à garder" in contenu
    assert EntreeJournal.objects.count() == 2


def test_a_closed_demande_offers_no_form_and_refuses_the_post(client, organisation):
    demande = demande_hgi(organisation, statut=S.TERMINE)
    assert "intake_suivi_message" not in _page(client, demande)
    assert f"/suivi/{demande.jeton_suivi}/message/" not in _page(client, demande)
    assert _ecrire(client, demande, message="Encore une question").status_code == 400
    assert EntreeJournal.objects.count() == 0


def test_the_form_needs_the_csrf_token(organisation):
    from django.test import Client

    demande = demande_hgi(organisation)
    response = Client(enforce_csrf_checks=True).post(f"/suivi/{demande.jeton_suivi}/message/", {"message": "Bonjour"})
    assert response.status_code == 403
    assert EntreeJournal.objects.count() == 0


def test_an_unknown_link_cannot_write(client, organisation):
    demande_hgi(organisation)
    assert client.post("/suivi/inconnu-mais-bien-forme-0123456789/message/", {"message": "x"}).status_code == 404
    assert EntreeJournal.objects.count() == 0


# --- The experts write back; internal notes stay internal ----------------------------------


def test_internal_journal_entries_and_their_documents_never_show(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    note = demande.ajouter_entree_journal(
        by=chef_hgi,
        type=EntreeJournal.Type.NOTE,
        message="Note interne sur le maire",
        fichiers=[SimpleUploadedFile("interne.pdf", PDF, content_type="application/pdf")],
    )
    contenu = _page(client, demande)
    assert "Note interne" not in contenu and "interne.pdf" not in contenu
    piece = note.pieces_jointes.get()
    assert client.get(f"/suivi/{demande.jeton_suivi}/documents/{piece.pk}/").status_code == 404


def test_another_demande_s_document_is_not_served_by_this_link(client, organisation):
    demande, autre = demande_hgi(organisation), demande_hgi(organisation)
    _ecrire(
        client,
        autre,
        message="Document de l'autre",
        fichiers=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    piece = EntreeJournal.objects.get(demande=autre).pieces_jointes.get()
    assert client.get(f"/suivi/{demande.jeton_suivi}/documents/{piece.pk}/").status_code == 404


def test_a_message_to_the_commune_is_emailed_once_and_shown_on_the_page(client, organisation, expert_hgi):
    expert_hgi.first_name, expert_hgi.last_name = "Julie", "Expert"
    expert_hgi.save()
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/",
        {"type": "note", "message": "Nous passerons mardi à 10 h.", "envoyer_collectivite": "on"},
    )
    assert response.status_code == 302
    entree = EntreeJournal.objects.get(demande=demande)
    assert entree.type == EntreeJournal.Type.MESSAGE_A_LA_COLLECTIVITE
    [avis] = Notification.objects.filter(to=[demande.demandeur_email])
    assert avis.kind == "message_a_la_collectivite"
    assert "Nous passerons mardi à 10 h." in avis.body and f"/suivi/{demande.jeton_suivi}/" in avis.body
    client.logout()
    contenu = _page(client, demande)
    assert "Nous passerons mardi à 10 h." in contenu
    assert "Julie Expert, Haute-Garonne Ingénierie" in contenu


def test_a_plain_journal_entry_is_not_emailed_to_the_commune(client, organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    client.post(f"/admin/intake/demande/suivi/{demande.pk}/journal/", {"type": "appel", "message": "Appel au maire"})
    assert not Notification.objects.filter(to=[demande.demandeur_email]).exists()


def test_an_expert_cannot_forge_a_commune_message(client, organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/", {"type": "message_collectivite", "message": "Faux"}
    )
    assert response.status_code == 400
    assert EntreeJournal.objects.count() == 0


def test_an_outsider_cannot_write_to_the_commune(client, organisation, expert_caue):
    demande = demande_hgi(organisation, statut=S.EN_COURS)
    client.force_login(expert_caue)
    client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/",
        {"type": "note", "message": "Intrus", "envoyer_collectivite": "on"},
    )
    assert EntreeJournal.objects.count() == 0 and Notification.objects.count() == 0
