"""The public form at /demande/: display, filing, and every bad input refused with a clear
French error, no row and no email."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.enums import TypeCollectivite
from intake.models import Demande, Notification
from intake.notifications import outbox
from tests.intake.depot_helpers import (  # noqa: F401
    PDF_MINIMAL,
    PNG_MINIMAL,
    _cache_vide,
    catalogue,
    collectivites,
    demande_page,
    donnees_formulaire,
    fichier_docx,
    fichier_pdf,
    horodatage,
    thematiques,
)

pytestmark = pytest.mark.django_db
URL = "/demande/"


@pytest.fixture
def formulaire(demande_page, catalogue, collectivites):
    return demande_page


def poster(client, data, django_capture_on_commit_callbacks=None):
    return client.post(URL, data)


def assert_refuse(response, *messages):
    assert response.status_code == 400
    contenu = response.content.decode()
    assert "resume-erreurs" in contenu
    for message in messages:
        assert message in contenu, message
    assert Demande.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_form_shows_every_field_with_a_label(client, formulaire):
    response = client.get(URL)
    assert response.status_code == 200
    contenu = response.content.decode()
    for name in [
        "thematique",
        "fiche",
        "demandeur_nom",
        "demandeur_prenom",
        "demandeur_fonction",
        "demandeur_email",
        "demandeur_telephone",
        "type_collectivite",
        "collectivite",
        "lieu",
        "lieu_precision",
        "message",
        "pieces_jointes",
        "consentement",
    ]:
        assert f'for="id_{name}"' in contenu, name
    assert "Grenade (31330)" in contenu
    assert "no-store" in response["Cache-Control"]


def test_fiche_query_parameter_preselects_the_fiche_and_its_thematique(client, formulaire, catalogue):
    response = client.get(URL, {"fiche": catalogue["urgente"].pk})
    form = response.context["form"]
    assert form.initial["fiche"] == catalogue["urgente"].pk
    assert form.initial["thematique"] == catalogue["urgente"].thematique_id
    assert f'<option value="{catalogue["urgente"].pk}" selected>' in response.content.decode()


def test_a_fiche_closed_to_online_requests_is_not_offered(client, formulaire, catalogue):
    contenu = client.get(URL, {"fiche": catalogue["fermee"].pk}).content.decode()
    assert "Fiche sans demande en ligne" not in contenu


def test_a_valid_submission_files_and_shows_the_numero(
    client, formulaire, collectivites, catalogue, django_capture_on_commit_callbacks
):
    data = donnees_formulaire(collectivites, catalogue["urgente"].thematique, catalogue["urgente"])
    data["pieces_jointes"] = [fichier_pdf(), fichier_docx()]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == "/demande/confirmation/"
    demande = Demande.objects.get()
    assert demande.source == Demande.Source.FORMULAIRE
    assert demande.statut == Demande.Statut.ATTRIBUE_CHEF_DE_FILE
    assert demande.lieu == collectivites["grenade"], "the lieu defaults to the commune"
    assert demande.pieces_jointes.count() == 2
    assert mail.outbox == []  # the request only writes the outbox rows; the sender sends them
    assert outbox.send_pending() == (2, 0)
    assert len(mail.outbox) == 2
    confirmation = client.get(response["Location"])
    contenu = confirmation.content.decode()
    assert f"numéro {demande.numero}" in contenu
    assert f"/suivi/{demande.jeton_suivi}/" in contenu


def test_a_free_request_needs_no_fiche(client, formulaire, collectivites, thematiques):
    response = client.post(URL, donnees_formulaire(collectivites, thematiques["juridique"]))
    assert response.status_code == 302
    assert Demande.objects.get().statut == Demande.Statut.ATTRIBUE_ADMIN


def test_resubmitting_the_same_page_files_only_once(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert Demande.objects.count() == 1
    assert Notification.objects.count() == 2


def test_the_form_has_a_url_name_for_the_catalogue(client, formulaire):
    from django.urls import reverse

    assert reverse("intake_depot") == URL
    assert client.get(URL).status_code == 200


def test_without_a_published_form_page_the_url_gives_404(client, formulaire):
    formulaire.unpublish()
    assert client.get(URL).status_code == 404


def test_confirmation_without_a_filing_goes_back_to_the_form(client, formulaire):
    assert client.get("/demande/confirmation/")["Location"] == "/demande/"


@pytest.mark.parametrize(
    "champ,message",
    [
        ("demandeur_nom", "Indiquez votre nom."),
        ("demandeur_prenom", "Indiquez votre prénom."),
        ("demandeur_email", "Indiquez votre adresse électronique."),
        ("demandeur_telephone", "Indiquez un numéro de téléphone."),
        ("collectivite", "Choisissez votre collectivité."),
        ("type_collectivite", "Choisissez le type de collectivité."),
        ("message", "Décrivez votre demande."),
        ("thematique", "Choisissez une thématique."),
        ("consentement", "Votre accord est nécessaire"),
    ],
)
def test_a_missing_required_field_is_refused(client, formulaire, collectivites, thematiques, champ, message):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data.pop(champ)
    assert_refuse(client.post(URL, data), message)


def test_an_invalid_email_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], demandeur_email="maire@")
    assert_refuse(client.post(URL, data), "Saisissez une adresse électronique valide")


def test_an_unknown_fiche_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data["fiche"] = "999999"
    assert_refuse(client.post(URL, data), "Cette fiche n&#x27;existe pas")


def test_a_fiche_closed_to_online_requests_is_refused(client, formulaire, collectivites, catalogue):
    data = donnees_formulaire(collectivites, catalogue["fermee"].thematique, catalogue["fermee"])
    assert_refuse(client.post(URL, data), "Cette fiche n&#x27;existe pas")


def test_a_fiche_of_another_thematique_is_refused(client, formulaire, collectivites, catalogue, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], catalogue["complexe"])
    assert_refuse(client.post(URL, data), "Cette fiche ne relève pas de la thématique choisie")


def test_an_unknown_collectivite_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], collectivite="99999")
    assert_refuse(client.post(URL, data), "ne figure pas dans le référentiel")


def test_a_collectivite_of_another_type_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], type_collectivite=TypeCollectivite.CC)
    assert_refuse(client.post(URL, data), "n&#x27;est pas du type « Communauté de communes »")


def test_a_100000_character_message_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], message="a" * 100_000)
    assert_refuse(client.post(URL, data), "Votre message dépasse 5000 caractères")


@pytest.mark.parametrize(
    "champ",
    ["demandeur_nom", "demandeur_prenom", "demandeur_fonction", "demandeur_telephone", "lieu_precision", "message"],
)
def test_html_or_script_in_a_text_field_is_refused(client, formulaire, collectivites, thematiques, champ):
    data = donnees_formulaire(collectivites, thematiques["juridique"], **{champ: "<script>alert(1)</script>"})
    response = client.post(URL, data)
    assert_refuse(response)
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "champ", ["demandeur_email", "collectivite", "type_collectivite", "thematique", "fiche", "lieu"]
)
def test_html_or_script_in_a_choice_or_email_field_is_refused(client, formulaire, collectivites, thematiques, champ):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data[champ] = "<script>alert(1)</script>"
    response = client.post(URL, data)
    assert_refuse(response)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_rejected_submission_keeps_what_was_typed(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], demandeur_email="pas-un-courriel")
    data["pieces_jointes"] = [fichier_pdf()]
    contenu = client.post(URL, data).content.decode()
    assert 'value="Durand"' in contenu
    assert 'value="pas-un-courriel"' in contenu
    assert "Nous voulons réaménager la place du village" in contenu
    assert '<option value="31232" selected>' in contenu
    assert "les pièces jointes, elles, sont à sélectionner de nouveau" in contenu


def test_errors_are_listed_at_the_top_with_links_to_the_fields(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], demandeur_nom="", demandeur_email="x")
    contenu = client.post(URL, data).content.decode()
    assert 'href="#id_demandeur_nom"' in contenu
    assert 'href="#id_demandeur_email"' in contenu
    assert 'id="demandeur_nom-erreurs"' in contenu


def test_a_filled_honeypot_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], site_web="http://spam.test")
    assert_refuse(client.post(URL, data), "n&#x27;a pas pu être accepté")


def test_a_submission_faster_than_a_human_is_refused(client, formulaire, collectivites, thematiques, settings):
    settings.INTAKE_DUREE_MINIMALE_SAISIE = 5
    data = donnees_formulaire(collectivites, thematiques["juridique"], horodatage=horodatage(il_y_a=1))
    assert_refuse(client.post(URL, data), "trop rapide")


def test_a_forged_timestamp_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"], horodatage="1700000000")
    assert_refuse(client.post(URL, data), "Le formulaire a expiré")


def test_an_oversized_file_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data["pieces_jointes"] = [
        SimpleUploadedFile("gros.pdf", PDF_MINIMAL + b"0" * (10 * 1024 * 1024), "application/pdf")
    ]
    assert_refuse(client.post(URL, data), "« gros.pdf » dépasse 10 Mo.")


def test_a_disguised_file_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data["pieces_jointes"] = [SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")]
    assert_refuse(client.post(URL, data), "« facture.pdf » n&#x27;est pas d&#x27;un format accepté")


def test_an_html_file_named_as_an_image_is_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data["pieces_jointes"] = [SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", "image/png")]
    assert_refuse(client.post(URL, data), "« photo.png » n&#x27;est pas d&#x27;un format accepté")


def test_more_than_five_files_are_refused(client, formulaire, collectivites, thematiques):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data["pieces_jointes"] = [SimpleUploadedFile(f"p{i}.png", PNG_MINIMAL, "image/png") for i in range(6)]
    assert_refuse(client.post(URL, data), "au plus 5 fichiers")


def test_the_form_is_rate_limited_per_ip(client, formulaire, collectivites, thematiques, settings):
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "formulaire": (2, 3600), "api": (30, 3600)}
    for _ in range(2):
        client.post(URL, donnees_formulaire(collectivites, thematiques["juridique"]))
    response = client.post(URL, donnees_formulaire(collectivites, thematiques["juridique"]))
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Demande.objects.count() == 2
    other_ip = client.post(URL, donnees_formulaire(collectivites, thematiques["juridique"]), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


def test_autocomplete_offers_grenade_for_gren(client, collectivites):
    response = client.get("/demande/collectivites/", {"q": "Gren"})
    assert response.json()["resultats"][0] == {
        "code": "31232",
        "nom": "Grenade",
        "libelle": "Grenade (31330)",
        "type": "commune",
    }


def test_autocomplete_filters_by_type(client, collectivites):
    resultats = client.get("/demande/collectivites/", {"q": "Hauts", "type": "cc"}).json()["resultats"]
    assert [r["code"] for r in resultats] == ["243100518"]
    assert client.get("/demande/collectivites/", {"q": "Hauts", "type": "commune"}).json()["resultats"] == []


def test_the_form_page_needs_few_queries(client, formulaire, django_assert_max_num_queries):
    client.get(URL)
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_collectivite_lists_are_escaped_and_cost_the_same_queries_for_many_communes(
    client, formulaire, collectivites, django_assert_max_num_queries
):
    from tests.factories import CollectiviteFactory

    CollectiviteFactory(code="31999", nom="Saint-<b>Test</b>", codes_postaux=["31999"])
    client.get(URL)
    with django_assert_max_num_queries(40) as peu:
        contenu = client.get(URL).content.decode()
    requetes = len(peu.captured_queries)
    assert '<option value="31999">Saint-&lt;b&gt;Test&lt;/b&gt; (31999)</option>' in contenu
    # The EPCI is offered as a collectivité but not as the commune of the project.
    assert contenu.count("Communauté de communes des Hauts Tolosans") == 1
    for n in range(60):
        CollectiviteFactory(code=f"31{n:03d}", nom=f"Commune {n}", codes_postaux=["31000"])
    assert client.get(URL).content.decode().count("Commune 59 (31000)") == 2  # the lists read again
    with django_assert_max_num_queries(requetes):
        contenu = client.get(URL).content.decode()
    assert contenu.count("Commune 59 (31000)") == 2
