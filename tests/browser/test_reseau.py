"""The network's space in a real browser: a member finds a colleague in the annuaire, uploads a
document, starts a thread, and the colleague's notification waits in the outbox."""

import pytest

from intake.models import Notification
from reseau.models import DocumentPartage, Dossier, FicheAnnuaire, Fil
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.catalogue.conftest import thematiques  # noqa: F401
from tests.intake.depot_helpers import PDF_MINIMAL

pytestmark = pytest.mark.browser


def test_a_member_finds_a_colleague_shares_a_document_and_starts_a_thread(
    chef_hgi,
    expert_caue,
    thematiques,
    browser_page,
    tmp_path,  # noqa: F811
):
    carte = FicheAnnuaire.objects.create(user=expert_caue, fonction="Architecte conseil", telephone="05 61 00 00 01")
    carte.thematiques.add(thematiques["juridique"])
    dossier = Dossier.objects.create(nom="Comité technique", categorie="Comité technique")
    page = browser_page
    login(page, "chef.hgi")

    page.goto("/admin/reseau/annuaire/")
    page.fill("input[name=q]", "caue")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    carte_collegue = page.locator(".reseau-carte").filter(has_text="Expert CAUE")
    assert carte_collegue.count() == 1
    assert "Architecte conseil" in carte_collegue.inner_text()
    assert page.locator(".reseau-carte").filter(has_text="Chef HGI").count() == 0
    screenshot(page, "reseau-annuaire")
    assert_accessible(page, "main")

    page.goto("/admin/reseau/documents/")
    page.get_by_role("link", name="Comité technique").click()
    page.fill("input[name=titre]", "Programme des permanences")
    fichier = tmp_path / "permanences.pdf"
    fichier.write_bytes(PDF_MINIMAL)
    page.set_input_files("input[name=fichier]", str(fichier))
    page.get_by_role("button", name="Déposer", exact=True).click()
    page.wait_for_load_state()
    assert "après validation" in page.content()
    document = DocumentPartage.objects.get(dossier=dossier)
    assert document.titre == "Programme des permanences" and document.statut == DocumentPartage.Statut.EN_ATTENTE

    page.goto("/admin/reseau/discussions/")
    page.get_by_role("link", name="Ouvrir une discussion").click()
    page.fill("input[name=titre]", "Modèle de convention de groupement")
    page.select_option("select[name=thematique]", str(thematiques["juridique"].pk))
    page.fill("textarea[name=texte]", "Quelqu'un a-t-il un modèle récent ?")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Ne plus suivre").count() == 1
    screenshot(page, "reseau-discussion")

    fil = Fil.objects.get()
    assert fil.auteur == chef_hgi
    courriels = [n for n in Notification.objects.filter(kind="reseau_nouveau_fil") if expert_caue.email in n.to]
    assert len(courriels) == 1
    assert "Modèle de convention de groupement" in courriels[0].subject
    assert f"/admin/reseau/discussions/{fil.pk}/" in courriels[0].body
