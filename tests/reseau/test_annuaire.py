"""Annuaire du réseau: members find each other; each member edits his own card only."""

import pytest
from django.urls import reverse

from catalogue.models import Membre
from reseau.models import FicheAnnuaire
from tests.conftest import add_membre, make_user

URL = reverse("reseau_annuaire")
URL_FICHE = reverse("reseau_ma_fiche")


@pytest.fixture
def carte_expert_caue(expert_caue, thematiques):  # noqa: F811
    fiche = FicheAnnuaire.objects.create(user=expert_caue, telephone="05 61 00 00 01", fonction="Architecte conseil")
    fiche.thematiques.add(thematiques["urbanisme"])
    return fiche


def test_a_member_finds_a_colleague_by_name(client, chef_hgi, carte_expert_caue, expert_caue):
    client.force_login(chef_hgi)
    response = client.get(URL, {"q": "caue"})
    contenu = response.content.decode()
    assert response.status_code == 200
    assert "Expert CAUE" in contenu
    assert "Architecte conseil" in contenu
    assert "05 61 00 00 01" in contenu
    assert "expert.caue@exemple.test" in contenu
    assert "Chef HGI" not in contenu


def test_search_by_thematique_name_and_filters(client, chef_hgi, carte_expert_caue, organisation, thematiques):
    client.force_login(chef_hgi)
    assert "Expert CAUE" in client.get(URL, {"q": "planification"}).content.decode()
    par_thematique = client.get(URL, {"thematique": thematiques["urbanisme"].pk}).content.decode()
    assert "Expert CAUE" in par_thematique and "Chef HGI" not in par_thematique
    par_structure = client.get(URL, {"structure": organisation["hgi"].pk}).content.decode()
    assert "Chef HGI" in par_structure and "Expert CAUE" not in par_structure
    par_role = client.get(URL, {"role": Membre.Role.CHEF_DE_FILE}).content.decode()
    assert "Chef HGI" in par_role and "Expert CAUE" not in par_role


def test_a_bad_filter_shows_an_error_not_a_500(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(URL, {"structure": "abc", "role": "pirate"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_card_shows_the_fiches_the_direction_leads(client, expert_hgi, chef_caue, fiche_hgi):
    client.force_login(chef_caue)
    contenu = client.get(URL, {"q": "expert.hgi"}).content.decode()
    assert "Conseil juridique aux communes" in contenu


def test_users_without_membre_are_not_listed(client, chef_hgi, editeur, partenaire_caue):
    client.force_login(chef_hgi)
    contenu = client.get(URL).content.decode()
    assert "Editeur SITE" not in contenu
    assert "Partenaire CAUE" not in contenu


def test_the_query_count_does_not_grow_with_members(client, chef_hgi, organisation, thematiques, fiche_hgi):
    FicheAnnuaire.objects.create(user=chef_hgi).thematiques.add(thematiques["juridique"])
    client.force_login(chef_hgi)
    client.get(URL)

    def compter():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as contexte:
            assert client.get(URL).status_code == 200
        return len(contexte)

    avant = compter()
    for numero in range(8):
        user = add_membre(make_user(f"membre{numero}.test"), organisation["hgi_ingenierie"], Membre.Role.EXPERT)
        fiche = FicheAnnuaire.objects.create(user=user, fonction="Chargé de mission")
        fiche.thematiques.add(*thematiques.values())
    assert compter() == avant


def test_a_member_edits_his_own_card(client, expert_hgi, thematiques):
    client.force_login(expert_hgi)
    assert client.get(URL_FICHE).status_code == 200
    response = client.post(
        URL_FICHE,
        {
            "first_name": "Inès",
            "last_name": "Martin",
            "telephone": "05 34 00 00 00",
            "fonction": "Juriste",
            "presentation": "Marchés publics.",
            "thematiques": [thematiques["juridique"].pk],
        },
    )
    assert response.status_code == 302
    expert_hgi.refresh_from_db()
    assert expert_hgi.get_full_name() == "Inès Martin"
    fiche = expert_hgi.fiche_annuaire
    assert fiche.fonction == "Juriste"
    assert list(fiche.thematiques.all()) == [thematiques["juridique"]]
    assert fiche.history.count() == 1


def test_the_card_form_rejects_bad_input_with_french_messages(client, expert_hgi):
    client.force_login(expert_hgi)
    response = client.post(URL_FICHE, {"first_name": "", "last_name": "Martin", "thematiques": ["999999"]})
    assert response.status_code == 400
    contenu = response.content.decode()
    assert "Champ requis" in contenu and "resume-erreurs" in contenu
    assert not FicheAnnuaire.objects.filter(user=expert_hgi).exists()


def test_a_member_cannot_edit_someone_elses_card(client, expert_hgi, carte_expert_caue, expert_caue):
    # The form always edits the signed-in user's card: a posted id is ignored.
    client.force_login(expert_hgi)
    client.post(
        URL_FICHE,
        {"first_name": "X", "last_name": "Y", "fonction": "Pirate", "user": expert_caue.pk, "id": carte_expert_caue.pk},
    )
    carte_expert_caue.refresh_from_db()
    assert carte_expert_caue.fonction == "Architecte conseil"
    assert FicheAnnuaire.objects.get(user=expert_hgi).fonction == "Pirate"
