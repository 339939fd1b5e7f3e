"""axe-core on every kind of public page: each page type of the Wagtail tree (home, standard,
actualités, agenda, ressources, catalogue, partner page, fiche, filing form…) and the public views
outside the tree (search results, help, bilans, tracking page and survey of a demande)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from catalogue.models import Direction
from intake.models import Demande
from tests.browser.conftest import assert_accessible
from tests.browser.test_site_editorial import page, site_demo  # noqa: F401
from tests.factories import DemandeFactory

pytestmark = pytest.mark.browser


def test_every_kind_of_public_page_is_accessible(site_demo, page):  # noqa: F811
    from operations.donnees_initiales import catalogue as catalogue_data
    from operations.donnees_initiales.collectivites import load_pages

    catalogue_data.load_catalogue_contenu()
    load_pages(site_demo)
    une_par_type = {}
    for public in Page.objects.live().public().exclude(depth=1).order_by("path"):
        une_par_type.setdefault(public.content_type_id, public)
    demande = DemandeFactory(statut=Demande.Statut.TERMINE, direction=Direction.objects.filter(active=True).first())
    adresses = [p.url for p in une_par_type.values()] + [
        "/catalogue/?q=voirie",
        "/catalogue/?q=xylophone",
        "/aide/deposer-une-demande/",
        "/bilans/",
        f"/suivi/{demande.jeton_suivi}/",
        f"/suivi/{demande.jeton_suivi}/satisfaction/",
    ]
    types = {ContentType.objects.get_for_id(pk).model for pk in une_par_type}
    assert {"homepage", "catalogueindexpage", "structurepage", "fichepage", "demandepage"} <= types
    for adresse in adresses:
        reponse = page.goto(adresse)
        assert reponse.status == 200, adresse
        assert_accessible(page)
