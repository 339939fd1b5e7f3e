"""Rights of the person: an administrator exports everything held about an address and erases it."""

import json

import pytest
from django.urls import reverse

from intake.models import Anonymisation, Demande, EntreeJournal
from tests.factories import DemandeFactory

COURRIEL = "jeanne.lavoir@mairie-exemple.test"
URL = "/admin/statistiques/droits-des-personnes/"


@pytest.fixture
def demandes_de_jeanne(expert_hgi):
    premiere = DemandeFactory(
        demandeur_email=COURRIEL, demandeur_nom="Lavoir", demandeur_prenom="Jeanne", message="Projet de halle couverte."
    )
    EntreeJournal.objects.create(demande=premiere, auteur=expert_hgi, message="Appel passé, projet validé.")
    # An address changed since: found through the history.
    seconde = DemandeFactory(
        demandeur_email=COURRIEL.upper(),
        demandeur_nom="Lavoir",
        demandeur_prenom="Jeanne",
        statut=Demande.Statut.EN_COURS,
    )
    seconde.demandeur_email = "autre@mairie-exemple.test"
    seconde.save()
    autre = DemandeFactory()
    EntreeJournal.objects.create(demande=autre, auteur=expert_hgi, message=f"Voir avec {COURRIEL} pour la halle.")
    return premiere, seconde, autre


def test_the_url_name_is_registered():
    assert reverse("intake_droits_personne") == URL


def test_it_shows_what_is_held_about_an_address(client, administrateur, demandes_de_jeanne):
    premiere, seconde, _ = demandes_de_jeanne
    client.force_login(administrateur)
    response = client.get(URL, {"courriel": COURRIEL})
    assert response.status_code == 200
    assert [d.numero for d in response.context["demandes"]] == sorted([premiere.numero, seconde.numero])
    assert response.context["mentions"] == 1
    assert "Effacer les données personnelles" in response.content.decode()


def test_it_exports_demandes_journal_history_and_mentions_as_a_file(client, administrateur, demandes_de_jeanne):
    premiere, seconde, autre = demandes_de_jeanne
    client.force_login(administrateur)
    response = client.get(URL, {"courriel": COURRIEL, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    export = json.loads(response.content)
    numeros = [bloc["demande"]["numero"] for bloc in export["demandes"]]
    assert numeros == sorted([premiere.numero, seconde.numero])
    bloc = export["demandes"][0]
    assert bloc["demande"]["message"] == "Projet de halle couverte."
    assert bloc["journal"][0]["message"] == "Appel passé, projet validé."
    assert len(bloc["historique"]) == premiere.history.count()
    assert "jeton_suivi" not in bloc["demande"]
    assert export["mentions_dans_d_autres_journaux"][0]["demande"] == autre.numero


def test_erasure_needs_the_confirmation(client, administrateur, demandes_de_jeanne):
    client.force_login(administrateur)
    response = client.post(URL, {"courriel": COURRIEL})
    assert response.status_code == 400
    assert not Anonymisation.objects.exists()
    assert Demande.objects.filter(demandeur_email=COURRIEL).exists()


def test_erasure_anonymises_the_demandes_and_scrubs_the_mentions(client, administrateur, demandes_de_jeanne):
    premiere, seconde, autre = demandes_de_jeanne
    client.force_login(administrateur)
    response = client.post(URL, {"courriel": COURRIEL, "confirmation": "on"})
    assert response.status_code == 302
    for demande in (premiere, seconde):
        demande.refresh_from_db()
        assert demande.demandeur_email == "" and demande.demandeur_prenom == ""
        assert demande.anonymisation.motif == Anonymisation.Motif.DEMANDE_PERSONNE
        assert demande.anonymisation.par == administrateur
        assert not demande.history.filter(demandeur_email__iexact=COURRIEL).exists()
    mention = EntreeJournal.objects.get(demande=autre)
    assert COURRIEL not in mention.message and "[anonymisé]" in mention.message
    assert not EntreeJournal.history.filter(message__icontains=COURRIEL).exists()
    # The other demande keeps its own demandeur.
    autre.refresh_from_db()
    assert autre.demandeur_nom == "Martin"
    assert client.get(URL, {"courriel": COURRIEL}).context["demandes"] == []


def test_invalid_address_is_refused_with_a_message(client, administrateur):
    client.force_login(administrateur)
    response = client.get(URL, {"courriel": "pas-une-adresse"})
    assert response.status_code == 200
    assert response.context["recherche"].errors
    assert "demandes" not in response.context


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_hgi", "editeur", "partenaire_caue"])
def test_it_refuses_non_administrators(client, request, persona, demandes_de_jeanne):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, {"courriel": COURRIEL, "format": "json"}).status_code in (302, 403)
    assert client.post(URL, {"courriel": COURRIEL, "confirmation": "on"}).status_code in (302, 403)
    assert not Anonymisation.objects.exists()


def test_it_refuses_anonymous_visitors(client, demandes_de_jeanne):
    response = client.get(URL, {"courriel": COURRIEL, "format": "json"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
