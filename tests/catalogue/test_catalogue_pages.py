"""The public catalogue: index grouped by thématique, filters, search, partner page, fiche page."""

import pytest
from wagtail.models import Page

from catalogue.models import CatalogueIndexPage, FichePage, StructurePage
from tests.catalogue.conftest import make_fiche

pytestmark = pytest.mark.django_db


def titres(response):
    return [fiche.title for _, fiches in response.context["groupes"] for fiche in fiches]


def test_tree_types_are_enforced():
    assert CatalogueIndexPage.allowed_subpage_models() == [StructurePage]
    assert StructurePage.allowed_subpage_models() == [FichePage]
    assert FichePage.allowed_subpage_models() == []
    assert [m for m in FichePage.allowed_parent_page_models()] == [StructurePage]
    assert not StructurePage.can_create_at(Page.get_first_root_node())


def test_index_lists_every_fiche_grouped_by_thematique_in_order(client, fiches, catalogue):
    response = client.get("/catalogue/")
    assert response.status_code == 200
    groupes = response.context["groupes"]
    assert [thematique.nom for thematique, _ in groupes] == [
        catalogue["juridique"].nom,
        catalogue["amenagement"].nom,
        catalogue["urbanisme"].nom,
    ]
    assert len(titres(response)) == 4
    assert b"Haute-Garonne Ing" in response.content  # partner pages listed too


def test_index_hides_unpublished_fiches(client, fiches):
    fiches["conseil"].unpublish()
    response = client.get("/catalogue/")
    assert fiches["conseil"].title not in titres(response)


def test_filter_by_thematique_uses_its_slug(client, fiches, catalogue):
    response = client.get("/catalogue/", {"thematique": catalogue["juridique"].slug})
    assert sorted(titres(response)) == sorted([fiches["intercommunalite"].title, fiches["conseil"].title])
    assert (
        f'href="/catalogue/?thematique={catalogue["juridique"].slug}" aria-current="true"'.encode() in response.content
    )


def test_filter_by_structure_includes_co_led_fiches(client, fiches):
    response = client.get("/catalogue/", {"structure": "caue"})
    assert sorted(titres(response)) == sorted([fiches["planification"].title, fiches["bourg"].title])


def test_filter_by_beneficiaire_epci_matches_every_epci_type(client, fiches):
    response = client.get("/catalogue/", {"beneficiaire": "epci"})
    assert sorted(titres(response)) == sorted([fiches["intercommunalite"].title, fiches["planification"].title])


def test_filter_by_nature(client, fiches):
    response = client.get("/catalogue/", {"nature": "urgente"})
    assert titres(response) == [fiches["conseil"].title]


def test_filters_combine(client, fiches, catalogue):
    response = client.get("/catalogue/", {"thematique": catalogue["juridique"].slug, "nature": "complexe"})
    assert titres(response) == [fiches["intercommunalite"].title]


def test_search_finds_fiche_by_mot_cle_and_combines_with_filters(client, fiches, catalogue):
    response = client.get("/catalogue/", {"q": "PLU"})
    assert fiches["planification"].title in titres(response)
    assert fiches["conseil"].title not in titres(response)
    response = client.get("/catalogue/", {"q": "PLU", "thematique": catalogue["juridique"].slug})
    assert titres(response) == []


def test_search_without_result_suggests_the_free_request_form(client, fiches):
    response = client.get("/catalogue/", {"q": "xylophone"})
    assert titres(response) == []
    assert b'href="/demande/"' in response.content
    assert "Faire une demande libre" in response.content.decode()


def test_unknown_filter_value_is_reported_not_crashed(client, fiches):
    response = client.get("/catalogue/", {"thematique": "n-existe-pas"})
    assert response.status_code == 200
    assert titres(response) == []
    assert "La recherche n'a pas pu être faite" in response.content.decode()


def test_filters_form_works_without_javascript(client, fiches):
    html = client.get("/catalogue/").content.decode()
    assert 'method="get"' in html
    for name in ("q", "thematique", "structure", "beneficiaire", "nature"):
        assert f'name="{name}"' in html
    assert '<button type="submit"' in html


def test_index_links_to_the_pdf_guide(client, fiches):
    assert b'href="/catalogue/guide.pdf"' in client.get("/catalogue/").content


def test_structure_page_lists_led_and_co_led_fiches(client, fiches, catalogue):
    page = catalogue["caue_page"]
    page.presentation = "<p>Le CAUE conseille les collectivités.</p>"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert [f.title for f in response.context["fiches_pilotees"]] == [fiches["planification"].title]
    assert [f.title for f in response.context["fiches_copilotees"]] == [fiches["bourg"].title]
    assert "Le CAUE conseille les collectivités." in response.content.decode()


def test_fiche_page_shows_what_a_maire_needs(client, fiches):
    fiche = fiches["conseil"]
    fiche.contact_nom = "Pôle juridique"
    fiche.contact_courriel = "juridique@hgi.test"
    fiche.save_revision().publish()
    html = client.get(fiche.url).content.decode()
    assert fiche.title.replace("'", "&#x27;") in html
    assert "sous 3 jours" in html
    assert "Gratuit" in html
    assert "Commune" in html
    assert "Haute-Garonne Ingénierie" in html
    assert "juridique@hgi.test" in html
    assert "Fiche à jour 2026" in html
    assert f'href="/demande/?fiche={fiche.pk}"' in html


def test_fiche_page_names_co_chefs_de_file(client, fiches):
    html = client.get(fiches["bourg"].url).content.decode()
    assert "Co-chef(s) de file" in html
    assert "Conseil d&#x27;architecture" in html


def test_fiche_without_online_request_has_no_request_button(client, fiches):
    fiche = fiches["intercommunalite"]
    fiche.demande_en_ligne = False
    fiche.save_revision().publish()
    html = client.get(fiche.url).content.decode()
    assert f"/demande/?fiche={fiche.pk}" not in html
    assert "ne se demande pas en ligne" in html


def test_fiche_without_millesime_shows_no_update_badge(client, fiches):
    assert "Fiche à jour" not in client.get(fiches["bourg"].url).content.decode()


def test_fiche_delai_follows_nature(fiches):
    assert fiches["conseil"].delai_rappel_jours == 3
    assert fiches["bourg"].delai_rappel_jours == 10


def test_a_fiche_cannot_be_created_directly_under_the_index(catalogue):
    assert not FichePage.can_create_at(catalogue["index"])
    assert FichePage.can_create_at(catalogue["hgi_page"])


def test_make_fiche_helper_publishes(catalogue):
    fiche = make_fiche(catalogue["caue_page"], "Une fiche", catalogue["caue_direction"], catalogue["urbanisme"])
    assert fiche.live


def test_empty_criteria_are_dropped_from_the_url(client, fiches):
    response = client.get("/catalogue/?q=PLU&thematique=&structure=&beneficiaire=&nature=")
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/?q=PLU"
    response = client.get("/catalogue/?q=&thematique=")
    assert response["Location"] == "/catalogue/"


def test_fiche_breadcrumb_links_back_to_its_thematique(client, fiches, catalogue):
    html = client.get(fiches["planification"].url).content.decode()
    assert f'href="/catalogue/?thematique={catalogue["urbanisme"].slug}"' in html


def test_structure_page_shows_its_own_logo_or_the_structure_logo(client, catalogue):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    structure_logo = Image.objects.create(title="Logo HGI", file=get_test_image_file(filename="hgi.png"))
    structure = catalogue["hgi"]
    structure.logo = structure_logo
    structure.save()
    page = catalogue["hgi_page"]
    assert "images/hgi." in client.get(page.url).content.decode()

    page_logo = Image.objects.create(title="Logo page", file=get_test_image_file(filename="page.png"))
    page.logo = page_logo
    page.save_revision().publish()
    page.refresh_from_db()
    html = client.get(page.url).content.decode()
    assert "images/page." in html and "images/hgi." not in html


def test_a_private_catalogue_keeps_wagtails_view_restriction(client, fiches):
    """The catalogue index is served through on_serve_page: Wagtail's own check runs first."""
    from wagtail.models import PageViewRestriction

    from catalogue.models import CatalogueIndexPage

    PageViewRestriction.objects.create(
        page=CatalogueIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/catalogue/?q=PLU")
    assert response.status_code == 302 and "/login/" in response["Location"]
