"""Who reaches the steering tools: anonymous → login, administrators manage
everything, network members read the dashboard, éditeurs and partners without Membre get
neither page nor menu entry."""

import pytest
from django.urls import reverse

from tests.pilotage.helpers import plan

pytestmark = pytest.mark.django_db


def lien_menu(url_name):
    """An entry of the admin sidebar (its menu is JSON in the page)."""
    return f'"url": "{reverse(url_name)}"'


PAGES_ADMINISTRATEUR = [
    "pilotage_axe_modeladmin_index",
    "pilotage_action_modeladmin_index",
    "pilotage_action_modeladmin_create",
]


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("pilotage_tableau_de_bord"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["administrateur", "chef_hgi", "expert_caue"])
def test_administrators_and_members_read_the_dashboard(client, request, persona, organisation):
    plan(organisation)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("pilotage_tableau_de_bord"))
    assert response.status_code == 200
    assert "Former les secrétaires de mairie" in response.content.decode()


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_editors_and_partners_without_membre_do_not_read_the_dashboard(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pilotage_tableau_de_bord")).status_code in (302, 403)
    assert lien_menu("pilotage_tableau_de_bord") not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("url_name", PAGES_ADMINISTRATEUR)
@pytest.mark.parametrize("persona", ["chef_hgi", "editeur", "partenaire_caue"])
def test_only_administrators_manage_the_plan(client, request, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(url_name)).status_code in (302, 403)


def test_the_administrator_manages_the_plan(client, administrateur):
    client.force_login(administrateur)
    for url_name in PAGES_ADMINISTRATEUR:
        assert client.get(reverse(url_name)).status_code == 200


def test_a_member_sees_the_dashboard_in_the_menu_but_not_the_management_entries(client, chef_hgi):
    client.force_login(chef_hgi)
    contenu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert lien_menu("pilotage_tableau_de_bord") in contenu
    assert lien_menu("pilotage_action_modeladmin_index") not in contenu


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue", "chef_hgi"])
def test_only_administrators_manage_conventions(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pilotage_convention_modeladmin_index")).status_code in (302, 403)
    assert client.get(reverse("pilotage_convention_modeladmin_create")).status_code in (302, 403)


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_editors_and_partners_do_not_read_the_partners_conventions(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("pilotage_conventions_partenaires")).status_code in (302, 403)


def test_anonymous_does_not_read_the_partners_conventions(client):
    assert "/admin/login/" in client.get(reverse("pilotage_conventions_partenaires"))["Location"]


@pytest.mark.parametrize(
    "url_name",
    ["pilotage_instance_modeladmin_index", "pilotage_reunion_modeladmin_index", "pilotage_reunion_modeladmin_create"],
)
@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue", "chef_hgi"])
def test_only_administrators_manage_instances(client, request, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(url_name)).status_code in (302, 403)


def test_anonymous_does_not_reach_the_instances(client):
    assert "/admin/login/" in client.get(reverse("pilotage_instances"))["Location"]


@pytest.fixture
def bilan(db):
    from pilotage.models import Bilan

    return Bilan.objects.create(annee=2025, introduction="Texte.")


@pytest.mark.parametrize("persona", ["chef_hgi", "partenaire_caue"])
def test_members_and_partners_do_not_reach_the_bilans(client, request, persona, bilan):
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("pilotage_bilan_modeladmin_index"),
        reverse("pilotage_bilan", args=[bilan.pk]),
        reverse("pilotage_bilan_pdf", args=[bilan.pk]),
        reverse("pilotage_bilan_publier", args=[bilan.pk]),
    ]:
        assert client.get(url).status_code in (302, 403), url


def test_an_editor_sees_only_the_bilans_in_the_governance_menu(client, editeur, bilan):
    client.force_login(editeur)
    contenu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert lien_menu("pilotage_bilan_modeladmin_index") in contenu
    assert lien_menu("pilotage_action_modeladmin_index") not in contenu
    assert lien_menu("pilotage_tableau_de_bord") not in contenu
    assert client.get(reverse("pilotage_bilan_modeladmin_index")).status_code == 200
    assert client.get(reverse("pilotage_bilan_modeladmin_delete", args=[bilan.pk])).status_code in (302, 403)


def test_anonymous_does_not_reach_the_bilan_pdf(client, bilan):
    assert "/admin/login/" in client.get(reverse("pilotage_bilan_pdf", args=[bilan.pk]))["Location"]


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("pilotage_tableau_de_bord", []),
        ("pilotage_instances", []),
        ("pilotage_reunion", [1]),
        ("pilotage_reunion_compte_rendu", [1]),
        ("pilotage_reunion_inviter", [1]),
        ("pilotage_conventions_partenaires", []),
        ("pilotage_convention_document", [1]),
        ("pilotage_bilan", [1]),
        ("pilotage_bilan_pdf", [1]),
        ("pilotage_bilan_publier", [1]),
        ("pilotage_bilan_retirer", [1]),
        ("pilotage_action_modeladmin_index", []),
        ("pilotage_convention_modeladmin_index", []),
        ("pilotage_bilan_modeladmin_index", []),
    ],
)
def test_anonymous_reaches_no_steering_page(client, url_name, args):
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
