import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail.models import Page, Site

from actualites.models import ActualiteIndexPage, ActualitePage, ParametresSite
from catalogue import cache_pages
from catalogue.cache_pages import CLE_GENERATION, PREFIXE_VERSION, invalider_chemins, invalider_toutes_les_pages
from catalogue.cache_worker import CLE_ARBRE
from catalogue.models import Direction, FichePage, Thematique
from tests.catalogue.conftest import catalogue, fiches, make_fiche, thematiques  # noqa: F401
from tests.conftest import publish

pytestmark = pytest.mark.django_db


def pages_en_cache():
    """Keys of the stored pages (LocMemCache in tests), versions and the tree's token left aside."""
    return [
        cle
        for cle in caches["pages"]._cache
        if CLE_GENERATION not in cle and PREFIXE_VERSION not in cle and CLE_ARBRE not in cle
    ]


@pytest.fixture
def home_page(home_page):
    # Created by the first page rendered otherwise, which invalidates every page.
    ParametresSite.for_site(Site.objects.get(is_default_site=True))
    return home_page


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def requetes(client, chemin):
    """The SQL queries a GET costs: none when the page is served from the cache."""
    with CaptureQueriesContext(connection) as capture:
        response = client.get(chemin)
    assert response.status_code == 200, chemin
    return len(capture)


def mettre_en_cache(client, *chemins):
    for chemin in chemins:
        client.get(chemin)
        assert requetes(client, chemin) == 0, chemin


@pytest.fixture
def site(client, fiches):  # noqa: F811
    """The catalogue's pages, with fiche A (« intercommunalité », under HGI) and an unrelated
    fiche B (« planification », CAUE's) cached."""
    a, b = fiches["intercommunalite"], fiches["planification"]
    ParametresSite.for_site(Site.objects.get(is_default_site=True))  # as home_page below
    c = fiches["intercommunalite"].get_parent().get_parent().specific
    chemins = {
        "a": a.url,
        "b": b.url,
        "hgi": a.get_parent().url,
        "caue": b.get_parent().url,
        "catalogue": c.url,
        "recherche": f"{c.url}?q=intercommunalite",
        "accueil": "/",
        "api": "/api/v2/pages/?type=catalogue.FichePage",
        "api_a": f"/api/v2/pages/{a.pk}/",
        "api_b": f"/api/v2/pages/{b.pk}/",
    }
    mettre_en_cache(client, *chemins.values())
    return {"a": a, "b": b, "chemins": chemins}


def test_an_anonymous_page_is_served_from_the_cache_without_any_query(client, home_page, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content
    # Browsers must not keep HTML: a publication shows at once.
    assert "max-age=0" in second["Cache-Control"] and "must-revalidate" in second["Cache-Control"]


def test_reading_the_versions_costs_one_cache_round_trip(client, home_page, monkeypatch):
    client.get("/")
    appels, en_cours = [], []
    pages = caches["pages"]

    def compter(nom, methode):
        def appel(*args, **kwargs):
            if not en_cours:  # LocMemCache.get_many calls get: count what the middleware asks
                appels.append(nom)
            en_cours.append(nom)
            try:
                return methode(*args, **kwargs)
            finally:
                en_cours.pop()

        return appel

    for nom in ("get", "get_many", "add", "set"):
        monkeypatch.setattr(pages, nom, compter(nom, getattr(pages, nom)))
    client.get("/")
    # The versions (one get_many), then Django's own two reads: the list of headers, the page.
    assert appels == ["get_many", "get", "get"]


def test_publishing_a_fiche_refreshes_the_pages_that_show_it_and_no_other(client, site):
    a, chemins = site["a"], site["chemins"]
    a.title = "Assistance intercommunale renouvelée"
    a.save_revision().publish()

    for nom in ("a", "hgi", "catalogue", "recherche", "accueil", "api", "api_a"):
        assert requetes(client, chemins[nom]) > 0, nom
    assert "Assistance intercommunale renouvelée" in client.get(chemins["a"]).content.decode()
    assert "Assistance intercommunale renouvelée" in client.get(chemins["catalogue"]).content.decode()
    assert "Assistance intercommunale renouvelée" in client.get(chemins["api"]).content.decode()
    # Unrelated: still the cached responses.
    for nom in ("b", "caue", "api_b"):
        assert requetes(client, chemins[nom]) == 0, nom


def test_a_new_chef_de_file_refreshes_the_old_and_the_new_partner_pages(client, site, organisation):
    a, chemins = site["a"], site["chemins"]
    a.chef_de_file = organisation["caue_direction"]
    a.save_revision().publish()
    assert requetes(client, chemins["caue"]) > 0
    assert escape(a.title) in client.get(chemins["caue"]).content.decode()
    assert requetes(client, chemins["hgi"]) > 0  # its parent, and no longer its chef de file
    assert requetes(client, chemins["b"]) == 0


def test_unpublishing_a_fiche_takes_it_off_its_listings(client, site):
    a, chemins = site["a"], site["chemins"]
    a.unpublish()
    assert client.get(chemins["a"]).status_code == 404
    assert a.title not in client.get(chemins["catalogue"]).content.decode()
    assert a.title not in client.get(chemins["hgi"]).content.decode()
    assert a.title not in client.get(chemins["api"]).content.decode()
    assert requetes(client, chemins["accueil"]) > 0  # the key figures count the published fiches
    assert requetes(client, chemins["b"]) == 0


def test_moving_a_fiche_refreshes_its_old_and_new_addresses(client, site, catalogue):  # noqa: F811
    a, chemins = site["a"], site["chemins"]
    a.move(catalogue["caue_page"], pos="last-child")
    a = FichePage.objects.get(pk=a.pk)
    assert a.url != chemins["a"]
    assert client.get(chemins["a"]).status_code != 200  # Wagtail's redirect to the new address
    assert client.get(a.url).status_code == 200
    assert a.url in client.get(chemins["catalogue"]).content.decode()
    assert requetes(client, chemins["caue"]) > 0  # its new parent
    assert requetes(client, chemins["hgi"]) > 0
    assert requetes(client, chemins["b"]) == 0


def test_renaming_a_partner_page_refreshes_the_fiches_below_it(client, site, catalogue):  # noqa: F811
    hgi, chemins = catalogue["hgi_page"], site["chemins"]
    hgi.slug = "haute-garonne-ingenierie"
    hgi.save_revision().publish()
    assert client.get(chemins["a"]).status_code != 200
    assert client.get(chemins["hgi"]).status_code != 200
    assert "/catalogue/haute-garonne-ingenierie/" in client.get(chemins["catalogue"]).content.decode()
    assert requetes(client, chemins["b"]) == 0


def test_deleting_a_fiche_refreshes_its_listings(client, site):
    a, chemins = site["a"], site["chemins"]
    titre = a.title
    a.delete()
    assert client.get(chemins["a"]).status_code == 404
    assert titre not in client.get(chemins["catalogue"]).content.decode()
    assert requetes(client, chemins["b"]) == 0


@pytest.fixture
def index_actualites(home_page):
    return publish(home_page, ActualiteIndexPage(title="Actualités", slug="actualites"))


def test_an_actualite_refreshes_its_list_the_home_page_and_the_feeds(client, site, index_actualites):
    mettre_en_cache(client, index_actualites.url, "/actualites/feed/", "/")
    publish(
        index_actualites, ActualitePage(title="Le catalogue grandit", slug="catalogue-grandit", chapo="Nouveautés.")
    )
    for chemin in (index_actualites.url, "/actualites/feed/", "/"):
        assert "Le catalogue grandit" in client.get(chemin).content.decode(), chemin
    assert requetes(client, site["chemins"]["b"]) == 0


def test_an_actualite_linking_a_fiche_is_refreshed_when_the_fiche_changes(client, site, index_actualites):
    a, index = site["a"], index_actualites
    article = ActualitePage(title="Un projet", slug="un-projet", chapo="Récit.")
    article.fiches = [a]
    article = publish(index, article)
    mettre_en_cache(client, article.url)
    a.title = "Nouveau titre de la fiche"
    a.save_revision().publish()
    assert "Nouveau titre de la fiche" in client.get(article.url).content.decode()


def test_a_page_chosen_in_the_menu_refreshes_every_page(client, site, catalogue):  # noqa: F811
    parametres = ParametresSite.objects.get()
    parametres.navigation = [("lien", {"libelle": "", "page": catalogue["caue_page"]})]
    parametres.save()
    mettre_en_cache(client, site["chemins"]["b"], site["chemins"]["a"])
    caue = catalogue["caue_page"]
    caue.title = "Architectes conseils"
    caue.save_revision().publish()
    assert "Architectes conseils" in client.get(site["chemins"]["a"]).content.decode()


def test_saving_a_snippet_refreshes_the_pages_showing_it(client, site):
    """A thématique is on the home page, the catalogue and each of its fiches: every page is refreshed."""
    thematique = Thematique.objects.get(fiches=site["b"])
    thematique.nom = "Urbanisme et planification"
    thematique.save()
    assert "Urbanisme et planification" in client.get(site["chemins"]["b"]).content.decode()
    assert "Urbanisme et planification" in client.get("/").content.decode()


def test_the_site_settings_refresh_every_page(client, site):
    parametres = ParametresSite.objects.get()
    parametres.contact_telephone = "05 61 00 00 42"
    parametres.save()
    assert "05 61 00 00 42" in client.get(site["chemins"]["b"]).content.decode()


def test_a_direction_refreshes_the_fiches_it_leads(client, site):
    direction = Direction.objects.get(fiches=site["b"])
    direction.nom = "Direction de la planification"
    direction.save()
    assert "Direction de la planification" in client.get(site["chemins"]["b"]).content.decode()


def test_a_new_image_or_a_rendition_keeps_the_pages(client, site, tmp_path):
    from django.core.files.images import ImageFile
    from PIL import Image as PilImage
    from wagtail.images import get_image_model

    fichier = tmp_path / "logo.png"
    PilImage.new("RGB", (40, 20), "white").save(fichier)
    with fichier.open("rb") as contenu:
        image = get_image_model().objects.create(title="Logo", file=ImageFile(contenu, name="logo.png"))
    image.get_rendition("fill-20x10")
    assert requetes(client, site["chemins"]["b"]) == 0


def test_publishing_never_changes_the_generation_and_the_old_bump_is_gone(client, site):
    generation = caches["pages"].get(CLE_GENERATION, version=0)
    assert generation
    site["a"].save_revision().publish()
    assert caches["pages"].get(CLE_GENERATION, version=0) == generation
    assert not hasattr(cache_pages, "vider_cache_pages") and not hasattr(cache_pages, "generation_pages")


def test_invalidating_touches_nothing_else(client, home_page):
    """On a shared Redis, clear() would also flush the rate-limit counters: it is never called."""
    client.get("/")
    caches["pages"].set("autre-cle", "gardée")
    cache.set("intake:limite:formulaire:203.0.113.7:1", 4)
    invalider_chemins(["/"])
    assert requetes(client, "/") > 0
    invalider_toutes_les_pages()
    assert requetes(client, "/") > 0
    assert caches["pages"].get("autre-cle") == "gardée"
    assert cache.get("intake:limite:formulaire:203.0.113.7:1") == 4


@pytest.mark.parametrize("cle", [CLE_GENERATION, "version"])
def test_a_lost_version_never_brings_old_pages_back(client, home_page, cle):
    client.get("/")
    cle = cle if cle == CLE_GENERATION else cache_pages.cle_version("/")
    caches["pages"].delete(cle, version=0)  # evicted by the cache
    home_page.introduction = "<p>Texte publié pendant l'éviction.</p>"
    home_page.save_revision().publish()
    caches["pages"].delete(cle, version=0)
    assert "Texte publié pendant l'éviction." in client.get("/").content.decode()


def test_a_page_rendered_before_an_invalidation_is_not_stored_after_it(client, home_page, monkeypatch):
    """The versions are read with the request: a response rendered meanwhile goes under the old ones."""
    client.get("/")
    invalider_chemins(["/"])
    vue = Page.serve

    def servir_pendant_une_publication(page, request, *args, **kwargs):
        response = vue(page, request, *args, **kwargs)
        invalider_chemins(["/"])
        return response

    monkeypatch.setattr(Page, "serve", servir_pendant_une_publication)
    client.get("/")
    monkeypatch.undo()
    assert requetes(client, "/") > 0


def test_a_signed_in_user_is_never_served_nor_stores_a_cached_page(client, home_page, editeur):
    client.force_login(editeur)
    client.get("/")
    assert not pages_en_cache()


@pytest.mark.parametrize("path", ["/admin/login/", "/sante/"])
def test_excluded_paths_are_never_cached(client, home_page, path):
    client.get(path)
    assert not pages_en_cache()


def test_a_whole_subtree_takes_one_new_generation_rather_than_a_version_per_path(client, home_page):
    client.get("/")
    generation = caches["pages"].get(CLE_GENERATION, version=0)
    invalider_chemins([f"/page-{rang}/" for rang in range(cache_pages.MAX_CHEMINS + 1)])
    assert caches["pages"].get(CLE_GENERATION, version=0) != generation
    assert caches["pages"].get(cache_pages.cle_version("/page-1/"), version=0) is None
