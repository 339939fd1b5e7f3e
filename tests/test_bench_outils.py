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
