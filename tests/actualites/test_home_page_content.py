"""The home page: search box, thématiques, demande button, latest news, upcoming events,
partners and key figures computed from the database."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from actualites.models import ActualitePage, EvenementPage
from actualites.services import chiffres_cles
from catalogue.cache_pages import invalider_toutes_les_pages
from catalogue.models import FichePage, StructurePage
from operations.donnees_initiales.catalogue import load_catalogue_pages
from tests.actualites.conftest import dans, make_image
from tests.conftest import publish
from tests.factories import DemandeFactory, ThematiqueFactory


@pytest.fixture
def catalogue(home_page, organisation):
    index = load_catalogue_pages(home_page)
    page_hgi = StructurePage.objects.get(structure=organisation["hgi"])
    return index, page_hgi


def test_key_figures_count_published_fiches_partners_and_this_year_demandes(catalogue, organisation):
    _, page_hgi = catalogue
    pilotage = {"thematique": ThematiqueFactory(), "chef_de_file": organisation["hgi_juridique"]}
    publish(page_hgi, FichePage(title="Marchés publics", slug="marches", chapo="Aide aux marchés.", **pilotage))
    publish(page_hgi, FichePage(title="Urbanisme", slug="urbanisme", chapo="Aide au PLU.", **pilotage))
    brouillon = FichePage(title="Brouillon", slug="brouillon", chapo="Pas encore publiée.", live=False, **pilotage)
    page_hgi.add_child(instance=brouillon)
    debut = timezone.localtime().replace(month=1, day=1, hour=0, minute=5)
    DemandeFactory(created_at=debut)
    DemandeFactory(created_at=timezone.now())
    DemandeFactory(created_at=debut - datetime.timedelta(days=2))  # last year: not counted

    chiffres = chiffres_cles()

    assert chiffres["fiches"] == 2
    assert chiffres["partenaires"] == 2
    assert chiffres["demandes_annee"] == 2
    assert chiffres["annee"] == timezone.localdate().year


def test_home_page_shows_the_figures_and_the_entry_points(client, catalogue, sections):
    DemandeFactory()
    thematique = ThematiqueFactory(nom="Voirie et mobilités")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/catalogue/"' in html and 'name="q"' in html
    assert '<label for="recherche-catalogue">' in html
    assert 'href="/demande/"' in html
    assert f'href="/catalogue/?thematique={thematique.slug}"' in html
    assert response.context["chiffres"]["demandes_annee"] == 1
    assert "1</span> demande reçue en" in html


def test_home_page_lists_latest_news_and_upcoming_events_only(client, sections):
    index = sections["actualites"]
    for jours in range(5):
        publish(
            index,
            ActualitePage(
                title=f"Article {jours}",
                slug=f"article-{jours}",
                chapo="…",
                date_publication=timezone.localdate() - datetime.timedelta(days=jours),
            ),
        )
    publish(
        sections["agenda"],
        EvenementPage(title="Journée à venir", slug="a-venir", chapo="…", lieu="Muret", date_debut=dans(3)),
    )
    publish(
        sections["agenda"],
        EvenementPage(title="Comité passé", slug="passe", chapo="…", lieu="Muret", date_debut=dans(-3)),
    )

    response = client.get("/")

    assert [article.title for article in response.context["actualites"]] == ["Article 0", "Article 1", "Article 2"]
    assert [evenement.title for evenement in response.context["evenements"]] == ["Journée à venir"]
    assert "Comité passé" not in response.content.decode()


def test_partner_logos_link_to_their_published_partner_page(client, catalogue, organisation):
    organisation["caue"].logo = make_image("Logo CAUE")
    organisation["caue"].save()
    page_caue = StructurePage.objects.get(structure=organisation["caue"])

    html = client.get("/").content.decode()

    assert f'href="{page_caue.url}"' in html
    assert f'alt="{escape(organisation["caue"].nom)}"' in html


def test_home_page_queries_stay_flat(client, sections, catalogue, django_assert_max_num_queries):
    for rang in range(6):
        publish(sections["actualites"], ActualitePage(title=f"A{rang}", slug=f"a{rang}", chapo="…"))
        publish(
            sections["agenda"],
            EvenementPage(title=f"E{rang}", slug=f"e{rang}", chapo="…", lieu="L", date_debut=dans(rang + 1)),
        )
    client.get("/")
    invalider_toutes_les_pages()  # count a rendering, not a page served from the page cache
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200
