"""handler500: the database out of reach gives a French 503 with Retry-After (page or API JSON);
any other failure a French 500. Nothing in these answers needs the database."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as urls_du_site


def _base_coupee(request):
    raise OperationalError("connection failed: the database system is not yet accepting connections")


def _bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("panne/base/", _base_coupee),
    path("api/v2/panne/", _base_coupee),
    path("panne/bug/", _bug),
    *urls_du_site,
]
handler500 = "config.erreurs.erreur_serveur"


@pytest.fixture
def client_sans_exceptions(settings):
    settings.ROOT_URLCONF = "tests.test_erreurs"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_database_out_of_reach_gives_a_french_503_page_with_retry_after(client_sans_exceptions):
    response = client_sans_exceptions.get("/panne/base/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    contenu = response.content.decode()
    assert "momentanément indisponible" in contenu and '<html lang="fr">' in contenu


def test_the_api_answers_503_in_its_json_error_format(client_sans_exceptions):
    response = client_sans_exceptions.get("/api/v2/panne/")
    assert response.status_code == 503
    assert response.json()["erreur"]["code"] == "indisponible"
    assert response["Retry-After"] == "30"


def test_another_failure_stays_a_french_500_without_retry_after(client_sans_exceptions):
    response = client_sans_exceptions.get("/panne/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "rencontre une difficulté" in response.content.decode()


def test_the_site_and_the_benchmark_declare_the_handler():
    import bench.urls
    import config.urls

    assert config.urls.handler500 == bench.urls.handler500 == "config.erreurs.erreur_serveur"


def test_a_503_for_an_unreachable_database_is_logged_as_one_warning_line():
    import logging
    import sys

    from config.erreurs import BaseIndisponibleFiltre

    def enregistrement(exc, status_code):
        try:
            raise exc
        except type(exc):
            record = logging.LogRecord(
                "django.request",
                logging.ERROR,
                __file__,
                1,
                "Service Unavailable: %s",
                ("/api/v2/demandes/",),
                sys.exc_info(),
            )
        record.status_code = status_code
        return record

    record = enregistrement(OperationalError("connection refused"), 503)
    assert BaseIndisponibleFiltre().filter(record) is True
    assert record.exc_info is None and record.levelname == "WARNING"
    assert "base de données injoignable : OperationalError" in record.getMessage()
    # Any other server error keeps its traceback.
    bug = enregistrement(ZeroDivisionError(), 500)
    BaseIndisponibleFiltre().filter(bug)
    assert bug.exc_info is not None and bug.levelname == "ERROR"


def test_the_site_and_benchmark_logging_filter_django_request():
    from importlib import import_module

    from django.utils.module_loading import import_string

    from config.erreurs import BaseIndisponibleFiltre

    for module in ("config.settings.base", "config.settings.bench"):
        logging_conf = import_module(module).LOGGING
        assert logging_conf["loggers"]["django.request"]["filters"] == ["base_indisponible"]
        assert import_string(logging_conf["filters"]["base_indisponible"]["()"]) is BaseIndisponibleFiltre
