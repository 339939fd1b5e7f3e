"""Browser journeys of the editorial site: home page, actualités, agenda, ressources —
accessible (axe-core) and screenshotted at desktop and mobile widths."""

import mimetypes
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}
BUREAU = {"width": 1280, "height": 900}


@pytest.fixture
def site_demo():
    """The real demo content (partners, thématiques, pages, images) in the live server's database."""
    from operations.donnees_initiales import catalogue as catalogue_data
    from operations.donnees_initiales.editorial import load_contenu_editorial, load_site
    from tests.factories import CollectiviteFactory

    catalogue_data.load_organisation()
    catalogue_data.load_thematiques()
    for nom in ["Revel", "Aurignac", "Carbonne"]:
        CollectiviteFactory(nom=nom)
    home = load_site()
    catalogue_data.load_catalogue_pages(home)
    load_contenu_editorial(home)
    return home


@pytest.fixture
def page(browser_page):
    """The browser page, with uploaded images served from MEDIA_ROOT (the live server has DEBUG off)."""

    def servir_media(route):
        chemin = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1].split("?")[0]
        if chemin.is_file() and "/documents/" not in route.request.url:
            route.fulfill(body=chemin.read_bytes(), content_type=mimetypes.guess_type(chemin.name)[0] or "image/jpeg")
        else:
            route.fulfill(status=404, body="")

    browser_page.route("**/media/**", servir_media)
    return browser_page


def captures(page, nom):
    page.set_viewport_size(BUREAU)
    screenshot(page, f"{nom}-bureau")
    page.set_viewport_size(MOBILE)
    screenshot(page, f"{nom}-mobile")
    page.set_viewport_size(BUREAU)


def test_home_page_shows_the_platform_and_its_entry_points(site_demo, page):
    page.goto("/")

    assert page.locator("h1").inner_text() == settings.PLATEFORME["NOM"]
    chiffres = page.locator(".chiffres__liste li")
    assert chiffres.count() == 3
    assert "structures partenaires" in chiffres.nth(1).inner_text()
    assert page.locator(".grille--thematiques li").count() == 14
    assert page.locator("#titre-actualites ~ ul li").count() == 3
    assert page.get_by_role("link", name="Faire une demande").first.get_attribute("href") == "/demande/"
    assert page.locator(".partenaires a").count() == 10
    assert_accessible(page)
    captures(page, "accueil")

    page.get_by_label("Rechercher un accompagnement dans le catalogue").fill("voirie")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/catalogue/?q=voirie")


def test_actualites_journey_from_home_to_a_projet_exemplaire(site_demo, page):
    page.goto("/")
    page.get_by_role("link", name="Toutes les actualités").click()
    page.wait_for_url("**/actualites/")
    assert page.locator("h1").inner_text() == "Actualités"
    assert page.locator(".liste-cartes > li").count() == 10
    assert page.get_by_role("navigation", name="Pagination").is_visible()
    assert_accessible(page)
    captures(page, "actualites-liste")

    page.get_by_label("Type d'article").select_option("projet_exemplaire")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/actualites/?*type=projet_exemplaire*")
    cartes = page.locator(".liste-cartes > li")
    assert cartes.count() == 3
    assert all("Projet exemplaire" in texte for texte in cartes.all_inner_texts())

    page.get_by_role("link", name="Revel rénove son groupe scolaire avec le CAUE et Haute-Garonne Ingénierie").click()
    page.wait_for_url("**/actualites/projet-exemplaire-revel-groupe-scolaire/")
    assert "Collectivité concernée" in page.locator(".encadre").inner_text()
    assert page.locator("figure.figure--une img").get_attribute("alt")
    assert page.locator("blockquote").is_visible()
    assert_accessible(page)
    captures(page, "actualite-projet-exemplaire")

    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name="Actualités", exact=True).click()
    page.wait_for_url("**/actualites/")


def test_agenda_event_and_ressources_are_accessible(site_demo, page):
    page.goto("/agenda/")
    assert page.locator("#titre-a-venir ~ ul li").count() == 4
    assert page.locator("#titre-passes ~ ul li").count() == 2
    assert_accessible(page)
    captures(page, "agenda")

    page.get_by_role("link", name="Salon des maires et des élus locaux de la Haute-Garonne").click()
    page.wait_for_url("**/agenda/salon-des-maires-2026/")
    assert page.get_by_role("link", name="S'inscrire").is_visible()
    assert_accessible(page)
    captures(page, "evenement")

    page.goto("/ressources/")
    assert page.locator(".liste-ressources > li").count() == 7
    assert "Compte rendu du comité de pilotage" not in page.content()
    assert_accessible(page)
    captures(page, "ressources")

    page.goto("/plan-du-site/")
    assert page.get_by_role("link", name="Données personnelles").first.is_visible()
    assert_accessible(page)


def test_communes_find_the_help_page_and_the_obligatory_pages_are_accessible(site_demo, page):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="guide d'aide aux communes « Déposer une demande »").click()
    page.wait_for_url("**/aide/deposer-une-demande/")
    assert_accessible(page)

    pied = page.get_by_role("contentinfo")
    assert pied.get_by_role("link", name="Aide aux communes").get_attribute("href") == "/aide/deposer-une-demande/"

    page.goto("/plan-du-site/")
    page.locator(".plan-du-site").get_by_role("link", name="Aide aux communes : déposer une demande").click()
    page.wait_for_url("**/aide/deposer-une-demande/")

    page.goto("/accessibilite/")
    texte = page.inner_text("main")
    for attendu in [
        "Cette déclaration a été établie le",
        "Taux de conformité",
        "Environnement de test",
        "Libre réponse 71120",
    ]:
        assert attendu in texte
    assert_accessible(page)

    page.goto("/mentions-legales/")
    assert "Le site est hébergé par" in page.inner_text("main")
    assert_accessible(page)


def test_favicon_is_linked_and_served(site_demo, page):
    page.goto("/")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href == f"/static/{settings.PLATEFORME['FAVICON']}"
    reponse = page.request.get(page.base_url + href)
    assert reponse.status == 200
    assert reponse.headers["content-type"].startswith("image/svg+xml")


def test_back_office_carries_the_platform_branding(browser_page, administrateur):
    from tests.browser.conftest import login

    page = browser_page
    page.goto("/admin/login/")
    assert page.title().endswith(settings.PLATEFORME["NOM"])
    assert "Wagtail" not in page.title()
    assert page.locator('img[src$="' + settings.PLATEFORME["LOGO"] + '"]').is_visible()
    assert_accessible(page)
    screenshot(page, "admin-connexion", full_page=False)

    login(page, administrateur.username)
    assert page.title().endswith(settings.PLATEFORME["NOM"])
    logo = page.locator('#wagtail-sidebar img[src$="' + settings.PLATEFORME["LOGO"] + '"]')
    assert logo.is_visible()
    assert logo.get_attribute("alt") == settings.PLATEFORME["NOM"]
    screenshot(page, "admin-tableau-de-bord", full_page=False)
