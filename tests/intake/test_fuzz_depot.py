"""Fuzzing the intake form and API with hypothesis: whatever arrives, never a server error."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from intake.depot.api import CHAMPS
from intake.models import Demande

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
valeurs = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300),
    lambda enfants: st.lists(enfants, max_size=3) | st.dictionaries(st.text(max_size=10), enfants, max_size=3),
    max_leaves=6,
)


@pytest.fixture(autouse=True)
def _sans_limite(settings):
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "formulaire": (10**9, 3600), "api": (10**9, 3600)}


@pytest.fixture
def formulaire(home_page):
    from operations.donnees_initiales.collectivites import load_pages

    load_pages(home_page)


@FUZZ
@given(
    payload=st.dictionaries(st.sampled_from(CHAMPS + ["autre", "__proto__"]), valeurs, max_size=len(CHAMPS)),
    cle=st.text(max_size=200),
)
def test_the_api_never_answers_a_server_error_to_any_json(client, payload, cle):
    avant = Demande.objects.count()
    response = client.post(
        "/api/v2/demandes/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=cle.encode("ascii", "ignore").decode(),
    )
    assert response.status_code < 500
    if response.status_code != 201:
        assert Demande.objects.count() == avant
        assert "erreur" in response.json()


@FUZZ
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]),
)
def test_the_api_never_answers_a_server_error_to_any_body(client, body, content_type):
    response = client.post("/api/v2/demandes/", data=body, content_type=content_type)
    assert response.status_code < 500


@FUZZ
@given(
    donnees=st.dictionaries(
        st.sampled_from(CHAMPS + ["site_web", "horodatage", "jeton_formulaire", "fiche"]),
        st.text(max_size=200),
        max_size=len(CHAMPS) + 3,
    )
)
def test_the_form_never_answers_a_server_error(client, formulaire, donnees):
    avant = Demande.objects.count()
    response = client.post("/demande/", data=donnees)
    assert response.status_code < 500
    assert response.status_code != 404
    assert Demande.objects.count() == avant  # a fuzzed form never passes the anti-abuse checks
