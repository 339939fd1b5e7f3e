"""The worker's copies of the sites, site roots, root pages and their children, view restrictions
and site settings (catalogue/cache_worker.py): they give what Wagtail gives, and a change made
through this worker or any other is seen at the next request.

The page cache is left out (its own invalidation is tests/test_cache_pages.py): every request
builds its page from the worker's copies and the database.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from wagtail.api.querysets import get_public_pages_queryset
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from actualites.models import ActualitePage, HomePage, ParametresSite, StandardPage
from catalogue import cache_worker
from catalogue.api import pages_publiques
from catalogue.cache_worker import CLE_ARBRE
from catalogue.models import Structure, StructurePage
from catalogue.visibilite import RestrictionsEnMemoireMixin, pages_privees
from tests.actualites.conftest import make_image, sections  # noqa: F401 - sections is a fixture
from tests.catalogue.conftest import catalogue, fiches, make_fiche, thematiques  # noqa: F401 - fixtures
from tests.conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sans_cache_de_pages(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("config.cache.")]


@pytest.fixture
def site(home_page):
    site = Site.objects.get(is_default_site=True)
    # Created by the first page rendered otherwise.
    ParametresSite.for_site(site)
    return site


def html(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


# --- A change is seen at once ------------------------------------------------------------


def test_the_home_page_published_is_served_at_once(client, site):
    """The site's root page is kept in its specific form with the site: its publication (any
    page saved) gives every worker a new tree token."""
    home = HomePage.objects.get()
    html(client, "/")
    home.introduction = "<p>Nouvelle introduction</p>"
    home.save_revision().publish()
    assert "Nouvelle introduction" in html(client, "/")


def test_a_page_added_renamed_or_withdrawn_below_the_home_page_is_routed_at_once(client, site):
    """The home page's children are kept for the first step of every route."""
    home = HomePage.objects.get()
    assert client.get("/nouvelle/").status_code == 404
    page = publish(home, StandardPage(title="Nouvelle", slug="nouvelle"))
    assert "Nouvelle" in html(client, "/nouvelle/")
    page.slug = "renommee"
    page.save_revision().publish()
    assert client.get("/nouvelle/").status_code == 404
    assert "Nouvelle" in html(client, "/renommee/")
    page.unpublish()
    assert client.get("/renommee/").status_code == 404


def test_a_moved_page_is_routed_at_its_new_address_at_once(client, site):
    home = HomePage.objects.get()
    page = publish(home, StandardPage(title="Déplacée", slug="deplacee"))
    parent = publish(home, StandardPage(title="Parent", slug="parent"))
    html(client, "/deplacee/")
    page.move(parent, pos="last-child")
    # Wagtail's redirect to the new address, if any: the page is no longer served there.
    assert client.get("/deplacee/").status_code in (301, 404)
    assert "Déplacée" in html(client, "/parent/deplacee/")


def test_a_view_restriction_added_or_removed_applies_at_once(client, site, sections):
    """To the page served (Wagtail's check), the lists of the home page and the API."""
    article = publish(sections["actualites"], ActualitePage(title="Bientôt réservée", slug="bientot", chapo="…"))
    assert "Bientôt réservée" in html(client, article.url)
    assert "Bientôt réservée" in html(client, "/")
    restriction = PageViewRestriction.objects.create(
        page=sections["actualites"], restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(article.url).status_code == 302
    assert "Bientôt réservée" not in html(client, "/")
    api = client.get("/api/v2/pages/", {"type": "actualites.ActualitePage"}).json()
    assert article.pk not in [item["id"] for item in api["items"]]
    restriction.delete()
    assert "Bientôt réservée" in html(client, article.url)
    api = client.get("/api/v2/pages/", {"type": "actualites.ActualitePage"}).json()
    assert article.pk in [item["id"] for item in api["items"]]


def test_a_site_changed_or_added_is_seen_at_once(client, site, catalogue, fiches):
    """The site found for a host and the site roots (absolute URLs of the API) are kept."""
    fiche = fiches["bourg"]

    def adresse():
        return client.get(f"/api/v2/pages/{fiche.pk}/").json()["meta"]["html_url"]

    assert adresse().startswith("http://localhost/")
    site.port = 8080
    site.save()
    assert adresse().startswith("http://localhost:8080/")

    mentions = publish(HomePage.objects.get(), StandardPage(title="Autre site", slug="autre-site"))
    assert "Autre site" not in html(client, "/", HTTP_HOST="127.0.0.1")
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=mentions, site_name="Autre")
    assert "Autre site" in html(client, "/", HTTP_HOST="127.0.0.1")


def test_site_settings_edited_are_shown_at_once(client, site):
    """Kept by the worker too: a save changes the page cache's generation, one of its tokens."""
    html(client, "/")
    parametres = ParametresSite.for_site(site)
    parametres.contact_courriel = "nouveau@plateforme.test"
    parametres.save()
    assert "nouveau@plateforme.test" in html(client, "/")


def test_the_home_pages_thematiques_partners_and_number_of_fiches_follow_their_changes(client, site, catalogue):
    """Kept by the worker for the home page: a thématique, a structure or its logo saved changes
    the page cache's generation, a fiche or a partner page published the tree's token."""
    assert "Nouveau partenaire" not in html(client, "/")
    chiffres = client.get("/").context["chiffres"]
    thematique = catalogue["juridique"]
    thematique.nom = "Thématique renommée"
    thematique.save()
    assert "Thématique renommée" in html(client, "/")
    structure = Structure.objects.create(nom="Nouveau partenaire", sigle="NP")
    assert '<span class="partenaires__sigle" title="Nouveau partenaire">NP' in html(client, "/")
    assert client.get("/").context["chiffres"]["partenaires"] == chiffres["partenaires"] + 1
    structure.logo = make_image("Logo NP")
    structure.save()
    assert re.search(r"<img [^>]*alt=\"Nouveau partenaire\"", html(client, "/"))
    page = publish(catalogue["index"], StructurePage(title="Nouveau partenaire", slug="np", structure=structure))
    assert '<a href="/catalogue/np/">' in html(client, "/")
    make_fiche(page, "Nouvelle fiche", catalogue["hgi_juridique"], thematique)
    assert client.get("/").context["chiffres"]["fiches"] == chiffres["fiches"] + 1
    page.unpublish()
    assert '<a href="/catalogue/np/">' not in html(client, "/")


def test_a_worker_reads_its_copies_again_when_another_one_changed_the_tree(client, site):
    """A change made in another process runs no signal here: the shared token it replaced is
    what tells this worker. An update without signals (as seen from here) keeps the copies."""
    home = HomePage.objects.get()
    html(client, "/")
    HomePage.objects.filter(pk=home.pk).update(introduction="<p>Écrit par un autre worker</p>")
    assert "Écrit par un autre worker" not in html(client, "/")
    caches["pages"].set(CLE_ARBRE, "jeton-d-un-autre-worker", timeout=None, version=0)
    assert "Écrit par un autre worker" in html(client, "/")


def test_nothing_is_kept_outside_a_request():
    lectures = []
    for _ in range(2):
        cache_worker.memoriser("essai", lambda: lectures.append(1))
    assert len(lectures) == 2


# --- What is kept is what Wagtail reads -----------------------------------------------------


def test_every_page_model_reads_its_restrictions_from_the_copies():
    modeles = [modele for modele in get_page_models() if modele is not Page]
    assert modeles
    assert all(issubclass(modele, RestrictionsEnMemoireMixin) for modele in modeles)


@pytest.fixture
def restreintes(site, sections, catalogue, fiches):
    """Restrictions on a section, on a page below another one, and a restriction-free branch."""
    article = publish(sections["actualites"], ActualitePage(title="Article", slug="article", chapo="…"))
    PageViewRestriction.objects.create(page=sections["ressources"], restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=catalogue["caue_page"], restriction_type=PageViewRestriction.LOGIN)
    return article


def comparer_restrictions():
    for page in Page.objects.all().specific():
        attendu = set(Page.get_view_restrictions(page).values_list("pk", flat=True))
        assert set(page.get_view_restrictions().values_list("pk", flat=True)) == attendu, page
    assert set(Page.objects.exclude(pages_privees()).values_list("pk", flat=True)) == set(
        Page.objects.public().values_list("pk", flat=True)
    )


def test_view_restrictions_are_wagtails(restreintes):
    with cache_worker.pour_la_requete():
        comparer_restrictions()
    comparer_restrictions()


def test_an_alias_has_its_sources_restrictions(restreintes, sections):
    """Wagtail's own reading as soon as the tree holds an alias."""
    alias = restreintes.create_alias(parent=sections["agenda"], update_slug="alias-article")
    with cache_worker.pour_la_requete():
        assert cache_worker.des_alias()
        comparer_restrictions()
        assert alias.specific.get_view_restrictions().exists()


def test_api_public_pages_are_wagtails(rf, restreintes, editeur):
    for utilisateur in (AnonymousUser(), editeur):
        for parametres in ({}, {"site": "localhost"}, {"site": "localhost:80"}):
            requete = rf.get("/api/v2/pages/", parametres)
            requete.user = utilisateur
            with cache_worker.pour_la_requete():
                trouvees = set(pages_publiques(requete).values_list("pk", flat=True))
            assert trouvees == set(get_public_pages_queryset(requete).values_list("pk", flat=True))
            assert trouvees


def test_the_site_found_is_wagtails(rf, site, sections):
    Site.objects.create(hostname="autre.test", port=8080, root_page=sections["agenda"], site_name="Autre")
    Site.objects.create(hostname="autre.test", port=80, root_page=sections["ressources"], site_name="Autre 80")
    for hote in ("localhost", "localhost:8080", "autre.test", "autre.test:8080", "autre.test:443", "inconnu.test"):
        requete = rf.get("/", HTTP_HOST=hote)
        attendu = Site._find_for_request(requete)
        with cache_worker.pour_la_requete():
            for _ in range(2):  # read, then kept
                trouve = cache_worker.site_de_la_requete(requete)
                assert (trouve.pk, trouve.root_page.pk) == (attendu.pk, attendu.root_page.pk), hote
                assert type(trouve.root_page) is type(attendu.root_page.specific)
