"""A commune files a demande from a fiche, with a collectivité from the autocomplete and an
attachment, sees its numéro and opens the tracking link; the form is accessible, errors included."""

import pytest

from intake.models import Demande
from tests.browser.conftest import assert_accessible, screenshot
from tests.intake.depot_helpers import PDF_MINIMAL, catalogue, collectivites, demande_page, thematiques  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_commune_files_a_demande_from_a_fiche(browser_page, catalogue, collectivites, demande_page, settings):
    settings.INTAKE_DUREE_MINIMALE_SAISIE = 0
    page = browser_page
    fiche = catalogue["urgente"]
    page.goto(fiche.url)
    # The journey goes through the fiche's own button: a missing or broken link fails the test.
    lien_fiche = page.get_by_role("link", name="Faire une demande").and_(
        page.locator(f'a[href$="/demande/?fiche={fiche.pk}"]')
    )
    assert lien_fiche.count() == 1, "La fiche n'offre pas le bouton « Faire une demande » vers son formulaire."
    lien_fiche.click()
    page.wait_for_selector("form.formulaire-depot")
    assert page.locator("#id_fiche").input_value() == str(fiche.pk)
    assert_accessible(page)
    screenshot(page, "depot-formulaire", full_page=False)

    # Error state: an empty submission lists its errors at the top, accessible too.
    page.fill("#id_demandeur_nom", "")
    page.click("button[type=submit]")
    page.wait_for_selector("#resume-erreurs")
    assert "Indiquez votre nom." in page.inner_text("#resume-erreurs")
    assert page.locator("#id_fiche").input_value() == str(fiche.pk)
    screenshot(page, "depot-erreurs", full_page=False)
    assert_accessible(page)

    page.fill("#id_demandeur_nom", "Durand")
    page.fill("#id_demandeur_prenom", "Claire")
    page.fill("#id_demandeur_fonction", "Maire")
    page.fill("#id_demandeur_email", "maire@grenade.test")
    page.fill("#id_demandeur_telephone", "05 61 82 61 00")
    page.select_option("#id_type_collectivite", "commune")
    saisie = page.locator("#id_collectivite_saisie")
    saisie.fill("")
    saisie.press_sequentially("Gren")
    page.get_by_role("option", name="Grenade (31330)").click()
    assert page.locator("#id_collectivite").input_value() == "31232"
    page.fill("#id_message", "Nous souhaitons un conseil juridique sur un bail commercial.")
    page.set_input_files("#id_pieces_jointes", files=[{"name": "bail.pdf", "mimeType": "application/pdf", "buffer": PDF_MINIMAL}])
    page.check("#id_consentement")
    page.click("button[type=submit]")

    page.wait_for_url("**/demande/confirmation/")
    demande = Demande.objects.get()
    assert f"numéro {demande.numero}" in page.inner_text("main")
    assert demande.collectivite.code == "31232"
    assert demande.pieces_jointes.count() == 1
    assert_accessible(page)
    screenshot(page, "depot-confirmation", full_page=False)

    page.click("text=Suivre ma demande")
    page.wait_for_url(f"**/suivi/{demande.jeton_suivi}/")
    texte = page.inner_text("main")
    assert f"n°{demande.numero}" in texte
    assert "Orientée" in texte and "Attribué chef de file" not in texte  # plain French, not the back office's label
    assert_accessible(page)
    screenshot(page, "depot-suivi", full_page=False)
