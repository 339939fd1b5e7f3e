"""Public figures and open data: aggregated, anonymous, small communes not isolated."""

import csv
import io

import pytest

from catalogue.enums import TypeCollectivite
from intake.statistiques.calculs import ENTETE_OPENDATA, regrouper_territoires
from tests.factories import CollectiviteFactory, DemandeFactory, EpciFactory
from tests.intake.statistiques_donnees import cache_des_pages_vide, donnees  # noqa: F401

PAGE = "/la-plateforme-en-chiffres/"
CSV = "/la-plateforme-en-chiffres/donnees.csv"


@pytest.fixture(autouse=True)
def _cache_des_pages_vide(cache_des_pages_vide):
    yield


def lignes_csv(client):
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def commune(nom, epci):
    return {"collectivite__type": TypeCollectivite.COMMUNE, "collectivite__nom": nom, "collectivite__epci__nom": epci}


def test_the_page_shows_the_year_figures_to_anyone(client, donnees):
    response = client.get(PAGE, {"annee": 2025})
    assert response.status_code == 200
    assert response.context["chiffres"]["total"] == 5
    contenu = response.content.decode()
    assert "La plateforme en chiffres" in contenu
    assert 'href="donnees.csv"' in contenu
    assert "<svg" in contenu


def test_an_unknown_year_falls_back_to_the_current_one(client, donnees):
    assert client.get(PAGE, {"annee": "1900"}).status_code == 200
    assert client.get(PAGE, {"annee": "abc"}).status_code == 200


def test_the_page_names_no_commune_below_the_threshold(client, donnees):
    contenu = client.get(PAGE, {"annee": 2025}).content.decode()
    for nom in ("Aigrefeuille", "Balma", "Cugnaux"):
        assert nom not in contenu


def test_the_open_data_file_holds_no_personal_field_and_no_message(client, donnees):
    DemandeFactory(
        demandeur_nom="Personne-Unique",
        demandeur_prenom="Hortense",
        demandeur_email="hortense@exemple.test",
        demandeur_telephone="07 11 22 33 44",
        message="Texte libre très reconnaissable",
    )
    lignes = lignes_csv(client)
    assert lignes[0] == ENTETE_OPENDATA
    texte = "\n".join(",".join(ligne) for ligne in lignes)
    for valeur in (
        "Personne-Unique",
        "Hortense",
        "hortense@exemple.test",
        "07 11 22 33 44",
        "reconnaissable",
        "Martin",
        "Sophie",
        "05 61 00 00 00",
        "accompagnés",
        "@",
    ):
        assert valeur not in texte
    for colonne in ("demandeur", "email", "courriel", "message", "telephone", "numero"):
        assert not any(colonne in entete for entete in lignes[0])


def test_the_open_data_file_has_the_hand_counted_figures(client, donnees):
    lignes = [ligne for ligne in lignes_csv(client)[1:] if ligne[0] == "2025"]
    par_cle = {(ligne[1], ligne[2]): ligne[3] for ligne in lignes}
    assert par_cle[("demandes_deposees", "total")] == "5"
    assert par_cle[("demandes_libres", "total")] == "2"
    assert par_cle[("premier_contact_dans_les_delais", "toutes")] == "40.0"
    assert par_cle[("mediane_jours_premier_contact", "toutes")] == "5"
    assert par_cle[("demandes_par_thematique", "Urbanisme")] == "2"
    # Three communes below the threshold: merged, never named.
    assert not any(
        ligne[1] == "demandes_par_commune" and ligne[2] in {"Aigrefeuille", "Balma", "Cugnaux"} for ligne in lignes
    )
    assert par_cle[("demandes_par_commune", "Autres communes du département")] == "4"
    assert ("demandes_par_epci", "CC des Coteaux") not in par_cle


def test_communes_at_the_threshold_are_named_and_small_ones_merged_into_their_epci():
    lignes = [commune("Grande", "CC A")] * 6 + [commune("Petite1", "CC A")] * 2 + [commune("Petite2", "CC A")] * 3
    resultat = dict(regrouper_territoires(lignes, seuil=5)["commune"])
    assert resultat == {"Grande": 6, "Autres communes — CC A": 5}


def test_a_remainder_made_of_a_single_small_commune_is_secret():
    lignes = [commune("Grande", "CC A")] * 6 + [commune("Isolee", "CC B")] * 2
    resultat = dict(regrouper_territoires(lignes, seuil=5)["commune"])
    assert resultat == {"Grande": 6, "Autres communes du département": None}


def test_a_secret_cell_is_flagged_in_the_open_data_file(client, db):
    epci = EpciFactory(nom="CC du Lauragais")
    grande = CollectiviteFactory(nom="Villefranche", epci=epci)
    isolee = CollectiviteFactory(nom="Hameau-Isolé", epci=epci)
    for _ in range(5):
        DemandeFactory(collectivite=grande)
    DemandeFactory(collectivite=isolee)
    lignes = lignes_csv(client)
    communes = {ligne[2]: ligne for ligne in lignes[1:] if ligne[1] == "demandes_par_commune"}
    assert communes["Villefranche"][3] == "5"
    assert communes["Autres communes du département"][3:] == ["", "demandes", "oui"]
    assert "Hameau-Isolé" not in "\n".join(",".join(ligne) for ligne in lignes)
