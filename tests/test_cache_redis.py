"""REDIS_URL against a real redis-server (Debian package `redis-server`, installed by .ci/run):
the settings build working caches, and publishing invalidates its pages in the page cache
without flushing the database the rate-limit counters share."""

import importlib
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from catalogue.cache_pages import lire_versions
from intake.depot import ratelimit

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _port_libre():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    if not shutil.which(REDIS_SERVER):
        pytest.skip("redis-server absent (paquet Debian redis-server, installé par .ci/run)")
    import redis

    port = _port_libre()
    dossier = tmp_path_factory.mktemp("redis")
    serveur = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(dossier),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if serveur.poll() is not None:
                    pytest.fail("redis-server s'est arrêté au démarrage")
                time.sleep(0.05)
        else:
            pytest.fail("redis-server ne répond pas")
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        serveur.terminate()
        serveur.wait(timeout=10)


@pytest.fixture
def caches_redis(redis_url, settings, monkeypatch):
    """The CACHES that config/settings/base.py builds from REDIS_URL, applied to this test."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delitem(sys.modules, "config.settings.base", raising=False)
    base = importlib.import_module("config.settings.base")
    monkeypatch.delitem(sys.modules, "config.settings.base")
    settings.CACHES = base.CACHES
    yield base.CACHES
    for alias in base.CACHES:
        caches[alias].clear()  # the throwaway server of this module only


def test_redis_url_gives_one_redis_database_shared_under_a_prefix_per_alias(caches_redis, redis_url):
    assert {alias: (conf["BACKEND"], conf["LOCATION"]) for alias, conf in caches_redis.items()} == {
        alias: ("django.core.cache.backends.redis.RedisCache", redis_url)
        for alias in ("default", "pages", "renditions", "compteurs")
    }
    assert len({conf["KEY_PREFIX"] for conf in caches_redis.values()}) == 4
    for alias in caches_redis:
        caches[alias].set("cle", alias)
    assert [caches[alias].get("cle") for alias in caches_redis] == ["default", "pages", "renditions", "compteurs"]


@pytest.mark.django_db
def test_publishing_empties_the_pages_but_keeps_the_rate_limit_counters(caches_redis, client, home_page, settings):
    settings.INTAKE_LIMITES_DEPOT = {**settings.INTAKE_LIMITES_DEPOT, "formulaire": (1, 3600), "api": (1, 3600)}
    requete = RequestFactory().post("/demande/", REMOTE_ADDR="203.0.113.7")
    assert ratelimit.depasse_limite(requete, "formulaire") is False
    cles_limite = [cle for cle in caches["default"]._cache.get_client().keys("*") if b"intake:limite" in cle]
    assert len(cles_limite) == 1

    client.get("/")
    client.get("/")  # the first one created the site settings, which invalidates every page
    generation, version = lire_versions("/")
    redis = caches["pages"]._cache.get_client()
    pages_avant = [cle for cle in redis.keys("*") if f".{generation}.{version}.".encode() in cle]
    assert pages_avant  # the home page was stored in Redis under the current versions

    home_page.introduction = "<p>Publication vue par tous les hôtes.</p>"
    home_page.save_revision().publish()

    nouvelle_generation, nouvelle_version = lire_versions("/")
    assert nouvelle_generation == generation and nouvelle_version != version  # the home page's path only
    assert "Publication vue par tous les hôtes." in client.get("/").content.decode()
    # The counter survived: the same visitor is still over its quota.
    assert redis.exists(*cles_limite) == 1
    assert ratelimit.depasse_limite(requete, "formulaire") is True
