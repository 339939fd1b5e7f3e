"""POST /api/v2/demandes/: same validation as the form, structured French errors,
201 with numéro and tracking link, Idempotency-Key, rate limit, no session/CSRF."""

import json

import pytest
from django.core import mail
from django.test import Client

from intake.models import Demande, Notification
from tests.intake.depot_helpers import _cache_vide, catalogue, collectivites, thematiques  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v2/demandes/"


@pytest.fixture
def api():
    return Client(enforce_csrf_checks=True)


def corps(collectivites, thematique, fiche=None, **extra):
    data = {
        "thematique": thematique.pk,
        "fiche": fiche.pk if fiche else None,
        "demandeur_nom": "Durand",
        "demandeur_prenom": "Claire",
        "demandeur_fonction": "Maire",
        "demandeur_email": "maire@grenade.test",
        "demandeur_telephone": "05 61 82 61 00",
        "type_collectivite": "commune",
        "collectivite": collectivites["grenade"].code,
        "message": "Nous voulons réaménager la place du village.",
        "consentement": True,
    }
    data.update(extra)
    return data


def poster(api, data, **headers):
    return api.post(URL, data=json.dumps(data), content_type="application/json", headers=headers)


def test_a_valid_request_creates_a_demande(api, collectivites, catalogue, organisation):
    response = poster(api, corps(collectivites, catalogue["urgente"].thematique, catalogue["urgente"]))
    assert response.status_code == 201
    demande = Demande.objects.get()
    assert response.json() == {
        "numero": demande.numero,
        "lien_suivi": f"http://testserver/suivi/{demande.jeton_suivi}/",
        "statut": "Attribué chef de file",
    }
    assert demande.source == Demande.Source.API
    assert demande.direction == organisation["hgi_juridique"]
    assert Notification.objects.filter(demande=demande).count() == 2


def test_validation_errors_are_structured_and_in_french(api, collectivites, thematiques):
    data = corps(collectivites, thematiques["juridique"], demandeur_email="pas-un-courriel", message="")
    del data["demandeur_nom"]
    response = poster(api, data)
    assert response.status_code == 400
    erreur = response.json()["erreur"]
    assert erreur["code"] == "validation"
    assert erreur["champs"]["demandeur_email"] == [
        "Saisissez une adresse électronique valide, par exemple nom@domaine.fr."
    ]
    assert erreur["champs"]["demandeur_nom"] == ["Indiquez votre nom."]
    assert erreur["champs"]["message"] == ["Décrivez votre demande."]
    assert Demande.objects.count() == 0
    assert mail.outbox == []


def test_a_fiche_of_another_thematique_is_refused(api, collectivites, catalogue, thematiques):
    response = poster(api, corps(collectivites, thematiques["juridique"], catalogue["complexe"]))
    assert response.status_code == 400
    assert "ne relève pas de la thématique" in response.json()["erreur"]["champs"]["fiche"][0]


def test_unknown_fiche_and_collectivite_are_refused(api, collectivites, thematiques):
    response = poster(
        api, corps(collectivites, thematiques["juridique"], fiche=None, collectivite="00000") | {"fiche": 987654}
    )
    champs = response.json()["erreur"]["champs"]
    assert set(champs) == {"fiche", "collectivite"}
    assert Demande.objects.count() == 0


def test_consent_must_be_true(api, collectivites, thematiques):
    response = poster(api, corps(collectivites, thematiques["juridique"], consentement="oui"))
    assert response.status_code == 400
    assert "consentement" in response.json()["erreur"]["champs"]


@pytest.mark.parametrize("balise", ["<b>Durand</b>", "Durand<img src=x onerror=alert(1)>", "Durand<!-- x -->"])
def test_html_in_a_field_is_refused(api, collectivites, thematiques, balise):
    response = poster(api, corps(collectivites, thematiques["juridique"], demandeur_nom=balise))
    assert response.status_code == 400
    assert "balises HTML" in response.json()["erreur"]["champs"]["demandeur_nom"][0]
    assert Demande.objects.count() == 0


def test_plain_text_with_angle_brackets_is_accepted_and_escaped_on_output(
    api, collectivites, thematiques, administrateur
):
    texte = "Comparer a<b et c>d, coût <= 500 € et délai > 3 mois."
    response = poster(api, corps(collectivites, thematiques["juridique"], message=texte, lieu_precision="bâtiment <A>"))
    assert response.status_code == 201, response.json()
    demande = Demande.objects.get()
    assert demande.message == texte and demande.lieu_precision == "bâtiment <A>"
    api.force_login(administrateur)
    page = api.get(f"/admin/intake/demande/inspect/{demande.pk}/").content.decode()
    assert "a&lt;b et c&gt;d" in page
    assert "a<b et c>d" not in page


def test_deeply_nested_json_is_a_400_not_a_server_error(api):
    profond = "[" * 100_000 + "]" * 100_000
    for body in (profond, '{"message": ' + profond + "}"):
        response = api.post(URL, data=body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["erreur"]["code"] == "json_invalide"
        assert "JSON" in response.json()["erreur"]["message"]


def test_a_list_or_object_as_a_field_value_is_refused(api, collectivites, thematiques):
    data = corps(
        collectivites, thematiques["juridique"], message=["Réaménager", "la place"], demandeur_nom={"nom": "Durand"}
    )
    response = poster(api, data)
    assert response.status_code == 400
    champs = response.json()["erreur"]["champs"]
    assert (
        champs["message"]
        == champs["demandeur_nom"]
        == ["Une valeur simple est attendue (texte, nombre ou booléen), pas une liste ni un objet."]
    )
    assert Demande.objects.count() == 0


def test_a_json_body_with_a_byte_order_mark_is_accepted(api, collectivites, thematiques):
    body = "\ufeff".encode() + json.dumps(corps(collectivites, thematiques["juridique"])).encode()
    response = api.post(URL, data=body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Demande.objects.count() == 1


def test_a_huge_message_is_refused(api, collectivites, thematiques):
    response = poster(api, corps(collectivites, thematiques["juridique"], message="a" * 100_000))
    assert response.status_code == 400
    assert response.json()["erreur"]["champs"]["message"] == [
        "Votre message dépasse 5000 caractères (il en compte 100000)."
    ]
    assert Demande.objects.count() == 0


def test_a_body_over_512_kb_is_refused(api, collectivites, thematiques):
    response = poster(api, corps(collectivites, thematiques["juridique"], message="a" * 600_000))
    assert response.status_code == 413
    assert Demande.objects.count() == 0


def test_the_thematique_may_be_omitted_when_a_fiche_is_given(api, collectivites, catalogue):
    data = corps(collectivites, catalogue["urgente"].thematique, catalogue["urgente"])
    del data["thematique"]
    assert poster(api, data).status_code == 201
    assert Demande.objects.get().thematique == catalogue["urgente"].thematique


def test_unknown_fields_are_reported(api, collectivites, thematiques):
    response = poster(api, corps(collectivites, thematiques["juridique"], statut="termine"))
    assert response.status_code == 400
    assert response.json()["erreur"]["champs"]["statut"] == ["Champ inconnu."]


def test_malformed_json_is_refused(api):
    response = api.post(URL, data="{pas du json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["erreur"]["code"] == "json_invalide"


def test_a_non_object_body_is_refused(api):
    response = api.post(URL, data="[1, 2]", content_type="application/json")
    assert response.json()["erreur"]["code"] == "json_invalide"


def test_form_encoded_bodies_are_refused(api, collectivites, thematiques):
    response = api.post(URL, data={"demandeur_nom": "Durand"})
    assert response.status_code == 415


def test_only_post_is_allowed(api):
    response = api.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


def test_the_same_idempotency_key_returns_the_same_demande(api, collectivites, thematiques):
    data = corps(collectivites, thematiques["juridique"])
    first = poster(api, data, **{"Idempotency-Key": "4b0f7c1e-essai"})
    second = poster(api, data, **{"Idempotency-Key": "4b0f7c1e-essai"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Demande.objects.count() == 1
    assert Notification.objects.count() == 2


def test_different_idempotency_keys_create_different_demandes(api, collectivites, thematiques):
    data = corps(collectivites, thematiques["juridique"])
    poster(api, data, **{"Idempotency-Key": "cle-1"})
    poster(api, data, **{"Idempotency-Key": "cle-2"})
    assert Demande.objects.count() == 2


def test_an_api_key_cannot_replay_a_form_filing(api, collectivites, thematiques):
    """Keys are namespaced per entry point: an API client cannot guess a form's key."""
    from intake.depot.services import deposer_demande
    from tests.intake.depot_helpers import donnees_service

    deposer_demande(**donnees_service(collectivites), idempotency_key="formulaire:abc")
    response = poster(api, corps(collectivites, thematiques["juridique"]), **{"Idempotency-Key": "formulaire:abc"})
    assert response.status_code == 201
    assert Demande.objects.count() == 2


def test_the_api_is_rate_limited_per_ip(api, collectivites, thematiques, settings):
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "formulaire": (10, 3600), "api": (1, 3600)}
    assert poster(api, corps(collectivites, thematiques["juridique"])).status_code == 201
    response = poster(api, corps(collectivites, thematiques["juridique"]))
    assert response.status_code == 429
    assert response.json()["erreur"]["code"] == "limite_atteinte"
    assert Demande.objects.count() == 1


def test_allowed_origins_get_cors_headers(api, collectivites, thematiques, settings):
    settings.INTAKE_API_ORIGINES = ["https://front.exemple.test"]
    preflight = api.options(URL, headers={"Origin": "https://front.exemple.test"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://front.exemple.test"
    other = api.options(URL, headers={"Origin": "https://autre.test"})
    assert "Access-Control-Allow-Origin" not in other
