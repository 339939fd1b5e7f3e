"""The catalogue's demo data: the guide's fiches under their real chef de file, idempotently."""

import pytest

from catalogue.models import FichePage, Structure, StructurePage, Thematique
from operations.donnees_initiales import catalogue as initial_data

pytestmark = pytest.mark.django_db

NAMED_FICHES = {
    "Bénéficier d'une assistance juridique et financière en matière d'intercommunalité": (
        "HGI",
        "Direction assistance juridique et financière",
    ),
    "Bénéficier d'un conseil juridique pour mieux décider": ("HGI", "Direction assistance juridique et financière"),
    "Bénéficier de prestations d'analyses financières communales et intercommunales": (
        "HGI",
        "Direction assistance juridique et financière",
    ),
    "Connaître les possibilités de financements du Département relatifs à des travaux, achats, équipements publics…": (
        "CD31",
        "DDAT - Gestion des aides",
    ),
    "Bénéficier d'une assistance en matière de planification : PLUi/PLU/cartes communales": ("CAUE", None),
    "Élaborer un projet de revitalisation de bourg centre": ("HGI", None),
}


@pytest.fixture
def loaded(home_page):
    initial_data.load_organisation()
    initial_data.load_thematiques()
    initial_data.load_catalogue_pages(home_page)
    return initial_data.load_catalogue_contenu()


def test_loads_at_least_35_fiches_covering_every_partner_and_thematique(loaded):
    assert loaded >= 35
    live = FichePage.objects.live()
    assert live.count() == loaded
    for structure in Structure.objects.all():
        assert live.filter(chef_de_file__structure=structure).count() >= 2, structure.sigle
        assert live.child_of(structure.page).count() >= 2
    for thematique in Thematique.objects.all():
        assert live.filter(thematique=thematique).exists(), thematique.nom


def test_named_fiches_have_their_real_chef_de_file(loaded):
    for title, (sigle, direction) in NAMED_FICHES.items():
        fiche = FichePage.objects.get(title=title)
        assert fiche.chef_de_file.structure.sigle == sigle
        assert fiche.get_parent().specific.structure.sigle == sigle
        if direction:
            assert fiche.chef_de_file.nom == direction
    bourg = FichePage.objects.get(title="Élaborer un projet de revitalisation de bourg centre")
    assert [d.structure.sigle for d in bourg.co_chefs_de_file.all()] == ["CAUE"]


def test_every_partner_page_is_filled(loaded):
    assert StructurePage.objects.live().count() == 10
    for page in StructurePage.objects.all():
        assert page.presentation and page.missions and page.contacts


def test_loading_twice_changes_nothing(loaded):
    fiche = FichePage.objects.get(title="Bénéficier d'un conseil juridique pour mieux décider")
    fiche.chapo = "Chapô modifié par un éditeur."
    fiche.save_revision().publish()
    assert initial_data.load_catalogue_contenu() == 0
    assert FichePage.objects.count() == loaded
    fiche.refresh_from_db()
    assert fiche.chapo == "Chapô modifié par un éditeur."


def test_planification_fiche_is_found_by_plu(loaded):
    results = [page.title for page in FichePage.objects.live().search("PLU")]
    assert "Bénéficier d'une assistance en matière de planification : PLUi/PLU/cartes communales" in results
