"""A maire's journey: home → catalogue → filter → search "PLU" → fiche → "Faire une demande"."""

import re

import pytest

from catalogue.models import CatalogueIndexPage, Direction, Structure, StructurePage, Thematique
from tests.browser.conftest import assert_accessible, screenshot
from tests.catalogue.conftest import make_fiche
from tests.conftest import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue_publie():
    # Built here rather than from the `db` fixtures: the browser marker already gives a transactional database.
    from operations.donnees_initiales.editorial import load_site

    home_page = load_site()
    hgi_structure = Structure.objects.create(nom="Haute-Garonne Ingénierie", sigle="HGI")
    caue_structure = Structure.objects.create(
        nom="Conseil d'architecture, d'urbanisme et de l'environnement", sigle="CAUE"
    )
    organisation = {
        "hgi": hgi_structure,
        "caue": caue_structure,
        "hgi_juridique": Direction.objects.create(
            structure=hgi_structure, nom="Direction assistance juridique et financière"
        ),
        "caue_direction": Direction.objects.create(structure=caue_structure, nom=caue_structure.nom),
    }
    juridique = Thematique.objects.create(nom="Assistance juridique, administrative et financière", ordre=1)
    urbanisme = Thematique.objects.create(nom="Observation des territoires, planification et urbanisme", ordre=3)
    index = publish(home_page, CatalogueIndexPage(title="Catalogue des accompagnements", slug="catalogue"))
    hgi = publish(index, StructurePage(title="Haute-Garonne Ingénierie", slug="hgi", structure=organisation["hgi"]))
    caue = publish(index, StructurePage(title="CAUE de la Haute-Garonne", slug="caue", structure=organisation["caue"]))
    make_fiche(hgi, "Bénéficier d'un conseil juridique pour mieux décider", organisation["hgi_juridique"], juridique)
    make_fiche(
        caue, "Bénéficier d'un conseil architectural pour un bâtiment public", organisation["caue_direction"], urbanisme
    )
    planification = make_fiche(
        caue,
        "Bénéficier d'une assistance en matière de planification : PLUi/PLU/cartes communales",
        organisation["caue_direction"],
        urbanisme,
        beneficiaires=["commune", "cc"],
        mots_cles=["PLU", "PLUi", "carte communale"],
        millesime=2026,
    )
    return {"urbanisme": urbanisme, "planification": planification}


def test_maire_finds_the_planification_fiche_and_asks_for_it(catalogue_publie, browser_page):
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name="Parcourir le catalogue").click()
    page.wait_for_url(re.compile(r"/catalogue/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Catalogue des accompagnements"
    assert_accessible(page)

    # Filter by thématique with the form (no JavaScript needed: a GET form).
    page.get_by_label("Thématique", exact=True).select_option(label=catalogue_publie["urbanisme"].nom)
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"thematique=" + catalogue_publie["urbanisme"].slug))
    assert page.get_by_role("link", name=re.compile("conseil architectural")).is_visible()
    assert page.get_by_role("link", name=re.compile("conseil juridique")).count() == 0

    # Search "PLU" across the whole catalogue.
    page.get_by_label("Thématique", exact=True).select_option("")
    page.get_by_label("Rechercher une fiche").fill("PLU")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"q=PLU"))
    assert_accessible(page)
    screenshot(page, "catalogue-recherche-plu")

    page.get_by_role("link", name=re.compile("assistance en matière de planification")).click()
    page.wait_for_url(re.compile(r"/catalogue/caue/"))
    assert "Fiche à jour 2026" in page.content()
    assert_accessible(page)
    screenshot(page, "catalogue-fiche-planification")

    page.locator("main").get_by_role("link", name="Faire une demande").click()
    page.wait_for_url(re.compile(r"/demande/\?fiche=\d+$"))
    assert page.url.endswith(f"/demande/?fiche={catalogue_publie['planification'].pk}")


def test_search_without_result_offers_a_free_request(catalogue_publie, browser_page):
    browser_page.goto("/catalogue/?q=xylophone")
    assert browser_page.get_by_role("link", name="Faire une demande libre").is_visible()
    assert_accessible(browser_page)


def test_suggestions_appear_while_typing_in_the_search_field(catalogue_publie, browser_page):
    page = browser_page
    page.goto("/catalogue/")
    champ = page.get_by_label("Rechercher une fiche")
    champ.press_sequentially("planif", delay=30)
    options = page.locator(f"datalist#{champ.get_attribute('id')}-suggestions option")
    options.first.wait_for(state="attached")
    assert "planification" in options.first.get_attribute("value")
    assert_accessible(page)
