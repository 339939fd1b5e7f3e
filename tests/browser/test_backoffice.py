"""The back-office journey in Chromium: chef de file assigns, expert handles,
an expert of another structure is refused; axe-core on the custom pages."""

import datetime

import pytest
from django.utils import timezone

from intake.models import Demande
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.intake.backoffice_support import demande_en_retard, demande_hgi

pytestmark = pytest.mark.browser
S = Demande.Statut


def test_chef_de_file_and_expert_handle_an_overdue_demande(
    browser_page, organisation, chef_hgi, expert_hgi, expert_caue
):
    page = browser_page
    en_retard = demande_en_retard(organisation, demandeur_nom="Dupuy-Secret")
    a_l_heure = demande_hgi(organisation, echeance_premier_contact=timezone.localdate() + datetime.timedelta(days=5))

    login(page, "chef.hgi")
    page.goto("/admin/intake/demande/")
    assert page.get_by_text(f"n°{a_l_heure.numero}", exact=True).count() == 1
    screenshot(page, "backoffice-liste", full_page=False)
    page.get_by_role("link", name="En retard", exact=True).click()
    page.wait_for_url("**retard=oui**")
    assert page.get_by_text(f"n°{a_l_heure.numero}", exact=True).count() == 0
    assert_accessible(page, "main")
    screenshot(page, "backoffice-liste-en-retard")
    page.get_by_role("link", name="Ouvrir").first.click()
    page.wait_for_url(f"**/admin/intake/demande/inspect/{en_retard.pk}/")
    assert page.get_by_text("Dupuy-Secret").count() >= 1
    assert_accessible(page, "main")
    page.get_by_label("Expert référent").select_option(str(expert_hgi.pk))
    page.get_by_role("button", name="Enregistrer l'affectation").click()
    page.wait_for_load_state()
    assert "L'affectation de la demande est enregistrée" in page.content()
    page.context.clear_cookies()

    login(page, "expert.hgi")
    page.goto(f"/admin/intake/demande/inspect/{en_retard.pk}/")
    page.get_by_role("button", name="Confirmer la réception").click()
    page.wait_for_load_state()
    page.get_by_label("Date du premier contact").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer le premier contact").click()
    page.wait_for_load_state()
    page.get_by_label("Type d'entrée").select_option("appel")
    page.get_by_label("Message (obligatoire)").fill("Appel au maire : rendez-vous fixé.")
    page.get_by_role("button", name="Ajouter au journal").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Passer « En cours »").click()
    page.wait_for_load_state()
    assert "est passée au statut « En cours »" in page.content()
    # Checked again without the animated flash message, which axe may catch mid-fade.
    page.goto(f"/admin/intake/demande/inspect/{en_retard.pk}/")
    assert_accessible(page, "main")
    screenshot(page, "backoffice-detail-en-cours")
    en_retard.refresh_from_db()
    assert en_retard.statut == S.EN_COURS
    assert en_retard.premier_contact_le == timezone.localdate()
    assert en_retard.journal.get().message == "Appel au maire : rendez-vous fixé."
    assert "Appel au maire : rendez-vous fixé." in page.content()
    page.context.clear_cookies()

    login(page, "expert.caue")
    response = page.goto(f"/admin/intake/demande/inspect/{en_retard.pk}/")
    assert response.status == 404
    assert "Dupuy-Secret" not in page.content()
