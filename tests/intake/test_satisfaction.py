"""Satisfaction survey: one e-mail with the link when a demande is finished,
once per demande even when it is reopened and finished again; one answer per demande, only once
it is Terminé; the results in the statistics (scoped) and on the detail for those who may see it."""

import html
import re

import pytest
from django.test import Client

from intake.models import Demande, Notification, Satisfaction
from tests.intake.backoffice_support import demande_hgi, inspect_url
from tests.intake.depot_helpers import _cache_vide  # noqa: F401  (a fresh rate-limit cache per test)

S = Demande.Statut
pytestmark = pytest.mark.django_db


def _statut(client, demande, statut, motif=""):
    demande.refresh_from_db()
    return client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/statut/",
        {"statut": statut, "motif": motif, "version": demande.version},
    )


def _url(demande):
    return f"/suivi/{demande.jeton_suivi}/satisfaction/"


def _liens_enquete():
    return [n for n in Notification.objects.all() if re.search(r"/suivi/[^/]+/satisfaction/", n.body)]


def test_finishing_sends_the_survey_link_once_even_after_a_reopening(client, organisation, expert_hgi, administrateur):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    assert _statut(client, demande, S.TERMINE).status_code == 302
    [avis] = _liens_enquete()
    assert avis.to == [demande.demandeur_email]
    assert avis.kind == "collectivite_termine"
    assert f"http://testserver/suivi/{demande.jeton_suivi}/satisfaction/" in avis.body

    client.force_login(administrateur)
    assert _statut(client, demande, S.EN_COURS, "La commune a un second volet").status_code == 302
    client.force_login(expert_hgi)
    assert _statut(client, demande, S.TERMINE).status_code == 302

    assert len(_liens_enquete()) == 1
    # The commune still hears of the second end, without a second survey.
    assert Notification.objects.filter(demande=demande, kind="collectivite_termine").count() == 2


def test_no_survey_link_for_an_abandonment(client, organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    assert _statut(client, demande, S.ABANDONNE, "La commune renonce").status_code == 302
    assert _liens_enquete() == []


def test_the_survey_page_shows_an_accessible_form_when_finished(client, organisation):
    demande = demande_hgi(organisation, statut=S.TERMINE)
    response = client.get(_url(demande))
    assert response.status_code == 200
    contenu = response.content.decode()
    assert "<fieldset" in contenu and "<legend>" in contenu
    assert contenu.count('type="radio" name="note"') == 5
    assert "csrfmiddlewaretoken" in contenu
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_answer_is_recorded_once_and_a_second_is_refused(client, organisation):
    demande = demande_hgi(organisation, statut=S.TERMINE)
    response = client.post(_url(demande), {"note": "4", "commentaire": "  Expert très disponible.  "})
    assert response.status_code == 302
    reponse = Satisfaction.objects.get(demande=demande)
    assert (reponse.note, reponse.commentaire) == (4, "Expert très disponible.")
    assert "Merci pour votre réponse" in client.get(response["Location"]).content.decode()

    second = client.post(_url(demande), {"note": "1", "commentaire": "Autre avis"})
    assert second.status_code == 409
    assert "Vous avez déjà répondu" in html.unescape(second.content.decode())
    assert Satisfaction.objects.get(demande=demande).note == 4
    page = html.unescape(client.get(_url(demande)).content.decode())
    assert "Vous avez déjà répondu" in page and 'name="note"' not in page


@pytest.mark.parametrize("statut", [S.EN_COURS, S.ATTRIBUE_ADMIN, S.ABANDONNE, S.REJETE])
def test_the_survey_is_closed_before_the_end(client, organisation, statut):
    demande = demande_hgi(organisation, statut=statut)
    page = client.get(_url(demande))
    assert page.status_code == 200
    assert 'name="note"' not in page.content.decode()
    assert "lorsque l'accompagnement de votre demande est terminé" in html.unescape(page.content.decode())
    response = client.post(_url(demande), {"note": "5"})
    assert response.status_code == 400
    assert not Satisfaction.objects.exists()


@pytest.mark.parametrize("note", ["", "0", "6", "abc"])
def test_a_bad_score_gets_a_french_message_and_keeps_the_comment(client, organisation, note):
    demande = demande_hgi(organisation, statut=S.TERMINE)
    response = client.post(_url(demande), {"note": note, "commentaire": "Mon commentaire conservé"})
    assert response.status_code == 400
    contenu = response.content.decode()
    assert "Choisissez une note de 1 à 5." in contenu
    assert "Mon commentaire conservé" in contenu
    assert not Satisfaction.objects.exists()


def test_an_unknown_link_is_not_found(client, organisation):
    assert client.get("/suivi/" + "x" * 43 + "/satisfaction/").status_code == 404


def test_the_form_requires_the_csrf_token(organisation):
    demande = demande_hgi(organisation, statut=S.TERMINE)
    assert Client(enforce_csrf_checks=True).post(_url(demande), {"note": "5"}).status_code == 403
    assert not Satisfaction.objects.exists()


def test_answers_are_rate_limited_per_link(client, organisation, settings):
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "suivi": (2, 3600)}
    demande = demande_hgi(organisation, statut=S.TERMINE)
    for _ in range(2):
        assert client.post(_url(demande), {"note": "9"}).status_code == 400
    response = client.post(_url(demande), {"note": "5"})
    assert response.status_code == 429
    assert "Merci de réessayer dans une heure" in response.content.decode()
    assert not Satisfaction.objects.exists()


def test_the_answer_is_shown_on_the_detail_to_those_who_may_see_it(
    client, organisation, expert_hgi, administrateur, expert_caue
):
    demande = demande_hgi(organisation, statut=S.TERMINE, expert_referent=expert_hgi)
    Satisfaction.objects.create(demande=demande, note=2, commentaire="Réponse trop tardive")
    for user in (administrateur, expert_hgi):
        client.force_login(user)
        contenu = client.get(inspect_url(demande)).content.decode()
        assert "Satisfaction de la collectivité" in contenu
        assert "Réponse trop tardive" in contenu and "2 / 5" in contenu
    client.force_login(expert_caue)
    response = client.get(inspect_url(demande))
    assert response.status_code == 404
    assert "Réponse trop tardive" not in response.content.decode()


def test_statistics_give_the_average_by_structure_direction_and_fiche_in_scope(
    client, organisation, administrateur, chef_hgi
):
    hgi = demande_hgi(organisation, statut=S.TERMINE)
    hgi_bis = demande_hgi(organisation, statut=S.TERMINE)
    caue = demande_hgi(organisation, statut=S.TERMINE, direction=organisation["caue_direction"])
    Satisfaction.objects.create(demande=hgi, note=5)
    Satisfaction.objects.create(demande=hgi_bis, note=4)
    Satisfaction.objects.create(demande=caue, note=1, commentaire="Texte libre jamais montré dans les statistiques")

    client.force_login(administrateur)
    response = client.get("/admin/statistiques/")
    satisfaction = response.context["satisfaction"]
    assert satisfaction["nombre"] == 3
    assert satisfaction["moyenne"] == 3.3
    assert ("HGI", 4.5, 2) in satisfaction["groupes"]["Structure"]
    assert ("CAUE", 1, 1) in satisfaction["groupes"]["Structure"]
    assert satisfaction["groupes"]["Fiche"] == [("Demande libre (sans fiche)", 3.3, 3)]
    contenu = response.content.decode()
    assert "Satisfaction des collectivités" in contenu
    assert "Texte libre jamais montré" not in contenu

    client.force_login(chef_hgi)
    satisfaction = client.get("/admin/statistiques/").context["satisfaction"]
    assert satisfaction["nombre"] == 2
    assert [ligne[0] for ligne in satisfaction["groupes"]["Structure"]] == ["HGI"]
    assert len(satisfaction["groupes"]["Direction"]) == 1


def test_anonymising_the_demande_blanks_the_comment_and_keeps_the_score(organisation):
    from intake.donnees_personnelles.anonymisation import anonymiser

    demande = demande_hgi(organisation, statut=S.TERMINE)
    Satisfaction.objects.create(demande=demande, note=3, commentaire="Merci à Mme Martin, très réactive")
    anonymiser(demande)
    reponse = Satisfaction.objects.get(demande=demande)
    assert (reponse.note, reponse.commentaire) == (3, "")


def test_tracking_page_offers_the_survey_only_while_it_is_open(client, organisation):
    demande = demande_hgi(organisation, statut=S.EN_COURS)
    lien = f'href="{_url(demande)}"'
    assert lien not in client.get(f"/suivi/{demande.jeton_suivi}/").content.decode()
    Demande.objects.filter(pk=demande.pk).update(statut=S.TERMINE)
    assert lien in client.get(f"/suivi/{demande.jeton_suivi}/").content.decode()
    Satisfaction.objects.create(demande=demande, note=5)
    assert lien not in client.get(f"/suivi/{demande.jeton_suivi}/").content.decode()
