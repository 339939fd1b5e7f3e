"""Confirmation and accusé recap: the confirmation page and the accusé e-mail
recap what was sent (numéro, date, collectivité, fiche or demande libre, message, the address
used, the attachments' names), with a printable recap; nobody but the filing session sees it."""

import html

import pytest
from django.test import Client

from intake.models import Demande, Notification
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    demande_page,
    donnees_formulaire,
    fichier_docx,
    fichier_pdf,
    thematiques,
)

URL = "/demande/"
MESSAGE = "Nous voulons réaménager la place du village\net cherchons un appui."


@pytest.fixture
def formulaire(demande_page):
    return demande_page


def _deposer(client, collectivites, thematique, fiche=None, fichiers=()):
    data = donnees_formulaire(collectivites, thematique, fiche, message=MESSAGE)
    if fichiers:
        data["pieces_jointes"] = list(fichiers)
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Demande.objects.order_by("-pk").first()


def _texte(response):
    return html.unescape(response.content.decode())


def test_the_confirmation_page_recaps_what_was_sent(client, formulaire, collectivites, catalogue):
    fiche = catalogue["urgente"]
    demande = _deposer(
        client, collectivites, fiche.thematique, fiche, [fichier_pdf("plan-de-la-place.pdf"), fichier_docx("note.docx")]
    )
    contenu = _texte(client.get("/demande/confirmation/"))
    assert "Récapitulatif de votre demande" in contenu
    assert str(demande.numero) in contenu
    assert "Grenade" in contenu
    assert fiche.title in contenu
    assert "Nous voulons réaménager la place du village" in contenu
    assert "maire@grenade.test" in contenu
    assert "plan-de-la-place.pdf" in contenu and "note.docx" in contenu
    assert 'href="/demande/confirmation/imprimer/"' in contenu and "Imprimer ce récapitulatif" in contenu
    assert "intake/imprimer.js" in contenu
    assert "intake/recapitulatif.css" in contenu


def test_a_free_request_says_demande_libre_and_no_attachment(client, formulaire, collectivites, thematiques):
    _deposer(client, collectivites, thematiques["juridique"])
    contenu = _texte(client.get("/demande/confirmation/"))
    assert "Demande libre" in contenu
    assert "aucune" in contenu


def test_the_printable_page_works_without_javascript(client, formulaire, collectivites, thematiques):
    demande = _deposer(client, collectivites, thematiques["juridique"], fichiers=[fichier_pdf("budget.pdf")])
    response = client.get("/demande/confirmation/imprimer/")
    assert response.status_code == 200
    contenu = _texte(response)
    assert f"Demande n°{demande.numero}" in contenu
    assert "Nous voulons réaménager la place du village" in contenu
    assert "budget.pdf" in contenu and "maire@grenade.test" in contenu
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_accuse_email_recaps_what_was_sent(client, formulaire, collectivites, catalogue):
    fiche = catalogue["urgente"]
    demande = _deposer(client, collectivites, fiche.thematique, fiche, [fichier_pdf("plan-de-la-place.pdf")])
    accuse = Notification.objects.get(demande=demande, kind=Notification.Kind.ACCUSE_RECEPTION)
    for corps in (accuse.body, html.unescape(accuse.html)):
        assert str(demande.numero) in corps
        assert "Grenade" in corps
        assert fiche.title in corps
        assert "Nous voulons réaménager la place du village" in corps
        assert "Adresse électronique indiquée : maire@grenade.test" in corps
        assert "plan-de-la-place.pdf" in corps
    assert "Pièces jointes : aucune" not in accuse.body


def test_the_accuse_of_a_free_request_without_attachment(client, formulaire, collectivites, thematiques):
    demande = _deposer(client, collectivites, thematiques["juridique"])
    accuse = Notification.objects.get(demande=demande, kind=Notification.Kind.ACCUSE_RECEPTION)
    assert "demande libre" in accuse.body
    assert "Pièces jointes : aucune" in accuse.body


@pytest.mark.parametrize("url", ["/demande/confirmation/", "/demande/confirmation/imprimer/"])
def test_another_session_never_sees_the_recap(client, formulaire, collectivites, thematiques, url):
    _deposer(client, collectivites, thematiques["juridique"])
    autre = Client()
    response = autre.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/demande/"
    assert "maire@grenade.test" not in response.content.decode()


def test_a_tampered_session_value_is_sent_back_to_the_form(client, formulaire, collectivites, thematiques):
    _deposer(client, collectivites, thematiques["juridique"])
    session = client.session
    session["intake_derniere_demande"] = "1 OR 1=1"
    session.save()
    assert client.get("/demande/confirmation/imprimer/")["Location"] == "/demande/"
