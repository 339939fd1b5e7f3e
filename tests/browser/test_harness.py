import pytest

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def site():
    from operations.donnees_initiales.editorial import load_site

    return load_site()


def test_home_page_renders_and_is_accessible(site, browser_page):
    browser_page.goto("/")
    assert "Plateforme d'appui aux territoires" in browser_page.title()
    assert browser_page.locator("a.lien-evitement").get_attribute("href") == "#contenu"
    assert_accessible(browser_page)
    screenshot(browser_page, "accueil")


def test_admin_login_page_is_in_french(site, browser_page):
    browser_page.goto("/admin/login/")
    assert browser_page.locator("html").get_attribute("lang").startswith("fr")
    assert "S'identifier" in browser_page.title()
    assert browser_page.locator("input[name=username]").is_visible()
