"""Catalogue API v2: fiche fields on pages, thématique and structure filters, search, own endpoints."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
FIELDS = "thematique,chef_de_file,nature,delai_rappel_jours,beneficiaires,millesime,co_chefs_de_file,mots_cles,cout"


def items(client, **params):
    response = client.get(PAGES, {"type": "catalogue.FichePage", **params})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def titles(client, **params):
    return sorted(item["title"] for item in items(client, **params))


def test_fiche_fields_are_exposed(client, fiches, catalogue):
    fiche = fiches["conseil"]
    item = next(i for i in items(client, fields=FIELDS) if i["id"] == fiche.pk)
    assert item["thematique"] == {
        "id": catalogue["juridique"].pk,
        "nom": catalogue["juridique"].nom,
        "slug": catalogue["juridique"].slug,
    }
    assert item["chef_de_file"]["nom"] == "Direction assistance juridique et financière"
    assert item["chef_de_file"]["structure"]["sigle"] == "HGI"
    assert item["nature"] == "urgente"
    assert item["delai_rappel_jours"] == 3
    assert item["beneficiaires"] == ["commune"]
    assert item["millesime"] == 2026
    assert item["cout"] == "gratuit"


def test_co_chefs_de_file_and_mots_cles_are_exposed(client, fiches):
    item = client.get(f"{PAGES}{fiches['bourg'].pk}/").json()
    assert [d["structure"]["sigle"] for d in item["co_chefs_de_file"]] == ["CAUE"]
    planification = client.get(f"{PAGES}{fiches['planification'].pk}/").json()
    assert sorted(planification["mots_cles"]) == ["PLU", "PLUi", "urbanisme"]


def test_filter_by_thematique_id_or_slug(client, fiches, catalogue):
    expected = sorted([fiches["intercommunalite"].title, fiches["conseil"].title])
    assert titles(client, thematique=catalogue["juridique"].pk) == expected
    assert titles(client, thematique=catalogue["juridique"].slug) == expected


def test_filter_by_structure_id_sigle_or_slug_includes_co_led(client, fiches, catalogue):
    expected = sorted([fiches["planification"].title, fiches["bourg"].title])
    assert titles(client, structure="CAUE") == expected
    assert titles(client, structure=catalogue["caue"].pk) == expected
    assert titles(client, structure="caue") == expected


def test_filters_combine_with_search(client, fiches, catalogue):
    assert titles(client, search="PLU", structure="CAUE") == [fiches["planification"].title]
    assert titles(client, search="PLU", thematique=catalogue["urbanisme"].slug) == [fiches["planification"].title]
    assert titles(client, search="PLU", thematique=catalogue["juridique"].slug) == []


def test_unknown_filter_values_are_bad_requests(client, fiches):
    assert client.get(PAGES, {"type": "catalogue.FichePage", "thematique": "inconnue"}).status_code == 400
    assert client.get(PAGES, {"type": "catalogue.FichePage", "structure": "XYZ"}).status_code == 400


def test_catalogue_filters_need_the_fiche_type(client, fiches):
    assert client.get(PAGES, {"structure": "CAUE"}).status_code == 400


def test_unpublished_fiches_are_not_exposed(client, fiches):
    fiches["conseil"].unpublish()
    assert fiches["conseil"].title not in titles(client)


def test_thematiques_endpoint(client, catalogue):
    response = client.get("/api/v2/thematiques/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 3
    assert [item["nom"] for item in data["items"]][0] == catalogue["juridique"].nom
    detail = client.get(f"/api/v2/thematiques/{catalogue['urbanisme'].pk}/").json()
    assert detail["slug"] == catalogue["urbanisme"].slug


def test_structures_endpoint(client, catalogue):
    data = client.get("/api/v2/structures/", {"fields": "courriel"}).json()
    assert {item["sigle"] for item in data["items"]} == {"HGI", "CAUE"}
    detail = client.get(f"/api/v2/structures/{catalogue['hgi'].pk}/").json()
    assert detail["nom"] == "Haute-Garonne Ingénierie"
    assert detail["courriel"] == "contact@hgi.test"


def test_structure_page_exposes_its_structure(client, catalogue):
    data = client.get(PAGES, {"type": "catalogue.StructurePage", "fields": "structure"}).json()
    assert {item["structure"]["id"] for item in data["items"]} == {catalogue["hgi"].pk, catalogue["caue"].pk}
