"""Audit of access: who opened the detail of a demande with personal data, and when."""

import pytest

from intake.donnees_personnelles.audit import acces_de_la_demande, enregistrer_acces
from intake.models import AccesDemande
from tests.factories import DemandeFactory

URL = "/admin/statistiques/acces/"


def test_it_records_who_opened_which_demande(expert_hgi):
    demande = DemandeFactory()
    acces = enregistrer_acces(expert_hgi, demande)
    assert acces.user == expert_hgi
    assert acces.demande == demande
    assert "expert.hgi" in acces.utilisateur_libelle
    assert acces.consulte_le is not None
    assert list(acces_de_la_demande(demande)) == [acces]


def test_each_opening_is_a_new_row(expert_hgi, chef_hgi):
    demande = DemandeFactory()
    enregistrer_acces(expert_hgi, demande)
    enregistrer_acces(expert_hgi, demande)
    enregistrer_acces(chef_hgi, demande)
    assert AccesDemande.objects.filter(demande=demande).count() == 3


def test_the_log_keeps_the_name_when_the_account_is_deleted(expert_hgi):
    demande = DemandeFactory()
    enregistrer_acces(expert_hgi, demande)
    expert_hgi.delete()
    acces = AccesDemande.objects.get(demande=demande)
    assert acces.user is None
    assert "expert.hgi" in acces.utilisateur_libelle


def test_administrators_see_the_log_and_filter_it(client, administrateur, expert_hgi, chef_hgi):
    premiere, seconde = DemandeFactory(), DemandeFactory()
    enregistrer_acces(expert_hgi, premiere)
    enregistrer_acces(chef_hgi, seconde)
    client.force_login(administrateur)
    response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"]) == 2
    filtre = client.get(URL, {"numero": premiere.numero})
    assert [a.demande for a in filtre.context["page"]] == [premiere]
    par_nom = client.get(URL, {"utilisateur": "chef.hgi"})
    assert [a.demande for a in par_nom.context["page"]] == [seconde]


def test_a_bad_numero_shows_an_error(client, administrateur):
    client.force_login(administrateur)
    response = client.get(URL, {"numero": "douze"})
    assert response.status_code == 200
    assert "doit être un nombre" in response.content.decode()


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_hgi", "editeur", "partenaire_caue"])
def test_only_administrators_see_the_log(client, request, persona, organisation):
    enregistrer_acces(request.getfixturevalue("expert_hgi"), DemandeFactory())
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code in (302, 403)


def test_the_menu_shows_the_log_to_administrators_only(client, administrateur, chef_hgi):
    client.force_login(administrateur)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(chef_hgi)
    assert URL not in client.get("/admin/").content.decode()
