"""Suggested fiches for a free request, routed in one click; and the readable history."""

import html

import pytest
from django.core.management import call_command

from catalogue.enums import NatureFiche
from catalogue.models import FichePage, StructurePage
from intake.models import Demande
from operations.donnees_initiales.catalogue import load_catalogue_pages
from tests.conftest import publish
from tests.factories import DemandeFactory, ThematiqueFactory
from tests.intake.backoffice_support import demande_hgi, inspect_url

S = Demande.Statut
pytestmark = pytest.mark.django_db


@pytest.fixture
def fiches(organisation, home_page):
    load_catalogue_pages(home_page)
    page_hgi = StructurePage.objects.get(structure=organisation["hgi"])
    page_caue = StructurePage.objects.get(structure=organisation["caue"])
    thematique = ThematiqueFactory()
    marches = publish(
        page_hgi,
        FichePage(
            title="Conseil en marchés publics",
            slug="marches",
            chapo="Sécuriser vos marchés publics et contrats.",
            chef_de_file=organisation["hgi_juridique"],
            nature=NatureFiche.URGENTE,
            thematique=thematique,
        ),
    )
    architecture = publish(
        page_caue,
        FichePage(
            title="Conseil architectural",
            slug="architecture",
            chapo="Réhabiliter un bâtiment ancien avec un architecte.",
            chef_de_file=organisation["caue_direction"],
            thematique=thematique,
        ),
    )
    call_command("update_index", verbosity=0)
    return marches, architecture


def test_administrator_sees_fiches_ranked_and_routes_in_one_click(client, fiches, administrateur):
    marches, architecture = fiches
    demande = DemandeFactory(
        statut=S.ATTRIBUE_ADMIN, message="Litige sur un marché public de voirie : contrats et pénalités"
    )
    client.force_login(administrateur)
    content = html.unescape(client.get(inspect_url(demande)).content.decode())
    assert "Fiches suggérées" in content
    assert "Conseil en marchés publics" in content
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/orientation/", {"fiche": marches.pk, "version": demande.version}
    )
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.fiche_id == marches.pk
    assert demande.direction == marches.chef_de_file
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE
    # An urgent fiche: the deadline becomes 3 days after filing.
    assert (demande.echeance_premier_contact - demande.created_at.date()).days == 3


def test_chef_de_file_never_sees_suggestions(client, organisation, fiches, chef_hgi):
    demande = demande_hgi(organisation, message="marché public")
    client.force_login(chef_hgi)
    assert "Fiches suggérées" not in client.get(inspect_url(demande)).content.decode()


def test_history_lists_who_what_from_to_and_why_including_m2m(client, organisation, chef_hgi, expert_hgi, expert_caue):
    demande = demande_hgi(organisation)
    demande.affecter(by=chef_hgi, referent=expert_hgi, experts_associes=[expert_caue], reason="Appui du CAUE")
    client.force_login(chef_hgi)
    content = html.unescape(client.get(inspect_url(demande)).content.decode())
    assert "Historique des modifications" in content
    assert "Expert référent : — → Expert HGI" in content
    assert "Experts associés : — → Expert CAUE" in content
    assert "Statut : Attribué chef de file → Attribué expert(s)" in content
    assert "Appui du CAUE" in content
    assert "Chef HGI" in content
