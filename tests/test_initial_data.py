import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from actualites.models import HomePage
from catalogue import roles
from catalogue.models import Direction, Membre, Structure, StructurePage, Thematique
from intake.models import Collectivite

pytestmark = pytest.mark.django_db

CONVENTION_SIGNATORIES = {"CD31", "HGI", "CAUE", "HGE", "HGN", "HGT", "Réseau31", "SDIS 31", "SDEHG", "CDG31"}


@pytest.fixture
def loaded(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    call_command("load_initial_data", stdout=open("/dev/null", "w"))


def counts():
    return {
        "structures": Structure.objects.count(),
        "directions": Direction.objects.count(),
        "membres": Membre.objects.count(),
        "thematiques": Thematique.objects.count(),
        "collectivites": Collectivite.objects.count(),
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "history": Direction.history.count() + Structure.history.count() + Collectivite.history.count(),
    }


def test_it_loads_the_ten_signatories_of_the_convention_and_their_directions(loaded):
    assert set(Structure.objects.values_list("sigle", flat=True)) == CONVENTION_SIGNATORIES
    hgi = Structure.objects.get(sigle="HGI")
    assert hgi.adresse_complete == "54 boulevard de l'Embouchure, 31200 Toulouse"
    assert set(hgi.directions.values_list("nom", flat=True)) == {
        "Direction assistance juridique et financière",
        "Direction Ingénierie et expérimentation territoriale",
    }
    departement = Structure.objects.get(sigle="CD31")
    assert departement.directions.filter(sigle="DDAT - Gestion des aides").exists()
    assert departement.directions.count() == 10
    # A structure without internal directions is its own single direction.
    assert Structure.objects.get(sigle="CAUE").directions.get().nom == Structure.objects.get(sigle="CAUE").nom
    assert 10 <= Thematique.objects.count() <= 14
    assert Thematique.objects.filter(nom="Assistance juridique, administrative et financière").exists()


def test_it_builds_the_site_with_a_partner_page_per_structure(loaded):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert StructurePage.objects.count() == 10


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    call_command("load_initial_data", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_the_demo_accounts_hold_their_roles(loaded):
    users = {user.username: user for user in get_user_model().objects.all()}
    assert {"admin", "chef.hgi", "expert.hgi", "chef.caue", "expert.caue", "partenaire.caue", "editeur"} <= set(users)
    hgi_dajf = Direction.objects.get(structure__sigle="HGI", nom="Direction assistance juridique et financière")
    caue = Direction.objects.get(structure__sigle="CAUE")
    assert roles.is_administrateur(users["admin"])
    assert roles.is_chef_de_file(users["chef.hgi"], hgi_dajf) and not roles.is_expert(users["chef.hgi"])
    assert roles.is_expert(users["expert.hgi"], hgi_dajf) and not roles.is_chef_de_file(users["expert.hgi"])
    assert roles.is_chef_de_file(users["chef.caue"], caue)
    assert roles.is_expert(users["expert.caue"], caue)
    assert roles.is_partenaire(users["partenaire.caue"], Structure.objects.get(sigle="CAUE"))
    assert not roles.is_back_office_user(users["partenaire.caue"])
    assert roles.is_editeur(users["editeur"]) and not roles.is_back_office_user(users["editeur"])
    for user in users.values():
        assert user.check_password("demo")
        assert user.has_perm("wagtailadmin.access_admin"), user.username


def test_demo_accounts_are_never_created_where_forbidden(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    call_command("load_initial_data", stdout=open("/dev/null", "w"))
    assert not get_user_model().objects.exists()


def test_every_demo_account_can_sign_in_to_the_admin(loaded, client):
    for username in ["admin", "chef.hgi", "expert.caue", "partenaire.caue", "editeur"]:
        client.logout()
        response = client.post("/admin/login/", {"username": username, "password": "demo"})
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200, username


def test_home_and_admin_login_render(loaded, client):
    assert client.get("/").status_code == 200
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "S'identifier" in response.content.decode()
