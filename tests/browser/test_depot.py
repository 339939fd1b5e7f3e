"""A commune files a demande from a fiche, with a collectivité from the autocomplete and an
attachment, sees its numéro and opens the tracking link; the form is accessible, errors included."""

import re

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
    page.set_input_files(
        "#id_pieces_jointes", files=[{"name": "bail.pdf", "mimeType": "application/pdf", "buffer": PDF_MINIMAL}]
    )
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


def _formulaire_en_erreur(page, demande_page, settings):
    """The filing form after an empty submission: the summary of errors is shown."""
    settings.INTAKE_DUREE_MINIMALE_SAISIE = 0
    page.goto(demande_page.url)
    page.wait_for_selector("#id_collectivite_saisie")
    page.click("button[type=submit]")
    page.wait_for_selector("#resume-erreurs")


def test_error_summary_link_to_collectivite_focuses_the_visible_field(
    browser_page, collectivites, demande_page, settings
):
    page = browser_page
    _formulaire_en_erreur(page, demande_page, settings)
    lien = page.locator("#resume-erreurs a", has_text=re.compile(r"^Collectivité :"))
    assert lien.get_attribute("href") == "#id_collectivite_saisie"
    lien.click()
    assert page.evaluate("document.activeElement.id") == "id_collectivite_saisie"
    assert page.locator("#id_collectivite_saisie").is_visible()
    # The other links still lead to their own field.
    page.locator("#resume-erreurs a", has_text=re.compile(r"^Nom :")).click()
    assert page.evaluate("document.activeElement.id") == "id_demandeur_nom"
    assert_accessible(page)


def test_phone_field_is_a_telephone_input(browser_page, collectivites, demande_page):
    page = browser_page
    page.goto(demande_page.url)
    assert page.evaluate("document.getElementById('id_demandeur_telephone').type") == "tel"


def test_typing_an_exact_name_selects_the_collectivite(browser_page, collectivites, demande_page):
    from tests.factories import CollectiviteFactory

    CollectiviteFactory(code="31506", nom="Saint-Félix-Lauragais", codes_postaux=["31540"])
    page = browser_page
    page.goto(demande_page.url)
    saisie = page.locator("#id_collectivite_saisie")
    # Case does not matter, and neither does the code postal.
    saisie.press_sequentially("grenade")
    assert page.locator("#id_collectivite").input_value() == "31232"
    # Nor accents and hyphens.
    saisie.fill("")
    saisie.press_sequentially("saint felix lauragais")
    assert page.locator("#id_collectivite").input_value() == "31506"
    # The full label, as the suggestions write it, too.
    saisie.fill("Merville (31330)")
    assert page.locator("#id_collectivite").input_value() == "31341"
    # A beginning of a name selects nothing: the commune must be chosen.
    saisie.fill("")
    saisie.press_sequentially("Gren")
    assert page.locator("#id_collectivite").input_value() == ""


def test_a_name_shared_by_two_communes_selects_neither(browser_page, collectivites, demande_page, settings):
    from tests.factories import CollectiviteFactory

    CollectiviteFactory(code="31117", nom="Castelnau", codes_postaux=["31620"])
    CollectiviteFactory(code="31118", nom="Castelnau", codes_postaux=["31290"])
    page = browser_page
    page.goto(demande_page.url)
    page.locator("#id_collectivite_saisie").press_sequentially("castelnau")
    assert page.locator("#id_collectivite").input_value() == ""
    page.locator("#id_collectivite_saisie").fill("Castelnau (31290)")
    assert page.locator("#id_collectivite").input_value() == "31118"


def test_an_exact_name_typed_without_choosing_a_suggestion_is_filed(
    browser_page, collectivites, demande_page, thematiques, settings
):
    settings.INTAKE_DUREE_MINIMALE_SAISIE = 0
    page = browser_page
    page.goto(demande_page.url)
    page.select_option("#id_thematique", str(thematiques["juridique"].pk))
    page.fill("#id_demandeur_nom", "Durand")
    page.fill("#id_demandeur_prenom", "Claire")
    page.fill("#id_demandeur_email", "maire@merville.test")
    page.fill("#id_demandeur_telephone", "05 61 82 61 00")
    page.select_option("#id_type_collectivite", "commune")
    page.locator("#id_collectivite_saisie").press_sequentially("MERVILLE")
    page.keyboard.press("Escape")
    page.fill("#id_message", "Nous souhaitons un conseil sur notre projet de salle des fêtes.")
    page.check("#id_consentement")
    page.click("button[type=submit]")
    page.wait_for_url("**/demande/confirmation/")
    assert Demande.objects.get().collectivite.code == "31341"


CONTRASTE_ANNEAU_JS = """(selecteur) => {
  const el = document.querySelector(selecteur);
  el.focus();
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const contraste = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
  let fond = null;
  for (let n = el.parentElement; n && !fond; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || c[3] > 0) fond = c.slice(0, 3);
  }
  fond = fond || [255, 255, 255];
  const style = getComputedStyle(el);
  const anneau = rgb(style.outlineColor).slice(0, 3);
  const ombre = rgb(style.boxShadow).slice(0, 3);
  return {
    visible: el.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    anneau_fond: contraste(anneau, fond),
    ombre_fond: ombre.length === 3 ? contraste(ombre, fond) : 0,
    anneau_ombre: ombre.length === 3 ? contraste(anneau, ombre) : 0,
  };
}"""


@pytest.mark.parametrize(
    "selecteur",
    [
        ".entete__marque",  # white header
        ".navigation .bouton--secondaire",  # white button with a brand-coloured border
        "#id_demandeur_nom",  # form field on the white page
        ".formulaire-depot button[type=submit]",  # brand-coloured button
        ".pied a",  # dark footer
    ],
)
def test_focus_ring_contrasts_at_least_3_to_1_with_its_background(browser_page, demande_page, selecteur):
    page = browser_page
    page.goto(demande_page.url)
    page.keyboard.press("Tab")  # keyboard navigation: the browser shows :focus-visible rings
    mesure = page.evaluate(CONTRASTE_ANNEAU_JS, selecteur)
    assert mesure["visible"], mesure
    # Two rings that contrast with each other; at least one of them with the background around.
    assert mesure["anneau_ombre"] >= 3, mesure
    assert max(mesure["anneau_fond"], mesure["ombre_fond"]) >= 3, mesure
