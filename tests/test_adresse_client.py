"""The client's address behind the shipped nginx (TRUSTED_PROXIES): one function read by
the rate limits and by the login lock-out, and a header nobody can spoof from outside."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from config.env import reseaux
from intake.depot.ratelimit import adresse_client
from intake.models import Demande
from tests.intake.depot_helpers import _cache_vide, collectivites, thematiques  # noqa: F401
from tests.intake.test_api_depot import corps

NGINX = "127.0.0.1"


def requete(remote_addr, transmise=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if transmise is not None:
        meta["HTTP_X_FORWARDED_FOR"] = transmise
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxy_the_connecting_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert adresse_client(requete("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = [NGINX]
    assert adresse_client(requete("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_the_trusted_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXIES = [NGINX]
    assert adresse_client(requete(NGINX, "203.0.113.7")) == "203.0.113.7"


def test_an_address_written_by_the_client_left_of_the_proxys_is_not_believed(settings):
    settings.TRUSTED_PROXIES = [NGINX]
    # The visitor sent "X-Forwarded-For: 198.51.100.1"; nginx appended its real address.
    assert adresse_client(requete(NGINX, "198.51.100.1, 203.0.113.7")) == "203.0.113.7"


def test_chained_trusted_proxies_given_as_a_network_are_skipped(settings):
    settings.TRUSTED_PROXIES = [NGINX, "10.0.0.0/24"]
    assert adresse_client(requete("10.0.0.5", "198.51.100.1, 203.0.113.7, 127.0.0.1")) == "203.0.113.7"


@pytest.mark.parametrize("transmise", [None, "", "pas-une-adresse", "203.0.113.7, <script>"])
def test_a_missing_or_garbled_header_falls_back_to_the_proxy_address(settings, transmise):
    settings.TRUSTED_PROXIES = [NGINX]
    assert adresse_client(requete(NGINX, transmise)) == NGINX


def test_trusted_proxies_are_checked_when_the_settings_load():
    assert reseaux("127.0.0.1, 10.0.0.0/8,") == ["127.0.0.1", "10.0.0.0/8"]
    with pytest.raises(ValueError):
        reseaux("127.0.0.1, nginx")


def test_a_bad_trusted_proxies_value_stops_the_server(monkeypatch):
    from config.env import env

    monkeypatch.setenv("TRUSTED_PROXIES", "localhost")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env("TRUSTED_PROXIES", [], cast=reseaux)


def test_axes_reads_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = [NGINX]
    assert get_client_ip_address(requete(NGINX, "198.51.100.1, 203.0.113.7")) == "203.0.113.7"


@pytest.mark.django_db
def test_the_api_rate_limit_counts_each_visitor_behind_nginx(settings, collectivites, thematiques):
    settings.TRUSTED_PROXIES = [NGINX]
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "formulaire": (10, 3600), "api": (1, 3600)}
    api = Client(enforce_csrf_checks=True, REMOTE_ADDR=NGINX)

    def poster(transmise):
        data = json.dumps(corps(collectivites, thematiques["juridique"]))
        return api.post("/api/v2/demandes/", data=data, content_type="application/json", HTTP_X_FORWARDED_FOR=transmise)

    assert poster("203.0.113.7").status_code == 201
    # Another commune behind the same proxy still files its demande...
    assert poster("203.0.113.8").status_code == 201
    # ...and the first visitor cannot escape its quota by writing another address itself.
    assert poster("198.51.100.99, 203.0.113.7").status_code == 429
    assert Demande.objects.count() == 2


@pytest.mark.django_db
def test_a_spoofed_header_from_outside_does_not_escape_the_rate_limit(settings, collectivites, thematiques):
    settings.TRUSTED_PROXIES = [NGINX]
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "formulaire": (10, 3600), "api": (1, 3600)}
    api = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    data = json.dumps(corps(collectivites, thematiques["juridique"]))
    url = "/api/v2/demandes/"
    assert (
        api.post(url, data=data, content_type="application/json", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 201
    )
    refus = api.post(url, data=data, content_type="application/json", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert refus.status_code == 429


@pytest.mark.django_db
def test_the_login_lockout_of_one_visitor_does_not_lock_the_account_for_everyone(settings, home_page):
    settings.TRUSTED_PROXIES = [NGINX]
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("admin", password="le-bon-mot-de-passe", is_staff=True, is_superuser=True)
    attaquant = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(3):
        attaquant.post("/admin/login/", {"username": "admin", "password": "mauvais"})
    verrouille = attaquant.post("/admin/login/", {"username": "admin", "password": "le-bon-mot-de-passe"})
    assert verrouille.status_code == 429

    # The attacker cannot dodge the lock by writing an address of its own in the header.
    contournement = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.66")
    assert (
        contournement.post("/admin/login/", {"username": "admin", "password": "le-bon-mot-de-passe"}).status_code == 429
    )

    agent = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.10")
    reponse = agent.post("/admin/login/", {"username": "admin", "password": "le-bon-mot-de-passe"})
    assert reponse.status_code == 302
    assert "_auth_user_id" in agent.session


def test_without_a_valid_remote_address_the_client_is_unknown_not_a_word():
    # django-axes writes it in an address column: PostgreSQL's inet refuses anything but an IP.
    from django.test import RequestFactory

    from intake.depot.ratelimit import adresse_client

    for valeur in ("", "inconnue", "pas-une-ip"):
        requete = RequestFactory().get("/", REMOTE_ADDR=valeur)
        assert adresse_client(requete) is None
