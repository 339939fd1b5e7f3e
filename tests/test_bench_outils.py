"""Pieces of the benchmark harness (bench/): the bounded load generator, /proc readings,
the filing bodies, and the ceiling view routed only by the benchmark's URLconf."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import outils


class _Reponse(BaseHTTPRequestHandler):
    def do_GET(self):
        statut = 500 if self.path == "/panne/" else 200
        self.send_response(statut)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def serveur():
    httpd = ThreadingHTTPServer((outils.HOTE, 0), _Reponse)
    fil = threading.Thread(target=httpd.serve_forever, daemon=True)
    fil.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_load_generator_stops_at_the_request_count(serveur):
    resultat = outils.charger(serveur, "GET", "/", n_max=25, duree_max=60, concurrence=4)
    assert resultat.n == 25
    assert resultat.statuts == {200: 25}
    assert resultat.erreurs_serveur == 0
    assert resultat.pourcentile(50) <= resultat.pourcentile(99)


def test_load_generator_stops_at_the_time_limit(serveur):
    resultat = outils.charger(serveur, "GET", "/", n_max=10**9, duree_max=0.3, concurrence=2)
    assert 0 < resultat.n < 10**9


def test_load_generator_counts_server_errors_and_refused_connections(serveur):
    assert outils.charger(serveur, "GET", "/panne/", 5, 30, 2).erreurs_serveur == 5
    refuse = outils.charger(outils.port_libre(), "GET", "/", 3, 30, 1)
    assert refuse.n == 0 and sum(refuse.erreurs.values()) == 3


def test_proc_readings_of_a_process():
    rss, pic = outils.memoire_ko(os.getpid())
    assert 0 < rss <= pic
    assert os.getpid() in outils.enfants(os.getppid())


def test_filing_bodies_valid_and_broken():
    contexte = {"thematique_id": 1, "fiche_id": 2, "collectivite_type": "commune", "collectivite_code": "31555"}
    valide = json.loads(outils.corps_demande(contexte, 7))
    assert valide["consentement"] is True and valide["demandeur_email"].endswith("@charge.invalid")
    assert json.loads(outils.corps_demande(contexte, 7, invalide="consentement"))["consentement"] is False
    with pytest.raises(ValueError):
        json.loads(outils.corps_demande(contexte, 7, invalide="json"))


def test_ceiling_view_is_routed_by_the_benchmark_urlconf_only(client, settings, db):
    assert client.get("/bench/plafond/").status_code == 404
    settings.ROOT_URLCONF = "bench.urls"
    reponse = client.get("/bench/plafond/")
    assert reponse.status_code == 200 and reponse.content == b"ok"


# --- bench.wsgi: the ceilings answered before the middleware ------------------------------
def _appeler(application, chemin):
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": chemin, "REQUEST_METHOD": "GET", "SERVER_NAME": "127.0.0.1", "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    reponse = {}

    def start_response(statut, entetes, exc_info=None):
        reponse["statut"], reponse["entetes"] = statut, dict(entetes)

    corps = b"".join(application(environ, start_response))
    return reponse["statut"], reponse["entetes"], corps


def test_the_ceiling_is_answered_without_entering_django(monkeypatch):
    import bench.wsgi

    def site(environ, start_response):
        raise AssertionError("the ceiling must not reach the site's application")

    monkeypatch.setattr(bench.wsgi, "site", site)
    statut, entetes, corps = _appeler(bench.wsgi.application, "/bench/plafond/")
    assert statut == "200 OK" and corps == b"ok" and entetes["Content-Length"] == "2"


def test_the_django_ceiling_has_no_middleware_and_the_site_keeps_its_own(settings, db):
    import bench.wsgi

    settings.ROOT_URLCONF = "bench.urls"
    assert bench.wsgi.sans_intergiciel._view_middleware == []
    statut, entetes, corps = _appeler(bench.wsgi.application, "/bench/sans-intergiciel/")
    assert statut.startswith("200") and corps == b"ok"
    assert "X-Frame-Options" not in entetes  # no clickjacking middleware, no security headers
    # The same view through the site's application passes the whole middleware.
    statut, entetes, corps = _appeler(bench.wsgi.application, "/bench/vue-constante/")
    assert statut.startswith("200") and corps == b"ok" and "X-Frame-Options" in entetes


def test_bench_settings_switch_removes_the_page_cache_middleware_only(monkeypatch):
    import importlib

    monkeypatch.setenv("BENCH_CACHE_PAGES", "0")
    # Read afresh: another test may have reloaded the base settings under other variables.
    base = importlib.reload(importlib.import_module("config.settings.base"))
    reglages = importlib.reload(importlib.import_module("config.settings.bench"))
    assert reglages.MIDDLEWARE == [m for m in base.MIDDLEWARE if not m.startswith("config.cache.")]
    assert len(reglages.MIDDLEWARE) == len(base.MIDDLEWARE) - 2
    assert reglages.CACHES == base.CACHES  # the other caches stay as in production
    monkeypatch.delenv("BENCH_CACHE_PAGES")
    reglages = importlib.reload(reglages)
    assert reglages.MIDDLEWARE == base.MIDDLEWARE
    assert reglages.WSGI_APPLICATION == "bench.wsgi.application"


# --- CPU time from /proc and the wrk summary ----------------------------------------------
def test_cpu_of_a_process_tree_includes_its_reaped_children():
    import subprocess
    import sys

    avant = outils.cpu_arbre(os.getpid())
    assert avant >= outils.ticks(os.getpid()) / outils.TICKS_PAR_SECONDE
    # A child that burns CPU then exits: its time moves into our cutime/cstime, still counted.
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
    assert outils.cpu_arbre(os.getpid()) > avant
    assert outils.ticks(outils.port_libre() * 1000 + 7) == 0  # no such process


def test_wrk_summary_is_read_from_its_json_line():
    sortie = 'Running 1s test\nBENCH-JSON {"requetes": 3, "duree_us": 1000000, "latence_us": {"p50": 10}}\n'
    assert outils.lire_resume_wrk(sortie)["latence_us"]["p50"] == 10
    with pytest.raises(RuntimeError):
        outils.lire_resume_wrk("Running 1s test\n")


@pytest.mark.skipif(not __import__("shutil").which("wrk"), reason="wrk absent")
def test_wrk_run_with_cpu_of_the_server(serveur):
    resultat = outils.mesurer_wrk(serveur, "/", 1, 2, {"User-Agent": "test"}, {"moi": os.getpid()})
    assert resultat["requetes"] > 0 and resultat["erreurs"]["statut"] == 0
    assert resultat["latence_us"]["p50"] <= resultat["latence_us"]["p99"] <= resultat["latence_us"]["max"]
    assert resultat["cpu_s"]["moi"] >= 0 and len(resultat["charge_avant"]) == 3


# --- bench/sonde.py: the chef de file measured in the back office -------------------------
def test_probe_picks_a_chef_de_file_of_the_busiest_generated_direction(home_page, client):
    from django.db.models import Count

    from catalogue.models import CatalogueIndexPage, Membre
    from intake.models import Demande
    from tests.conftest import publish
    from tests.operations.test_generation import generer

    publish(home_page, CatalogueIndexPage(title="Catalogue", slug="catalogue"))
    generer()
    from bench import sonde

    chef = sonde.chef_de_file_charge()
    membre = Membre.objects.get(user__username=chef)
    assert membre.role == Membre.Role.CHEF_DE_FILE
    comptes = Demande.objects.values("direction").annotate(n=Count("pk")).order_by("-n")
    assert Demande.objects.filter(direction=membre.direction).count() == comptes[0]["n"]
    contexte = sonde.contexte(chef)
    client.cookies["sessionid"] = contexte["session_chef"]
    assert client.get("/admin/intake/demande/").status_code == 200
    assert client.get(f"/admin/intake/demande/inspect/{contexte['demande_id']}/").status_code == 200
