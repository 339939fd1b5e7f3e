"""A small, hand-countable set of demandes for the statistics tests.

Year 2025, "today" is 2026-01-15. See the expected figures in test_statistiques_calculs.py.
"""

import datetime
import zoneinfo

import pytest

from catalogue.cache_pages import invalider_toutes_les_pages
from catalogue.enums import NatureFiche, TypeCollectivite
from catalogue.models import FichePage, StructurePage
from intake.models import Demande
from operations.donnees_initiales.catalogue import load_catalogue_pages
from tests.conftest import publish
from tests.factories import CollectiviteFactory, DemandeFactory, EpciFactory, ThematiqueFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUJOURD_HUI = datetime.date(2026, 1, 15)


def le(annee, mois, jour, heure=11):
    return datetime.datetime(annee, mois, jour, heure, 0, tzinfo=PARIS)


def jour(annee, mois, jour_):
    return datetime.date(annee, mois, jour_)


def fiche(structure, titre, thematique, chef_de_file, nature):
    parent = StructurePage.objects.get(structure=structure)
    return publish(
        parent,
        FichePage(
            title=titre,
            chapo=f"{titre}.",
            thematique=thematique,
            chef_de_file=chef_de_file,
            nature=nature,
        ),
    )


def jeu_de_donnees(organisation, home_page):
    load_catalogue_pages(home_page)
    t1 = ThematiqueFactory(nom="Urbanisme")
    t2 = ThematiqueFactory(nom="Voirie")
    epci = EpciFactory(nom="CC des Coteaux")
    c1 = CollectiviteFactory(nom="Aigrefeuille", epci=epci)
    c2 = CollectiviteFactory(nom="Balma", epci=epci)
    c3 = CollectiviteFactory(nom="Cugnaux")
    c4 = CollectiviteFactory(nom="Drémil", epci=epci)
    f_urgente = fiche(
        organisation["hgi"], "Conseil juridique urgent", t1, organisation["hgi_juridique"], NatureFiche.URGENTE
    )
    f_complexe = fiche(
        organisation["caue"], "Aménagement d'un bourg", t2, organisation["caue_direction"], NatureFiche.COMPLEXE
    )
    f_vide = fiche(organisation["hgi"], "Expérimentation", t1, organisation["hgi_ingenierie"], NatureFiche.COMPLEXE)
    S = Demande.Statut
    d = {
        "d1": DemandeFactory(
            collectivite=c1,
            fiche=f_urgente,
            thematique=t1,
            direction=organisation["hgi_juridique"],
            created_at=le(2025, 1, 10),
            echeance_premier_contact=jour(2025, 1, 13),
            premier_contact_le=jour(2025, 1, 12),
            statut=S.TERMINE,
            cloturee_le=le(2025, 2, 9),
        ),
        "d2": DemandeFactory(
            collectivite=c1,
            fiche=f_urgente,
            thematique=t1,
            direction=organisation["hgi_juridique"],
            created_at=le(2025, 1, 20),
            echeance_premier_contact=jour(2025, 1, 23),
            premier_contact_le=jour(2025, 1, 25),
            statut=S.EN_COURS,
        ),
        "d3": DemandeFactory(
            collectivite=c2,
            fiche=f_complexe,
            thematique=t2,
            direction=organisation["caue_direction"],
            created_at=le(2025, 2, 5),
            echeance_premier_contact=jour(2025, 2, 15),
            premier_contact_le=jour(2025, 2, 15),
            statut=S.TERMINE,
            cloturee_le=le(2025, 2, 15),
        ),
        "d4": DemandeFactory(
            collectivite=c3,
            fiche=None,
            thematique=t2,
            direction=None,
            created_at=le(2025, 3, 1),
            echeance_premier_contact=jour(2025, 3, 11),
            statut=S.ATTRIBUE_ADMIN,
        ),
        "d5": DemandeFactory(
            collectivite=epci,
            type_collectivite=TypeCollectivite.CC,
            fiche=None,
            thematique=None,
            direction=None,
            created_at=le(2025, 3, 10),
            echeance_premier_contact=jour(2025, 3, 20),
            statut=S.ABANDONNE,
            cloturee_le=le(2025, 3, 20),
            source=Demande.Source.API,
        ),
        # Outside the period: filed on the last day of 2024.
        "d6": DemandeFactory(
            collectivite=c1,
            fiche=f_urgente,
            thematique=t1,
            direction=organisation["hgi_juridique"],
            created_at=le(2024, 12, 31, 20),
            echeance_premier_contact=jour(2025, 1, 3),
            statut=S.EN_COURS,
        ),
    }
    return {
        **d,
        "t1": t1,
        "t2": t2,
        "epci": epci,
        "c1": c1,
        "c2": c2,
        "c3": c3,
        "c4": c4,
        "f_urgente": f_urgente,
        "f_complexe": f_complexe,
        "f_vide": f_vide,
    }


@pytest.fixture
def donnees(organisation, home_page):
    return jeu_de_donnees(organisation, home_page)


@pytest.fixture
def cache_des_pages_vide():
    """The public figures are served from the anonymous page cache: start each test without it."""
    invalider_toutes_les_pages()
    yield
    invalider_toutes_les_pages()
