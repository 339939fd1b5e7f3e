import pytest
from django.core.cache import caches

from catalogue.models import Thematique

pytestmark = pytest.mark.django_db


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
    assert caches["pages"]._cache  # something was stored
    Thematique.objects.create(nom="Nouvelle thématique")
    assert not caches["pages"]._cache


def test_a_signed_in_user_is_never_served_nor_stores_a_cached_page(client, home_page, editeur):
    client.force_login(editeur)
    client.get("/")
    assert not caches["pages"]._cache


@pytest.mark.parametrize("path", ["/admin/login/", "/sante/"])
def test_excluded_paths_are_never_cached(client, home_page, path):
    client.get(path)
    assert not caches["pages"]._cache
