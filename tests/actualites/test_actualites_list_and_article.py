"""Actualités: index with pagination and filters, article content, projets exemplaires."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from actualites.models import ActualitePage
from catalogue.cache_pages import invalider_toutes_les_pages
from tests.actualites.conftest import make_document, make_image
from tests.conftest import publish
from tests.factories import CollectiviteFactory, ThematiqueFactory


def article(index, slug, jours=0, **valeurs):
    thematiques = valeurs.pop("thematiques", [])
    structures = valeurs.pop("structures", [])
    page = ActualitePage(
        title=valeurs.pop("title", slug.capitalize()),
        slug=slug,
        chapo=valeurs.pop("chapo", "Chapô."),
        date_publication=timezone.localdate() - datetime.timedelta(days=jours),
        **valeurs,
    )
    page.thematiques.set(thematiques)
    page.structures.set(structures)
    return publish(index, page)


@pytest.fixture
def index(sections):
    return sections["actualites"]


def titres(response):
    return [page.title for page in response.context["articles"]]


def test_index_lists_newest_first_and_paginates(client, index):
    for jours in range(5):
        article(index, f"article-{jours}", jours=jours)

    premiere = client.get("/actualites/")
    troisieme = client.get("/actualites/?page=3")

    assert titres(premiere) == ["Article-0", "Article-1"]
    assert titres(troisieme) == ["Article-4"]
    assert 'href="?page=2"' in premiere.content.decode()
    assert client.get("/actualites/?page=abc").status_code == 200


def test_index_filters_by_thematique_structure_and_kind(client, index, organisation):
    urbanisme, voirie = ThematiqueFactory(nom="Urbanisme"), ThematiqueFactory(nom="Voirie")
    revel = CollectiviteFactory(nom="Revel")
    article(index, "plu", thematiques=[urbanisme], structures=[organisation["caue"]])
    article(index, "routes", thematiques=[voirie], structures=[organisation["hgi"]])
    article(
        index,
        "ecole",
        genre=ActualitePage.Genre.PROJET_EXEMPLAIRE,
        collectivite=revel,
        structures=[organisation["hgi"]],
    )

    assert titres(client.get(f"/actualites/?thematique={urbanisme.slug}")) == ["Plu"]
    assert sorted(titres(client.get("/actualites/?structure=hgi"))) == ["Ecole", "Routes"]
    assert titres(client.get("/actualites/?type=projet_exemplaire")) == ["Ecole"]
    assert titres(client.get(f"/actualites/?thematique={voirie.slug}&structure=caue")) == []


def test_pagination_links_keep_the_filters(client, index, organisation):
    for rang in range(3):
        article(index, f"hgi-{rang}", jours=rang, structures=[organisation["hgi"]])
    html = client.get("/actualites/?structure=hgi").content.decode()
    assert 'href="?structure=hgi&amp;page=2"' in html


def test_unknown_filter_values_are_ignored(client, index):
    article(index, "seul")
    response = client.get("/actualites/?thematique=inconnue&structure=inconnue&type=pirate")
    assert response.status_code == 200
    assert titres(response) == ["Seul"]


def test_drafts_are_not_listed(client, index):
    article(index, "publiee")
    brouillon = ActualitePage(title="Brouillon", slug="brouillon", chapo="…", live=False)
    index.add_child(instance=brouillon)
    assert titres(client.get("/actualites/")) == ["Publiee"]
    assert client.get("/actualites/brouillon/").status_code == 404


def test_article_shows_date_chapo_image_with_alt_body_and_links(client, index, organisation):
    image = make_image()
    document = make_document("Compte rendu", filename="compte-rendu.pdf")
    urbanisme = ThematiqueFactory(nom="Urbanisme")
    page = article(
        index,
        "rencontres",
        title="Rencontres des territoires",
        chapo="Quatre cents élus réunis.",
        image=image,
        image_texte_alternatif="La salle des Rencontres",
        thematiques=[urbanisme],
        structures=[organisation["caue"]],
        corps=[
            ("intertitre", {"texte": "Des ateliers", "niveau": "h2"}),
            ("paragraphe", "<p>Douze ateliers.</p>"),
            ("citation", {"citation": "Une belle journée.", "source": "Une maire"}),
            ("image", {"image": image, "texte_alternatif": "Un atelier", "legende": "Atelier urbanisme"}),
            ("document", {"document": document, "libelle": "Le compte rendu"}),
        ],
    )

    html = client.get(page.url).content.decode()

    assert f'datetime="{page.date_publication:%Y-%m-%d}"' in html
    assert "Quatre cents élus réunis." in html
    assert 'alt="La salle des Rencontres"' in html
    assert "<h2>Des ateliers</h2>" in html
    assert "<blockquote><p>Une belle journée.</p></blockquote>" in html
    assert 'alt="Un atelier"' in html and "Atelier urbanisme" in html
    assert f'href="{document.url}"' in html and "Le compte rendu" in html
    assert f'href="/actualites/?thematique={urbanisme.slug}"' in html
    assert escape(organisation["caue"].nom) in html


def test_projet_exemplaire_requires_the_collectivite(index):
    page = ActualitePage(title="Projet", slug="projet", chapo="…", genre=ActualitePage.Genre.PROJET_EXEMPLAIRE)
    with pytest.raises(ValidationError) as erreur:
        index.add_child(instance=page)
    assert "collectivite" in erreur.value.message_dict


def test_projet_exemplaire_names_the_collectivite(client, index):
    revel = CollectiviteFactory(nom="Revel", codes_postaux=["31250"])
    page = article(index, "ecole", genre=ActualitePage.Genre.PROJET_EXEMPLAIRE, collectivite=revel)
    html = client.get(page.url).content.decode()
    assert "Projet exemplaire" in html
    assert "Revel (31250)" in html


def test_index_queries_stay_flat(client, index, organisation, django_assert_max_num_queries):
    thematique = ThematiqueFactory()
    for rang in range(2):
        article(index, f"a{rang}", image=make_image(), thematiques=[thematique], structures=[organisation["hgi"]])
    client.get("/actualites/")
    invalider_toutes_les_pages()  # count a rendering, not a page served from the page cache
    with django_assert_max_num_queries(30):
        assert client.get("/actualites/").status_code == 200


def test_article_links_only_published_fiches(client, index, home_page, organisation):
    from catalogue.models import FichePage, StructurePage
    from operations.donnees_initiales.catalogue import load_catalogue_pages

    load_catalogue_pages(home_page)
    page_hgi = StructurePage.objects.get(structure=organisation["hgi"])
    pilotage = {"thematique": ThematiqueFactory(), "chef_de_file": organisation["hgi_juridique"]}
    publiee = publish(page_hgi, FichePage(title="Marchés publics", slug="marches", chapo="…", **pilotage))
    brouillon = FichePage(title="Fiche en préparation", slug="preparation", chapo="…", live=False, **pilotage)
    page_hgi.add_child(instance=brouillon)
    page = ActualitePage(title="Article", slug="article", chapo="…")
    page.fiches.set([publiee, brouillon])
    page = publish(index, page)

    html = client.get(page.url).content.decode()

    assert f'href="{publiee.url}"' in html
    assert "Fiche en préparation" not in html
