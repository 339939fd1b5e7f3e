"""Every editorial page type is exposed through the Wagtail API v2 with its useful fields."""

import pytest

from actualites.models import ActualitePage, EvenementPage, RessourcePage, StandardPage
from tests.actualites.conftest import dans, make_document, make_image
from tests.conftest import publish
from tests.factories import CollectiviteFactory, ThematiqueFactory


def detail(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def test_article_fields(client, sections, organisation):
    thematique = ThematiqueFactory(nom="Urbanisme")
    page = ActualitePage(
        title="Projet",
        slug="projet",
        chapo="Chapô.",
        genre=ActualitePage.Genre.PROJET_EXEMPLAIRE,
        collectivite=CollectiviteFactory(nom="Revel"),
        image=make_image(),
        image_texte_alternatif="Texte",
        corps=[("paragraphe", "<p>Corps.</p>")],
    )
    page.thematiques.set([thematique])
    page.structures.set([organisation["caue"]])
    page = publish(sections["actualites"], page)

    donnees = detail(client, page)

    assert donnees["genre"] == "projet_exemplaire"
    assert donnees["collectivite"]["nom"] == "Revel"
    assert donnees["chapo"] == "Chapô."
    assert donnees["date_publication"] == page.date_publication.isoformat()
    assert donnees["image_vignette"]["width"] == 800 or donnees["image_vignette"]["url"]
    assert donnees["image_texte_alternatif"] == "Texte"
    assert donnees["corps"][0]["type"] == "paragraphe"
    assert donnees["thematiques"] == [{"id": thematique.pk, "nom": "Urbanisme", "slug": thematique.slug}]
    assert donnees["structures"][0]["sigle"] == "CAUE"
    assert donnees["fiches"] == []


def test_event_fields(client, sections):
    page = publish(
        sections["agenda"],
        EvenementPage(
            title="Salon",
            slug="salon",
            chapo="…",
            lieu="Toulouse",
            date_debut=dans(3),
            lien_inscription="https://exemple.test/",
        ),
    )
    donnees = detail(client, page)
    for champ in ["type_evenement", "date_debut", "date_fin", "lieu", "adresse", "lien_inscription", "chapo", "corps"]:
        assert champ in donnees
    assert donnees["lieu"] == "Toulouse"


def test_ressource_fields(client, sections):
    page = publish(
        sections["ressources"],
        RessourcePage(title="Guide", slug="guide", resume="Résumé.", document=make_document()),
    )
    donnees = detail(client, page)
    assert donnees["type_ressource"] == "guide"
    assert donnees["resume"] == "Résumé."
    assert donnees["document"]["url"] == page.document.url
    assert donnees["document"]["file_extension"] == "pdf"


def test_home_index_and_standard_page_fields(client, sections, home_page):
    standard = publish(home_page, StandardPage(title="Mentions", slug="mentions", chapo="Qui édite."))
    assert detail(client, standard)["chapo"] == "Qui édite."
    assert "chiffres_cles" in detail(client, home_page)
    for section in sections.values():
        assert "introduction" in detail(client, section)


@pytest.mark.parametrize(
    "type_page", ["actualites.ActualitePage", "actualites.EvenementPage", "actualites.RessourcePage"]
)
def test_listing_by_type_with_all_fields_works(client, sections, type_page):
    response = client.get(f"/api/v2/pages/?type={type_page}&fields=*")
    assert response.status_code == 200
