import pytest
from django.contrib.auth.models import Group

from catalogue import roles
from catalogue.models import Direction, Structure

pytestmark = pytest.mark.django_db


def test_renaming_a_direction_is_recorded_with_who_when_old_and_new_name(client, administrateur, organisation):
    direction = organisation["hgi_juridique"]
    client.force_login(administrateur)
    url = f"/admin/catalogue/direction/edit/{direction.pk}/"

    response = client.post(
        url,
        {
            "structure": direction.structure_id,
            "nom": "Direction juridique, financière et commande publique",
            "sigle": "DJFCP",
            "email_notification": direction.email_notification,
            "active": "on",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    latest, previous = direction.history.all()[:2]
    assert latest.history_user == administrateur
    assert latest.history_date is not None
    assert previous.nom == "Direction assistance juridique et financière"
    assert latest.nom == "Direction juridique, financière et commande publique"
    delta = latest.diff_against(previous)
    assert "nom" in delta.changed_fields


def test_a_structure_gets_its_partner_group_which_follows_its_sigle():
    structure = Structure.objects.create(nom="Syndicat de test", sigle="SDT")
    assert Group.objects.filter(name="Partenaires SDT").exists()

    structure.sigle = "SDT31"
    structure.save()

    assert Group.objects.filter(name="Partenaires SDT31").exists()
    assert not Group.objects.filter(name="Partenaires SDT").exists()


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_hgi", "editeur", "partenaire_caue"])
def test_the_org_chart_admin_is_refused_to_non_administrators(client, request, persona, organisation):
    client.force_login(request.getfixturevalue(persona))
    for url in ["/admin/catalogue/direction/", f"/admin/catalogue/direction/edit/{organisation['hgi_juridique'].pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert (
        Direction.objects.get(pk=organisation["hgi_juridique"].pk).nom == "Direction assistance juridique et financière"
    )


def test_the_org_chart_menu_is_hidden_from_non_administrators(client, chef_hgi, administrateur):
    client.force_login(chef_hgi)
    assert "/admin/catalogue/direction/" not in client.get("/admin/").content.decode()
    client.force_login(administrateur)
    assert "/admin/catalogue/direction/" in client.get("/admin/").content.decode()


def test_members_join_the_network_group_and_leave_it_with_their_last_membership(chef_hgi):
    assert chef_hgi.groups.filter(name=roles.GROUPE_RESEAU).exists()
    chef_hgi.membres.all().delete()
    chef_hgi.refresh_from_db()
    assert not chef_hgi.groups.filter(name=roles.GROUPE_RESEAU).exists()


def test_roles_answer_from_groups_and_memberships(
    administrateur, chef_hgi, expert_hgi, expert_caue, editeur, organisation
):
    assert roles.is_administrateur(administrateur) and roles.is_back_office_user(administrateur)
    assert roles.is_chef_de_file(chef_hgi, organisation["hgi_juridique"])
    assert not roles.is_chef_de_file(chef_hgi, organisation["caue_direction"])
    assert roles.is_expert(expert_hgi, organisation["hgi_juridique"])
    assert roles.is_back_office_user(expert_caue)
    assert not roles.is_back_office_user(editeur)
    assert roles.is_editeur(editeur) and not roles.is_administrateur(editeur)


def test_naming_every_direction_costs_one_query(organisation, django_assert_num_queries):
    for index in range(10):
        Direction.objects.create(structure=organisation["hgi"], nom=f"Direction {index}")
    with django_assert_num_queries(1):
        noms = [str(direction) for direction in Direction.objects.all()]
    assert "Direction 3 (HGI)" in noms
