"""Figures on a known set of demandes match the hand-computed values."""

import datetime

from intake.models import Demande
from intake.statistiques import calculs as statistiques
from tests.intake.statistiques_donnees import AUJOURD_HUI, donnees  # noqa: F401

ANNEE = statistiques.Filtres.annee(2025)


def calculer(**filtres):
    return statistiques.calculer(statistiques.Filtres.annee(2025, **filtres), aujourd_hui=AUJOURD_HUI)


def test_it_counts_the_demandes_of_the_period_only(donnees):
    assert calculer().total == 5


def test_it_counts_by_statut_in_the_guide_order_with_zeros(donnees):
    lignes = dict(calculer().tableaux["statut"].lignes)
    assert lignes["Terminé"] == 2
    assert lignes["En cours"] == 1
    assert lignes["Attribué administrateur plateforme"] == 1
    assert lignes["Abandonné"] == 1
    assert lignes["Rejeté"] == 0
    assert [libelle for libelle, _ in calculer().tableaux["statut"].lignes] == [
        choix for _, choix in Demande.Statut.choices
    ]


def test_it_counts_by_thematique_fiche_structure_and_direction(donnees):
    tableaux = calculer().tableaux
    assert tableaux["thematique"].lignes == [("Urbanisme", 2), ("Voirie", 2), ("Sans thématique", 1)]
    assert dict(tableaux["fiche"].lignes) == {
        "Conseil juridique urgent": 2,
        "Aménagement d'un bourg": 1,
        "Demande libre (sans fiche)": 2,
    }
    assert dict(tableaux["structure"].lignes) == {"HGI": 2, "CAUE": 1, "Non attribuée": 2}
    directions = dict(tableaux["direction"].lignes)
    assert directions["Direction assistance juridique et financière (HGI)"] == 2
    assert directions["Non attribuée"] == 2


def test_it_counts_by_type_source_and_territory(donnees):
    tableaux = calculer().tableaux
    assert dict(tableaux["type_collectivite"].lignes) == {"Commune": 4, "Communauté de communes": 1}
    assert dict(tableaux["source"].lignes) == {"Formulaire du site": 4, "API": 1}
    # An EPCI's own demandes count for it, as do its communes'.
    assert dict(tableaux["epci"].lignes) == {"CC des Coteaux": 4, "Hors EPCI": 1}
    assert dict(tableaux["commune"].lignes) == {"Aigrefeuille": 2, "Balma": 1, "Cugnaux": 1}


def test_it_computes_the_share_of_first_contacts_in_time(donnees):
    delais = calculer().delais
    assert delais["global"] == {"echues": 5, "a_temps": 2, "part": 40.0}
    assert delais["parts"][3] == {"echues": 2, "a_temps": 1, "part": 50.0}
    assert delais["parts"][10] == {"echues": 3, "a_temps": 1, "part": 33.3}


def test_demandes_still_within_their_deadline_are_not_counted_late(donnees):
    delais = statistiques.calculer(ANNEE, aujourd_hui=datetime.date(2025, 3, 5)).delais
    # d4 (due 11 March) and d5 (filed 10 March) are not decided yet on 5 March.
    assert delais["global"]["echues"] == 3


def test_it_computes_median_times_to_first_contact_and_to_closing(donnees):
    delais = calculer().delais
    assert delais["mediane_premier_contact"] == 5  # 2, 5, 10 days
    assert delais["mediane_cloture"] == 10  # 30, 10, 10 days


def test_median_of_an_even_number_of_values_is_the_mean_of_the_middle_two(donnees):
    delais = calculer(
        directions=frozenset({donnees["d1"].direction_id}),
    ).delais
    assert delais["mediane_premier_contact"] == 3.5  # 2 and 5 days


def test_it_shows_every_month_of_the_period(donnees):
    mois = calculer().tableaux["mois"].lignes
    assert len(mois) == 12
    assert mois[:4] == [("janv. 2025", 2), ("févr. 2025", 1), ("mars 2025", 2), ("avr. 2025", 0)]


def test_filters_narrow_the_figures(donnees, organisation):
    assert calculer(thematique=donnees["t1"]).total == 2
    assert calculer(structure=organisation["caue"]).total == 1
    assert calculer(direction=organisation["hgi_juridique"]).total == 2
    assert calculer(epci=donnees["epci"]).total == 4
    assert calculer(source=Demande.Source.API).total == 1


def test_catalogue_gaps(donnees):
    lacunes = calculer().lacunes
    assert [fiche.title for fiche in lacunes["fiches_sans_demande"]] == ["Expérimentation"]
    assert lacunes["part_libres"] == 40.0
    assert lacunes["thematiques_libres"].lignes == [("Sans thématique", 1), ("Voirie", 1)]
    assert [commune.nom for commune in lacunes["communes_sans_demande"]] == ["Drémil"]


def test_empty_period_has_no_share_and_no_median(donnees):
    stats = statistiques.calculer(statistiques.Filtres.annee(2023), aujourd_hui=AUJOURD_HUI)
    assert stats.total == 0
    assert stats.delais["global"]["part"] is None
    assert stats.delais["mediane_premier_contact"] is None
    assert stats.lacunes["part_libres"] is None
