"""The catalogue index and a fiche page cost the same number of SQL queries with 10 or 100 fiches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.cache_pages import invalider_toutes_les_pages
from tests.catalogue.conftest import make_fiche

pytestmark = pytest.mark.django_db


def add_fiches(catalogue, count):
    parents = [
        (catalogue["hgi_page"], catalogue["hgi_juridique"]),
        (catalogue["caue_page"], catalogue["caue_direction"]),
    ]
    thematiques = [catalogue["juridique"], catalogue["amenagement"], catalogue["urbanisme"]]
    existing = len(catalogue.setdefault("creees", []))
    for number in range(existing, existing + count):
        parent, direction = parents[number % 2]
        fiche = make_fiche(
            parent,
            f"Fiche de démonstration {number}",
            direction,
            thematiques[number % 3],
            co_chefs_de_file=[catalogue["hgi_ingenierie"]],
            mots_cles=["démo", f"mot{number}"],
        )
        catalogue["creees"].append(fiche)


def count_queries(client, url, **params):
    client.get(url, params)  # warm the per-process caches (content types, site root paths)
    invalider_toutes_les_pages()  # but count a rendering, not a page served from the page cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries)


RECHERCHES = [{}, {"structure": "hgi", "beneficiaire": "epci"}, {"q": "démonstration"}]


def test_index_query_count_does_not_grow_with_fiches(client, catalogue):
    add_fiches(catalogue, 10)
    with_10 = [count_queries(client, "/catalogue/", **params) for params in RECHERCHES]
    add_fiches(catalogue, 90)
    with_100 = [count_queries(client, "/catalogue/", **params) for params in RECHERCHES]
    assert with_100 == with_10


def test_fiche_page_query_count_does_not_grow_with_fiches(client, catalogue):
    add_fiches(catalogue, 10)
    fiche = catalogue["creees"][0]
    with_10 = count_queries(client, fiche.url)
    add_fiches(catalogue, 90)
    with_100 = count_queries(client, fiche.url)
    assert with_100 == with_10


def test_structure_page_query_count_does_not_grow_with_fiches(client, catalogue):
    add_fiches(catalogue, 10)
    url = catalogue["hgi_page"].url
    with_10 = count_queries(client, url)
    add_fiches(catalogue, 90)
    with_100 = count_queries(client, url)
    assert with_100 == with_10


def test_index_renders_with_a_bounded_number_of_queries(client, catalogue, django_assert_max_num_queries):
    add_fiches(catalogue, 10)
    client.get("/catalogue/")
    with django_assert_max_num_queries(15):
        client.get("/catalogue/")


def test_api_fiche_list_query_count_does_not_grow_with_fiches(client, catalogue):
    url = "/api/v2/pages/"
    params = {
        "type": "catalogue.FichePage",
        "fields": "thematique,chef_de_file,co_chefs_de_file,directions_associees",
        "limit": 50,
    }
    add_fiches(catalogue, 5)
    with_5 = count_queries(client, url, **params)
    add_fiches(catalogue, 40)
    with_45 = count_queries(client, url, **params)
    assert with_45 == with_5
    donnees = client.get(url, params).json()
    assert donnees["meta"]["total_count"] >= 45
    fiche = next(f for f in donnees["items"] if f["title"].startswith("Fiche de démonstration"))
    assert [d["structure"]["sigle"] for d in fiche["co_chefs_de_file"]] == [catalogue["hgi_ingenierie"].structure.sigle]
