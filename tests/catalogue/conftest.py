"""A small published catalogue: index, HGI and CAUE partner pages, thématiques, and a fiche maker."""

import pytest

from catalogue.enums import NatureFiche, TypeCollectivite
from catalogue.models import CatalogueIndexPage, FichePage, StructurePage, Thematique
from tests.conftest import publish


@pytest.fixture
def thematiques(db):
    return {
        "juridique": Thematique.objects.create(nom="Assistance juridique, administrative et financière", ordre=1),
        "amenagement": Thematique.objects.create(nom="Aménagement, développement et innovation territoriale", ordre=2),
        "urbanisme": Thematique.objects.create(nom="Observation des territoires, planification et urbanisme", ordre=3),
    }


@pytest.fixture
def catalogue(home_page, organisation, thematiques):
    index = publish(home_page, CatalogueIndexPage(title="Catalogue des accompagnements", slug="catalogue"))
    hgi_page = publish(
        index, StructurePage(title="Haute-Garonne Ingénierie", slug="hgi", structure=organisation["hgi"])
    )
    caue_page = publish(index, StructurePage(title="CAUE", slug="caue", structure=organisation["caue"]))
    return {"index": index, "hgi_page": hgi_page, "caue_page": caue_page, **organisation, **thematiques}


def make_fiche(parent, titre, chef_de_file, thematique, **extra):
    """Create and publish a fiche under a partner page."""
    co_chefs = extra.pop("co_chefs_de_file", [])
    mots_cles = extra.pop("mots_cles", [])
    fiche = FichePage(
        title=titre,
        chapo=extra.pop("chapo", f"Chapô de la fiche « {titre} »."),
        chef_de_file=chef_de_file,
        thematique=thematique,
        beneficiaires=extra.pop("beneficiaires", [TypeCollectivite.COMMUNE.value]),
        nature=extra.pop("nature", NatureFiche.COMPLEXE),
        **extra,
    )
    fiche.co_chefs_de_file = co_chefs
    if mots_cles:
        fiche.mots_cles.add(*mots_cles)
    return publish(parent, fiche)


@pytest.fixture
def fiches(catalogue):
    c = catalogue
    return {
        "intercommunalite": make_fiche(
            c["hgi_page"],
            "Bénéficier d'une assistance juridique et financière en matière d'intercommunalité",
            c["hgi_juridique"],
            c["juridique"],
            beneficiaires=["commune", "cc", "ca"],
            mots_cles=["intercommunalité"],
        ),
        "conseil": make_fiche(
            c["hgi_page"],
            "Bénéficier d'un conseil juridique pour mieux décider",
            c["hgi_juridique"],
            c["juridique"],
            nature=NatureFiche.URGENTE,
            beneficiaires=["commune"],
            millesime=2026,
        ),
        "bourg": make_fiche(
            c["hgi_page"],
            "Élaborer un projet de revitalisation de bourg centre",
            c["hgi_ingenierie"],
            c["amenagement"],
            co_chefs_de_file=[c["caue_direction"]],
        ),
        "planification": make_fiche(
            c["caue_page"],
            "Bénéficier d'une assistance en matière de planification : PLUi/PLU/cartes communales",
            c["caue_direction"],
            c["urbanisme"],
            beneficiaires=["commune", "cc"],
            mots_cles=["PLU", "PLUi", "urbanisme"],
        ),
    }
