import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Thematique
from config.cache import CLE_GENERATION, generation_pages, vider_cache_pages

pytestmark = pytest.mark.django_db


def pages_en_cache():
    """Keys of the page cache (LocMemCache in tests), its generation left aside."""
    return [cle for cle in caches["pages"]._cache if not cle.endswith(CLE_GENERATION)]


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_an_anonymous_page_is_served_from_the_cache_without_any_query(client, home_page, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content
    # Browsers must not keep HTML: a publication shows at once.
    assert "max-age=0" in second["Cache-Control"] and "must-revalidate" in second["Cache-Control"]


def test_publishing_a_page_empties_the_cache(client, home_page):
    client.get("/")
    home_page.introduction = "<p>Nouvelle présentation de la plateforme.</p>"
    home_page.save_revision().publish()
    assert "Nouvelle présentation de la plateforme." in client.get("/").content.decode()


def test_saving_a_snippet_empties_the_cache(client, home_page):
    client.get("/")
    with CaptureQueriesContext(connection) as servie_du_cache:
        client.get("/")
    assert len(servie_du_cache) == 0
    Thematique.objects.create(nom="Nouvelle thématique")
    with CaptureQueriesContext(connection) as recalculee:
        client.get("/")
    assert len(recalculee) > 0


def test_emptying_the_page_cache_touches_nothing_else(client, home_page):
    """On a shared Redis, clear() would also flush the rate-limit counters: it is never called."""
    client.get("/")
    caches["pages"].set("autre-cle", "gardée")
    cache.set("intake:limite:formulaire:203.0.113.7:1", 4)
    generation = generation_pages()
    vider_cache_pages()
    assert generation_pages() != generation
    assert caches["pages"].get("autre-cle") == "gardée"
    assert cache.get("intake:limite:formulaire:203.0.113.7:1") == 4


def test_a_lost_generation_never_brings_old_pages_back(client, home_page):
    client.get("/")
    caches["pages"].delete(CLE_GENERATION, version=0)  # evicted by the cache
    home_page.introduction = "<p>Texte publié pendant l'éviction.</p>"
    home_page.save_revision().publish()
    caches["pages"].delete(CLE_GENERATION, version=0)
    assert "Texte publié pendant l'éviction." in client.get("/").content.decode()


def test_a_signed_in_user_is_never_served_nor_stores_a_cached_page(client, home_page, editeur):
    client.force_login(editeur)
    client.get("/")
    assert not pages_en_cache()


@pytest.mark.parametrize("path", ["/admin/login/", "/sante/"])
def test_excluded_paths_are_never_cached(client, home_page, path):
    client.get(path)
    assert not pages_en_cache()
