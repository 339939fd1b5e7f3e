"""Cas 2: a chef de file or an expert records a demande received directly, routed to their direction."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Membre
from intake.models import Demande
from tests.conftest import add_membre
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    donnees_formulaire,
    fichier_pdf,
    thematiques,
)

pytestmark = pytest.mark.django_db
URL = "/admin/demandes/transmettre/"


def donnees(collectivites, thematique, direction, **extra):
    data = donnees_formulaire(collectivites, thematique, direction=str(direction.pk))
    data.pop("horodatage")
    data.pop("site_web")
    data.update(extra)
    return data


def test_a_chef_de_file_records_a_demande_for_its_direction(client, chef_hgi, organisation, collectivites, thematiques):
    client.force_login(chef_hgi)
    data = donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"])
    data["pieces_jointes"] = [fichier_pdf()]
    response = client.post(URL, data)
    assert response.status_code == 302
    demande = Demande.objects.get()
    assert demande.source == Demande.Source.PARTENAIRE
    assert demande.statut == Demande.Statut.ATTRIBUE_CHEF_DE_FILE
    assert demande.direction == organisation["hgi_juridique"]
    assert demande.chef_de_file == chef_hgi
    assert demande.pieces_jointes.count() == 1
    assert demande.history.get().history_user == chef_hgi


def test_an_expert_records_a_demande_for_its_direction(client, expert_hgi, organisation, collectivites, thematiques):
    client.force_login(expert_hgi)
    response = client.post(URL, donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"]))
    assert response.status_code == 302
    demande = Demande.objects.get()
    assert demande.direction == organisation["hgi_juridique"]
    assert demande.chef_de_file is None


def test_a_member_cannot_route_to_another_structures_direction(
    client, chef_hgi, organisation, collectivites, thematiques
):
    client.force_login(chef_hgi)
    response = client.post(URL, donnees(collectivites, thematiques["juridique"], organisation["caue_direction"]))
    assert response.status_code == 200
    assert "direction" in response.context["form"].errors
    assert Demande.objects.count() == 0


def test_a_member_of_several_directions_chooses_among_them(client, chef_hgi, organisation):
    add_membre(chef_hgi, organisation["hgi_ingenierie"], Membre.Role.EXPERT)
    client.force_login(chef_hgi)
    choices = client.get(URL).context["form"].fields["direction"].queryset
    assert set(choices) == {organisation["hgi_juridique"], organisation["hgi_ingenierie"]}
    assert organisation["caue_direction"] not in choices


def test_bad_input_is_refused_without_creating_anything(client, chef_hgi, organisation, collectivites, thematiques):
    client.force_login(chef_hgi)
    data = donnees(
        collectivites,
        thematiques["juridique"],
        organisation["hgi_juridique"],
        demandeur_email="x",
        message="<script>x</script>",
    )
    data["pieces_jointes"] = [SimpleUploadedFile("a.pdf", b"MZ" + b"\x00" * 100)]
    response = client.post(URL, data)
    assert response.status_code == 200
    assert {"demandeur_email", "message", "pieces_jointes"} <= set(response.context["form"].errors)
    assert Demande.objects.count() == 0


@pytest.mark.parametrize("persona", ["administrateur", "editeur", "partenaire_caue"])
def test_users_without_a_direction_are_refused(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code in (302, 403)


def test_the_menu_item_shows_only_to_chefs_de_file_and_experts(client, chef_hgi, administrateur):
    client.force_login(chef_hgi)
    assert "Transmettre une demande" in client.get("/admin/").content.decode()
    client.force_login(administrateur)
    assert "Transmettre une demande" not in client.get("/admin/").content.decode()


def test_a_double_click_records_one_demande(client, chef_hgi, organisation, collectivites, thematiques):
    client.force_login(chef_hgi)
    data = donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"], jeton="a1b2c3")
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 302
    assert Demande.objects.count() == 1


# --- Cas 2: the expert who records the demande keeps it -------------------

INDEX = "/admin/intake/demande/"
CREATE = "/admin/intake/demande/create/"


def _detail(demande):
    return f"/admin/intake/demande/inspect/{demande.pk}/"


def test_the_referent_box_is_checked_by_default(client, expert_hgi):
    client.force_login(expert_hgi)
    form = client.get(URL).context["form"]
    assert form["je_suis_referent"].initial is True
    assert "Je suis l'expert référent de cette demande" in form["je_suis_referent"].label


def test_an_expert_who_keeps_the_box_is_the_referent_and_lands_on_the_detail(
    client, expert_hgi, organisation, collectivites, thematiques
):
    client.force_login(expert_hgi)
    data = donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"], je_suis_referent="on")
    response = client.post(URL, data)
    demande = Demande.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(demande)
    assert demande.expert_referent == expert_hgi
    assert demande.statut == Demande.Statut.ATTRIBUE_EXPERT
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "Durand" in detail.content.decode()


def test_an_expert_who_unchecks_the_box_stays_associated_and_keeps_access(
    client, expert_hgi, organisation, collectivites, thematiques
):
    client.force_login(expert_hgi)
    response = client.post(URL, donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"]))
    demande = Demande.objects.get()
    assert demande.expert_referent is None
    assert demande.statut == Demande.Statut.ATTRIBUE_CHEF_DE_FILE
    assert list(demande.experts_associes.all()) == [expert_hgi]
    assert response["Location"] == _detail(demande)
    assert client.get(response["Location"]).status_code == 200


def test_a_chef_de_file_who_keeps_the_box_is_chef_de_file_and_referent(
    client, chef_hgi, organisation, collectivites, thematiques
):
    client.force_login(chef_hgi)
    client.post(
        URL, donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"], je_suis_referent="on")
    )
    demande = Demande.objects.get()
    assert demande.chef_de_file == chef_hgi and demande.expert_referent == chef_hgi
    assert "expert référent" in demande.history.get().history_change_reason


def test_the_administrator_without_a_direction_is_not_offered_the_cas_2_button(client, administrateur):
    client.force_login(administrateur)
    assert CREATE not in client.get(INDEX).content.decode()
    assert client.get(CREATE).status_code in (302, 403)
    assert client.get(URL).status_code in (302, 403)
    assert Demande.objects.count() == 0


def test_an_administrator_with_a_direction_is_offered_the_button_and_the_form_works(
    client, administrateur, organisation, collectivites, thematiques
):
    add_membre(administrateur, organisation["hgi_juridique"], Membre.Role.EXPERT)
    client.force_login(administrateur)
    assert CREATE in client.get(INDEX).content.decode()
    assert client.get(CREATE)["Location"] == URL
    response = client.post(
        URL, donnees(collectivites, thematiques["juridique"], organisation["hgi_juridique"], je_suis_referent="on")
    )
    assert response.status_code == 302
    assert Demande.objects.get().expert_referent == administrateur


def test_a_member_of_an_inactive_direction_only_is_offered_nothing(client, expert_hgi, organisation):
    organisation["hgi_juridique"].active = False
    organisation["hgi_juridique"].save()
    client.force_login(expert_hgi)
    assert CREATE not in client.get(INDEX).content.decode()
    assert "Transmettre une demande" not in client.get("/admin/").content.decode()
    assert client.get(URL).status_code in (302, 403)
