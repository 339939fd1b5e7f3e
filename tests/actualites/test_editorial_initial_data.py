"""The editorial demo content loads from fixtures/, is realistic in size, and loads only once."""

from actualites.models import ActualitePage, EvenementPage, ParametresSite, RessourcePage, StandardPage
from catalogue.models import Structure
from operations.donnees_initiales import catalogue as catalogue_data
from operations.donnees_initiales.editorial import load_contenu_editorial, load_site
from tests.factories import CollectiviteFactory


def test_demo_content_loads_once_with_images_and_reserved_ressources(db):
    catalogue_data.load_organisation()
    catalogue_data.load_thematiques()
    for nom in ["Revel", "Aurignac", "Carbonne"]:
        CollectiviteFactory(nom=nom)
    home = load_site()
    catalogue_data.load_catalogue_pages(home)

    assert load_contenu_editorial(home) > 0

    assert ActualitePage.objects.live().count() == 12
    assert ActualitePage.objects.filter(genre=ActualitePage.Genre.PROJET_EXEMPLAIRE, collectivite__nom="Revel").exists()
    assert ActualitePage.objects.filter(image__isnull=False).count() >= 6
    assert EvenementPage.objects.live().count() == 6
    assert RessourcePage.objects.live().count() == 10
    assert RessourcePage.objects.filter(reservee=True).count() == 3
    assert all(page.get_view_restrictions().exists() for page in RessourcePage.objects.filter(reservee=True))
    assert set(StandardPage.objects.values_list("slug", flat=True)) >= {
        "mentions-legales",
        "donnees-personnelles",
        "accessibilite",
        "plan-du-site",
    }
    assert Structure.objects.filter(logo__isnull=False).count() == Structure.objects.count()
    assert ParametresSite.objects.get().navigation

    assert load_contenu_editorial(home) == 0
    assert ActualitePage.objects.count() == 12
