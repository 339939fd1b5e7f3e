"""The steering journey in Chromium: an administrator creates an action with an
indicator, holds an instance's meeting with its compte rendu, and generates the bilan PDF."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from pilotage.models import Action, Axe, Bilan, Instance, Reunion
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.browser


def test_administrator_steers_the_platform(browser_page, administrateur, organisation):
    page = browser_page
    Axe.objects.create(titre="Améliorer l'accès aux services", ordre=1)
    annee = timezone.localdate().year
    login(page, "admin.plateforme")

    # An action with its indicator, on one form.
    page.goto("/admin/pilotage/action/create/")
    page.locator("#id_axe").select_option(label="1. Améliorer l'accès aux services")
    page.locator("#id_titre").fill("Former les secrétaires de mairie")
    page.locator("#id_statut").select_option("en_cours")
    page.locator("#id_avancement").fill("30")
    page.locator("#id_pilote_direction").select_option(str(organisation["hgi_juridique"].pk))
    page.locator("#id_indicateurs-ADD").click()
    page.locator("#id_indicateurs-0-libelle").fill("Demandes déposées")
    page.locator("#id_indicateurs-0-cible").fill("100")
    page.locator("#id_indicateurs-0-source").select_option("automatique")
    page.locator("#id_indicateurs-0-source_automatique").select_option("demandes_deposees")
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/pilotage/action/")
    action = Action.objects.get(titre="Former les secrétaires de mairie")
    assert action.indicateurs.get().source_automatique == "demandes_deposees"

    page.goto("/admin/pilotage/")
    assert page.get_by_text("Former les secrétaires de mairie").count() == 1
    assert page.get_by_text("(automatique").count() == 1
    assert_accessible(page, "main")
    screenshot(page, "pilotage-tableau-de-bord")

    # An instance and its meeting, then the compte rendu once held.
    page.goto("/admin/pilotage/instance/create/")
    page.locator("#id_nom").fill("Comité de suivi de la plateforme")
    page.locator("#id_type").select_option("comite_suivi")
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/pilotage/instance/")
    instance = Instance.objects.get(nom="Comité de suivi de la plateforme")

    hier = timezone.localtime() - datetime.timedelta(days=1)
    page.goto("/admin/pilotage/reunion/create/")
    page.locator("#id_instance_gouvernance").select_option(str(instance.pk))
    page.locator("#id_debut").fill(hier.strftime("%Y-%m-%d 14:00"))
    page.locator("#id_lieu").fill("Hôtel du Département")
    page.locator("#id_ordre_du_jour").fill("Point d'étape du plan d'actions")
    page.locator("#id_compte_rendu").fill("Le comité valide le calendrier des formations.")
    page.locator("#id_decisions-ADD").click()
    page.locator("#id_decisions-0-texte").fill("Ouvrir les inscriptions en septembre.")
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/pilotage/reunion/")
    reunion = Reunion.objects.get(instance_gouvernance=instance)
    page.goto(f"/admin/pilotage/reunions/{reunion.pk}/")
    assert page.get_by_text("Le comité valide le calendrier des formations.").count() == 1
    assert page.get_by_text("Ouvrir les inscriptions en septembre.").count() == 1
    assert_accessible(page, "main")

    # The bilan: texts, then the PDF.
    page.goto("/admin/pilotage/bilan/create/")
    page.locator("#id_annee").fill(str(annee))
    page.locator("#id_introduction").fill("Une année de consolidation du réseau.")
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/pilotage/bilan/")
    bilan = Bilan.objects.get(annee=annee)
    page.goto(f"/admin/pilotage/bilans/{bilan.pk}/")
    assert_accessible(page, "main")
    lien = page.get_by_role("link", name="Générer le PDF").get_attribute("href")
    reponse = page.request.get(lien)
    assert reponse.headers["content-type"] == "application/pdf"
    texte = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(reponse.body())).pages)
    assert f"Bilan annuel {annee}" in texte
    assert "Une année de consolidation du réseau." in texte
    assert "Former les secrétaires de mairie" in texte
    assert "Comité de suivi de la plateforme" in texte
