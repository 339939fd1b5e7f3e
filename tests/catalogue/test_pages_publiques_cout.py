"""What a page-cache miss of the public pages costs, and that the shortcuts taken give what
Wagtail gives.

SQL queries of the home page, the catalogue, a fiche and the fiches API: bounded, and the same
with more fiches, partners or news (no query per item), in a worker whose copies of the sites,
site roots, view restrictions and settings are read (catalogue/cache_worker.py: what a worker in
service holds; tests/catalogue/test_cache_worker.py checks that a change is seen at once).
bench/profil_pages.py measures CPU and queries on PostgreSQL.
"""

from unittest import mock

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from actualites.models import ActualitePage, EvenementPage, HomePage, ParametresSite
from catalogue.liens import urls_des_pages
from catalogue.models import CatalogueIndexPage, Direction, FichePage, Structure, StructurePage
from tests.actualites.conftest import dans, make_image, sections  # noqa: F401 - sections is a fixture
from tests.catalogue.conftest import make_fiche
from tests.catalogue.test_catalogue_queries import add_fiches
from tests.conftest import publish

pytestmark = pytest.mark.django_db

API_FICHES = {"type": "catalogue.FichePage", "fields": "thematique,chef_de_file,nature", "limit": 20}


@pytest.fixture(autouse=True)
def sans_cache_de_pages(settings):
    """Every request builds its page: the page cache would answer the second one."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("config.cache.")]


def requetes(client, url, **params):
    # Created by the first page rendered otherwise, which changes the page-cache generation.
    ParametresSite.for_site(Site.objects.get(is_default_site=True))
    client.get(url, params)  # per-process caches warm, as in a worker in service
    with CaptureQueriesContext(connection) as sql:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(sql)


def ajouter_contenu(catalogue, sections, nombre):
    """`nombre` more fiches, partner structures with a page and a logo, news and events."""
    add_fiches(catalogue, nombre)
    for rang in range(nombre):
        numero = Structure.objects.count()
        structure = Structure.objects.create(nom=f"Partenaire {numero}", sigle=f"P{numero}", logo=make_image())
        publish(catalogue["index"], StructurePage(title=structure.nom, slug=structure.slug, structure=structure))
        publish(sections["actualites"], ActualitePage(title=f"A{numero}", slug=f"a{numero}", chapo="…"))
        publish(
            sections["agenda"],
            EvenementPage(title=f"E{numero}", slug=f"e{numero}", chapo="…", lieu="L", date_debut=dans(rang + 1)),
        )


def test_home_page_queries(client, catalogue, fiches, sections):
    ajouter_contenu(catalogue, sections, 2)
    avant = requetes(client, "/")
    ajouter_contenu(catalogue, sections, 6)
    assert requetes(client, "/") == avant <= 6


def test_catalogue_queries(client, catalogue, fiches, sections):
    ajouter_contenu(catalogue, sections, 2)
    avant = requetes(client, "/catalogue/")
    ajouter_contenu(catalogue, sections, 12)
    assert requetes(client, "/catalogue/") == avant <= 5


def test_fiche_queries(client, catalogue, fiches, sections):
    ajouter_contenu(catalogue, sections, 2)
    avant = requetes(client, fiches["bourg"].url)
    ajouter_contenu(catalogue, sections, 6)
    assert requetes(client, fiches["bourg"].url) == avant <= 5


def test_api_fiches_queries(client, catalogue, fiches):
    add_fiches(catalogue, 2)
    avant = requetes(client, "/api/v2/pages/", **API_FICHES)
    add_fiches(catalogue, 30)
    assert requetes(client, "/api/v2/pages/", **API_FICHES) == avant <= 2


@pytest.mark.parametrize(
    "url, params",
    [("/", {}), ("/catalogue/", {}), ("/catalogue/", {"q": "démonstration"}), ("/api/v2/pages/", API_FICHES)],
)
def test_site_roots_read_once_per_request(client, catalogue, fiches, sections, url, params):
    """Wagtail reads them from the shared cache (a database query on PostgreSQL) unless they are
    kept on the request: the API used to read them once per fiche."""
    ajouter_contenu(catalogue, sections, 3)
    client.get(url, params)
    with mock.patch.object(Site, "get_site_root_paths", wraps=Site.get_site_root_paths) as lecture:
        client.get(url, params)
    assert lecture.call_count <= 1


def test_view_restrictions_read_once_per_worker(client, catalogue, fiches, sections):
    """The home page and the catalogue filter several lists as .public() does, and Wagtail checks
    the page served: all from the worker's copy of the restrictions, read again only when the
    tree changes."""
    privee = publish(sections["actualites"], ActualitePage(title="Réservée", slug="reservee", chapo="…"))
    PageViewRestriction.objects.create(page=privee, restriction_type=PageViewRestriction.LOGIN)
    ParametresSite.for_site(Site.objects.get(is_default_site=True))
    for url in ("/", "/catalogue/"):
        with CaptureQueriesContext(connection) as premiere:
            client.get(url)
        with CaptureQueriesContext(connection) as sql:
            html = client.get(url).content.decode()
        lectures = [q for q in sql.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]
        assert not lectures, url
        assert "Réservée" not in html
    lectures = [q for q in premiere.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]
    assert len(lectures) <= 1


def test_catalogue_cards_match_the_fiches(client, catalogue, fiches):
    fiche = fiches["bourg"]
    html = client.get("/catalogue/").content.decode()
    assert f'<h4><a href="{fiche.url}">{fiche.title}</a></h4>' in html
    assert '<p class="meta">HGI · Accompagnement complexe</p>' in html
    html = client.get("/catalogue/", {"q": "revitalisation"}).content.decode()
    assert f'<a href="{fiche.url}">Élaborer un projet de <mark>revitalisation</mark> de bourg centre</a>' in html


def test_page_urls_are_wagtails(catalogue, fiches, sections):
    """urls_des_pages gives what {% pageurl %} (page.get_url) gives, on one site or several: a
    partner page that is the root of another site makes its fiches' URLs absolute."""

    def verifier(hote):
        pages = list(Page.objects.live().order_by("path"))
        attendu = {
            page.url_path: page.get_url(RequestFactory().get("/", HTTP_HOST=hote) if hote else None) for page in pages
        }
        requete = RequestFactory().get("/", HTTP_HOST=hote) if hote else None
        assert urls_des_pages([page.url_path for page in pages], requete) == attendu

    verifier("localhost")
    verifier(None)
    Site.objects.create(hostname="caue.test", port=80, root_page=catalogue["caue_page"], site_name="CAUE")
    verifier("localhost")
    verifier("caue.test")
    verifier(None)


def test_catalogue_route_finds_what_wagtail_finds(rf, catalogue, fiches):
    """A fiche or a partner page in one query, the same page as Wagtail's walk; drafts and
    unknown paths are not found."""
    requete = rf.get("/")
    index = CatalogueIndexPage.objects.get()
    brouillon = make_fiche(catalogue["hgi_page"], "Brouillon", catalogue["hgi_juridique"], catalogue["juridique"])
    brouillon.unpublish()
    chemins = [["hgi"], ["hgi", fiches["bourg"].slug], ["caue", fiches["planification"].slug]]
    for chemin in chemins:
        trouvee = index.route(requete, chemin).page
        wagtail = Page.route(index, requete, chemin).page
        assert (type(trouvee), trouvee.pk) == (type(wagtail), wagtail.pk)
    for chemin in (["hgi", brouillon.slug], ["hgi", "inconnue"], ["inconnue"], ["caue", fiches["bourg"].slug]):
        with pytest.raises(Http404):
            index.route(requete, chemin)
        with pytest.raises(Http404):
            Page.route(index, requete, chemin)


def test_home_route_finds_what_wagtail_finds(rf, catalogue, fiches, sections):
    requete = rf.get("/")
    home = HomePage.objects.get()
    for chemin in (["catalogue"], ["catalogue", "hgi", fiches["bourg"].slug], ["actualites"], ["agenda"]):
        trouvee = home.route(requete, chemin).page
        wagtail = Page.route(home, requete, chemin).page
        assert (type(trouvee), trouvee.pk) == (type(wagtail), wagtail.pk)
    with pytest.raises(Http404):
        home.route(requete, ["inconnue", "page"])


def test_fiche_page_context_through_the_route(client, catalogue, fiches):
    fiche = fiches["bourg"]
    response = client.get(fiche.url)
    assert response.context["catalogue_index"].pk == catalogue["index"].pk
    assert response.context["structure_page"].pk == catalogue["hgi_page"].pk
    # The chef de file's structure page, only while it is live (as the former query's .live()).
    StructurePage.objects.filter(pk=catalogue["hgi_page"].pk).update(live=False)
    response = client.get(fiche.url)
    assert response.status_code == 200
    assert response.context["structure_page"] is None
    sans_page = Structure.objects.create(nom="Sans page", sigle="SP")
    fiche = FichePage.objects.get(pk=fiche.pk)
    fiche.chef_de_file = Direction.objects.create(structure=sans_page, nom="Direction sans page")
    assert fiche.page_structure_chef_de_file() is None
