"""Who reaches the steering tools (issue 16): anonymous → login, administrators manage
everything, network members read the dashboard, éditeurs and partners without Membre get
neither page nor menu entry."""

import pytest
from django.urls import reverse

from tests.pilotage.helpers import plan

pytestmark = pytest.mark.django_db

PAGES_ADMINISTRATEUR = ["pilotage_axe_modeladmin_index", "pilotage_action_modeladmin_index",
                        "pilotage_action_modeladmin_create"]


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
    assert reverse("pilotage_tableau_de_bord") not in client.get(reverse("wagtailadmin_home")).content.decode()


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
    assert reverse("pilotage_tableau_de_bord") in contenu
    assert reverse("pilotage_action_modeladmin_index") not in contenu


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


@pytest.mark.parametrize("url_name", ["pilotage_instance_modeladmin_index", "pilotage_reunion_modeladmin_index",
                                      "pilotage_reunion_modeladmin_create"])
@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue", "chef_hgi"])
def test_only_administrators_manage_instances(client, request, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(url_name)).status_code in (302, 403)


def test_anonymous_does_not_reach_the_instances(client):
    assert "/admin/login/" in client.get(reverse("pilotage_instances"))["Location"]
