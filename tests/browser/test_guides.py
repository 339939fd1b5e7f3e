"""Screens of the user guides (docs/guides/) that no other browser test captures: the partner
editing a fiche, the cas 2 form, the administrator routing a free request, the yearly review,
the scheduled jobs and the "Aide" menu itself. Each screen is also checked for what it shows."""

import re

import pytest

from intake.models import Demande
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.conftest import add_membre, make_user
from tests.intake.backoffice_support import demande_hgi
from tests.intake.depot_helpers import catalogue, collectivites, thematiques  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def personas(organisation):
    from django.contrib.auth.models import Group

    from catalogue import roles
    from catalogue.models import Membre

    admin = make_user("admin.plateforme")
    admin.groups.add(Group.objects.get(name=roles.GROUPE_ADMINISTRATEURS))
    partenaire = make_user("partenaire.caue")
    partenaire.groups.add(Group.objects.get(name=organisation["caue"].nom_groupe_partenaires))
    chef = add_membre(make_user("chef.hgi"), organisation["hgi_juridique"], Membre.Role.CHEF_DE_FILE)
    return {"admin": admin, "partenaire": partenaire, "chef": chef}


def test_partner_edits_its_fiche_and_submits_it(browser_page, personas, catalogue):
    page = browser_page
    fiche = catalogue["complexe"]
    login(page, "partenaire.caue")
    page.goto(f"/admin/pages/{fiche.pk}/edit/")
    page.wait_for_selector("form#page-edit-form")
    assert page.locator("#id_title").input_value() == fiche.title
    # A partner cannot publish: the action menu offers the platform's validation workflow.
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    soumettre = page.get_by_role("button", name="Soumettre à Validation plateforme")
    soumettre.wait_for(state="visible")
    assert soumettre.count() == 1
    assert page.get_by_role("button", name="Publier").count() == 0
    page.wait_for_timeout(500)  # the dropdown's opening animation, for a clean capture
    screenshot(page, "partenaire-edition-fiche", full_page=False)


def test_partner_cas_2_form(browser_page, personas, catalogue, collectivites):
    page = browser_page
    login(page, "chef.hgi")
    page.goto("/admin/demandes/transmettre/")
    assert page.get_by_role("button", name="Enregistrer la demande").count() == 1
    assert_accessible(page, "main")
    screenshot(page, "depot-partenaire", full_page=False)


def test_administrator_routes_a_free_request(browser_page, personas, catalogue, organisation):
    page = browser_page
    libre = demande_hgi(
        organisation,
        statut=Demande.Statut.ATTRIBUE_ADMIN,
        direction=None,
        fiche=None,
        message="Nous cherchons un conseil juridique sur un bail commercial.",
    )
    login(page, "admin.plateforme")
    page.goto(f"/admin/intake/demande/inspect/{libre.pk}/")
    orienter = page.locator("section[aria-labelledby=titre-router]")
    assert orienter.get_by_role("button", name="Orienter").count() >= 1
    orienter.scroll_into_view_if_needed()
    screenshot(page, "admin-orienter", full_page=False)

    page.goto("/admin/catalogue/fiches-a-revoir/")
    assert "Fiches à revoir" in page.inner_text("main")
    screenshot(page, "admin-fiches-a-revoir", full_page=False)

    page.goto("/admin/exploitation/taches/")
    assert "Envoi des courriels en attente" in page.inner_text("main")
    screenshot(page, "admin-taches-planifiees", full_page=False)


def test_help_menu_shows_the_guides(browser_page, personas):
    page = browser_page
    login(page, "chef.hgi")
    page.get_by_role("button", name=re.compile(r"^Aide")).click()
    lien = page.get_by_role("link", name="Traiter une demande")
    assert lien.is_visible()
    lien.click()
    page.wait_for_url("**/admin/aide/traiter-une-demande/")
    assert page.locator(".guide-aide h2").count() >= 3
    screenshot(page, "aide-guide-traiter", full_page=False)
    assert_accessible(page, "main")


def test_public_guide_for_communes_shows_its_captures(browser_page):
    from operations.donnees_initiales.editorial import load_site

    load_site()
    page = browser_page
    page.goto("/aide/deposer-une-demande/")
    assert page.get_by_role("heading", level=1).inner_text() == "Déposer une demande"
    images = page.locator(".guide-aide img")
    assert images.count() >= 3
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
        assert images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)
