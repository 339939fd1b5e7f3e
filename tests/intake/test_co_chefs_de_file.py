"""Co-chefs de file (guide: "revitalisation centre-bourg: le CAUE et HGI sont
co-chefs de file"): a demande filed on a co-led fiche is told to every co-chef de file
direction, visible in full to each of their chefs de file, and any of them designates the
référent. A chef de file of an unrelated direction sees the list row only and gets no email."""

import pytest

from catalogue.enums import NatureFiche
from catalogue.models import FichePage, Membre, StructurePage
from intake import permissions
from intake.depot.services import deposer_demande
from intake.models import Demande, Notification, TransitionInvalide
from tests.conftest import add_membre, make_user, publish
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import inspect_url
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    donnees_service,
    thematiques,
)

S = Demande.Statut
pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_bourg(catalogue, organisation, thematiques):
    """The guide's example: led by the CAUE, HGI's legal direction co-chef de file."""
    page_caue = StructurePage.objects.get(structure=organisation["caue"])
    fiche = FichePage(
        title="Revitalisation centre-bourg",
        slug="centre-bourg",
        chapo="Redonner vie au bourg.",
        thematique=thematiques["urbanisme"],
        nature=NatureFiche.COMPLEXE,
        chef_de_file=organisation["caue_direction"],
    )
    fiche.co_chefs_de_file = [organisation["hgi_juridique"]]
    fiche = publish(page_caue, fiche)
    assert list(fiche.co_chefs_de_file.all()) == [organisation["hgi_juridique"]]
    return fiche


@pytest.fixture
def chef_autre(organisation):
    """Chef de file of a direction that has nothing to do with the fiche."""
    return add_membre(make_user("chef.ingenierie"), organisation["hgi_ingenierie"], Membre.Role.CHEF_DE_FILE)


@pytest.fixture
def demande_co_pilotee(centre_bourg, collectivites, chef_caue, chef_hgi, chef_autre):
    return deposer_demande(**donnees_service(collectivites, fiche=centre_bourg, demandeur_nom="Dupuy-Secret"))


def test_the_new_demande_notice_goes_to_every_co_chef_de_file_direction(
    demande_co_pilotee, chef_caue, chef_hgi, chef_autre
):
    [avis] = Notification.objects.filter(demande=demande_co_pilotee, kind=Notification.Kind.NOUVELLE_DEMANDE)
    assert demande_co_pilotee.direction.structure.sigle == "CAUE"
    assert set(avis.to) == {chef_caue.email, "contact@caue.test", chef_hgi.email, "dajf@hgi.test"}
    assert chef_autre.email not in avis.to


def test_an_inactive_co_chef_de_file_direction_is_not_told(
    centre_bourg, collectivites, organisation, chef_caue, chef_hgi
):
    organisation["hgi_juridique"].active = False
    organisation["hgi_juridique"].save()
    demande = deposer_demande(**donnees_service(collectivites, fiche=centre_bourg))
    [avis] = Notification.objects.filter(demande=demande, kind=Notification.Kind.NOUVELLE_DEMANDE)
    assert set(avis.to) == {chef_caue.email, "contact@caue.test"}


def test_the_co_chef_de_file_opens_the_detail_with_personal_data(client, demande_co_pilotee, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(inspect_url(demande_co_pilotee))
    assert response.status_code == 200
    contenu = response.content.decode()
    assert "Dupuy-Secret" in contenu and demande_co_pilotee.demandeur_email in contenu


def test_a_chef_de_file_of_an_unrelated_direction_is_refused(client, demande_co_pilotee, chef_autre):
    client.force_login(chef_autre)
    response = client.get(inspect_url(demande_co_pilotee))
    assert response.status_code in (302, 403, 404)
    assert "Dupuy-Secret" not in response.content.decode()
    assert not permissions.peut_voir_detail(chef_autre, demande_co_pilotee)


def test_an_expert_of_the_co_chef_direction_does_not_see_it_until_designated(demande_co_pilotee, expert_hgi):
    # Co-chef de file is a chef de file's role: the direction's experts wait to be designated.
    assert not permissions.peut_voir_detail(expert_hgi, demande_co_pilotee)


def test_the_co_chef_de_file_designates_the_referent_from_its_own_direction(
    client, demande_co_pilotee, chef_hgi, expert_hgi
):
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande_co_pilotee.pk}/affectation/",
        {"version": demande_co_pilotee.version, "expert_referent": expert_hgi.pk},
    )
    assert response.status_code == 302
    demande_co_pilotee.refresh_from_db()
    assert demande_co_pilotee.expert_referent == expert_hgi
    assert demande_co_pilotee.statut == S.ATTRIBUE_EXPERT
    assert demande_co_pilotee.chef_de_file == chef_hgi


def test_the_affectation_form_offers_the_members_of_every_co_chef_direction(
    client, demande_co_pilotee, chef_hgi, expert_hgi, expert_caue
):
    client.force_login(chef_hgi)
    form = client.get(inspect_url(demande_co_pilotee)).context["affectation_form"]
    assert {expert_hgi, expert_caue} <= set(form.fields["expert_referent"].queryset)


def test_the_referent_must_belong_to_a_chef_or_co_chef_direction(demande_co_pilotee, chef_hgi, organisation):
    etranger = add_membre(make_user("expert.ingenierie"), organisation["hgi_ingenierie"], Membre.Role.EXPERT)
    with pytest.raises(TransitionInvalide):
        demande_co_pilotee.affecter(by=chef_hgi, referent=etranger)
    demande_co_pilotee.refresh_from_db()
    assert demande_co_pilotee.expert_referent is None


def test_a_chef_de_file_of_an_unrelated_direction_cannot_designate(client, demande_co_pilotee, chef_autre, expert_hgi):
    client.force_login(chef_autre)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande_co_pilotee.pk}/affectation/",
        {"version": demande_co_pilotee.version, "expert_referent": expert_hgi.pk},
    )
    assert response.status_code == 404
    demande_co_pilotee.refresh_from_db()
    assert demande_co_pilotee.expert_referent is None


def test_co_chefs_de_file_appear_in_the_co_chef_s_own_demandes(demande_co_pilotee, chef_hgi, chef_autre):
    assert list(Demande.objects.suivies_par(chef_hgi)) == [demande_co_pilotee]
    assert list(Demande.objects.suivies_par(chef_autre)) == []


def test_sql_and_python_visibility_agree(
    centre_bourg,
    catalogue,
    organisation,
    collectivites,
    administrateur,
    chef_hgi,
    chef_caue,
    expert_hgi,
    expert_caue,
    chef_autre,
    editeur,
    partenaire_caue,
):
    """Every persona × a set of demandes covering each clause: the list (SQL) and the detail
    (Python) never disagree."""
    inactif = add_membre(
        make_user("chef.inactif", is_active=False), organisation["caue_direction"], Membre.Role.CHEF_DE_FILE
    )
    hgi, caue, ingenierie = (
        organisation["hgi_juridique"],
        organisation["caue_direction"],
        organisation["hgi_ingenierie"],
    )
    demandes = [
        DemandeFactory(statut=S.ATTRIBUE_CHEF_DE_FILE, direction=caue, fiche=centre_bourg),
        DemandeFactory(statut=S.ATTRIBUE_ADMIN, direction=None, fiche=centre_bourg),  # not routed yet
        DemandeFactory(statut=S.ATTRIBUE_ADMIN, direction=None),
        DemandeFactory(statut=S.ATTRIBUE_CHEF_DE_FILE, direction=hgi, fiche=catalogue["urgente"]),
        DemandeFactory(statut=S.ATTRIBUE_CHEF_DE_FILE, direction=caue, fiche=catalogue["complexe"]),
        DemandeFactory(statut=S.ATTRIBUE_EXPERT, direction=ingenierie, expert_referent=expert_hgi),
        DemandeFactory(statut=S.EN_COURS, direction=ingenierie, fiche=centre_bourg),
    ]
    demandes[4].directions_associees.add(hgi)
    demandes[3].experts_associes.add(expert_caue)
    personas = [
        administrateur,
        chef_hgi,
        chef_caue,
        expert_hgi,
        expert_caue,
        chef_autre,
        editeur,
        partenaire_caue,
        inactif,
    ]
    for user in personas:
        sql = permissions.ids_visibles_en_detail(user, Demande.objects.all())
        python = {d.pk for d in Demande.objects.all() if permissions.peut_voir_detail(user, d)}
        assert sql == python, user.username
    assert permissions.ids_visibles_en_detail(chef_hgi, Demande.objects.all()) == {
        demandes[0].pk,
        demandes[3].pk,
        demandes[4].pk,
        demandes[6].pk,
    }
