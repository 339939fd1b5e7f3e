"""Statistics in a real browser: the charts as `admin` and as `chef.hgi`, and the public figures."""

import pytest
from django.contrib.auth.models import Group

from catalogue import roles
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.conftest import make_user
from tests.intake.statistiques_donnees import cache_des_pages_vide, donnees  # noqa: F401

pytestmark = pytest.mark.browser

PERIODE = "/admin/statistiques/?debut=2025-01-01&fin=2025-12-31"


@pytest.fixture(autouse=True)
def _cache_des_pages_vide(cache_des_pages_vide):
    yield


@pytest.fixture
def admin(db):
    user = make_user("admin")
    user.groups.add(Group.objects.get(name=roles.GROUPE_ADMINISTRATEURS))
    return user


def test_admin_sees_every_chart_with_its_table(donnees, admin, chef_hgi, browser_page):
    page = browser_page
    login(page, "admin")
    page.goto(PERIODE)
    assert page.locator("h1, h2").filter(has_text="Demandes par thématique").count() == 1
    graphiques = page.locator("svg.graphique")
    assert graphiques.count() >= 10
    assert page.locator("svg.graphique title").first.text_content()
    assert page.locator("#titre-statut").is_visible()
    # The table beside the chart holds the same figures.
    ligne = page.locator("section[aria-labelledby=titre-thematique] tbody tr").first
    assert ligne.locator("th").text_content() == "Urbanisme"
    assert ligne.locator("td").text_content() == "2"
    chemin = screenshot(page, "statistiques-admin")
    for slug in ("mois", "thematique", "delais", "epci"):
        page.locator(f"section[aria-labelledby=titre-{slug}]").screenshot(
            path=str(chemin.with_name(f"statistiques-admin-{slug}.png"))
        )
    assert_accessible(page, "main")


def test_chef_de_file_sees_its_direction_then_the_whole_platform(donnees, chef_hgi, browser_page):
    page = browser_page
    login(page, "chef.hgi")
    page.goto(PERIODE)
    chiffres = page.get_by_role("list", name="Chiffres clés", exact=True)
    assert "2 demandes déposées" in chiffres.inner_text().replace("\n", " ")
    assert page.locator("select[name=structure]").count() == 0
    screenshot(page, "statistiques-chef-hgi-direction")
    # Below its own figures, the whole platform's, without personal data.
    plateforme = page.get_by_role("list", name="Chiffres clés de toute la plateforme")
    assert "5 demandes déposées" in plateforme.inner_text().replace("\n", " ")
    screenshot(page, "statistiques-chef-hgi-global")
    # No entry to the personal-data pages for a chef de file.
    page.goto("/admin/")
    assert page.locator("a[href='/admin/statistiques/acces/']").count() == 0


def test_public_figures_page_is_accessible(donnees, browser_page):
    page = browser_page
    page.goto("/la-plateforme-en-chiffres/?annee=2025")
    assert page.locator("h1").text_content() == "La plateforme en chiffres"
    assert page.locator("svg.graphique").count() >= 5
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger les données (CSV)").click()
    assert telechargement.value.suggested_filename.endswith(".csv")
    screenshot(page, "plateforme-en-chiffres")
    assert_accessible(page)
