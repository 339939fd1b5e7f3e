"""Versions of the anonymous page cache and what a publication invalidates (the middleware
lives in config/cache.py).

Every stored page is keyed by the site-wide generation and by its path's own version, both
read in one get_many per request: invalidating a path writes it a new random version, so all
of its variants (query strings, languages) go at once and every other page stays served from
the cache. The versions are read with the request and the response is stored under them, so a
page rendered while a publication invalidates it is stored under a version nobody reads any
more. A missing version (first visit, evicted) is written by the first response stored under
that path with add(): if an invalidation wrote one meanwhile, the response is not stored; and a
random version, unlike a counter, never brings back entries stored under an older one.

Nothing here ever calls clear(): on Redis that flushes the whole database, rate-limit counters
and sessions of other aliases included. The old entries, never read again, expire on their own.

What a page publication invalidates (`chemins_de_la_page`): the page itself, its ancestors
(index pages list their children, the home page shows the latest ones and the key figures),
its descendants when its title, address or status changes (breadcrumbs, addresses), the pages
that link to it (Wagtail's reference index: rich text, StreamField, foreign keys), the API v2
listing and detail of each of those pages, and what each app declares with
`enregistrer_dependances` (catalogue: below; actualites: actualites/cache_pages.py). Here
rather than in config so that the apps whose content changes can invalidate without importing
the project configuration.
"""

import hashlib
import uuid
from urllib.parse import unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page, ReferenceIndex

# The module, its classes read when a page is published: the page models import this module's
# tokens (catalogue.visibilite → catalogue.cache_worker) while they are being defined.
from catalogue import models as modeles

# Read and written with a fixed version so that they never depend on themselves.
CLE_GENERATION = "pages:generation"
PREFIXE_VERSION = "pages:version:"
# A path's version only has to outlive the entries stored under it (PAGE_CACHE_SECONDS); a day
# keeps the hot ones without keeping forever those of paths nobody asks for any more.
DUREE_VERSION = 24 * 3600

# Returned by a dependency when the page is shown on every page (a menu entry, for instance).
TOUTES = "*"
# Beyond this many paths (a section renamed, its whole subtree), one new generation is cheaper.
MAX_CHEMINS = 500


def _cache():
    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


def cle_version(chemin):
    """The cache key of a path's version. Page URLs are percent-encoded, request.path is not:
    both are compared decoded."""
    return PREFIXE_VERSION + hashlib.md5(unquote(chemin).encode(), usedforsecurity=False).hexdigest()


def lire_versions(chemin):
    """(generation, version of the path), None for a missing one: one cache round trip."""
    cle = cle_version(chemin)
    valeurs = _cache().get_many([CLE_GENERATION, cle], version=0)
    return valeurs.get(CLE_GENERATION), valeurs.get(cle)


def creer_versions(chemin, generation, version):
    """Write a new random token for each missing one, before a page is stored under them.

    None when another process wrote one in between (an invalidation may have happened since
    the request was read: the response is then not stored).
    """
    cache = _cache()
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(CLE_GENERATION, generation, timeout=None, version=0):
            return None
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(cle_version(chemin), version, timeout=DUREE_VERSION, version=0):
            return None
    return generation, version


def apres_commit(fonction):
    """Run now, and again once the transaction commits: a visitor reading the old content
    between the two would otherwise store it again for the whole timeout."""
    fonction()
    if connection.in_atomic_block:
        transaction.on_commit(fonction)


def invalider_chemins(chemins):
    """Drop the cached pages of these paths (every query string and language of each)."""
    chemins = {chemin for chemin in chemins if chemin}
    if TOUTES in chemins or len(chemins) > MAX_CHEMINS:
        invalider_toutes_les_pages()
        return
    if chemins:
        cles = [cle_version(chemin) for chemin in chemins]
        # New versions rather than none: a response whose request found none is then not stored.
        apres_commit(
            lambda: _cache().set_many({cle: uuid.uuid4().hex for cle in cles}, timeout=DUREE_VERSION, version=0)
        )


def invalider_toutes_les_pages():
    """Drop every cached page, by writing a new generation (clear() is never called).

    Only for what is shown on (nearly) every page: the thématiques, structures and directions
    (home page, catalogue filters, every fiche and partner page, the links of the actualités,
    the API), the site settings (menu, footer), an image or document in use, a page listed in
    the menu. Tracing each use would cost more than it saves: they change a few times a year,
    fiches and actualités every day. Page publications go through `invalider_chemins`.
    """
    apres_commit(lambda: _cache().set(CLE_GENERATION, uuid.uuid4().hex, timeout=None, version=0))


# --- What a page publication invalidates ------------------------------------------------

_DEPENDANCES = []


def enregistrer_dependances(fonction):
    """Declare `fonction(page)` → paths (or TOUTES) that show this specific page, besides its
    own address, ancestors, descendants, referrers and API entries."""
    if fonction not in _DEPENDANCES:
        _DEPENDANCES.append(fonction)
    return fonction


def url_nommee(nom, *args):
    """reverse(), or None where the project does not route that name."""
    try:
        return reverse(nom, args=args)
    except NoReverseMatch:
        return None


def chemin_de_page(page):
    """The page's path on its site (None when it has none, e.g. outside every site)."""
    parties = page.get_url_parts()
    return parties[2] if parties else None


def chemins_api(page_id):
    return {url_nommee("wagtailapi:pages:listing"), url_nommee("wagtailapi:pages:detail", page_id)}


def _chemins_html_et_api(pages):
    chemins = set()
    for page in pages:
        chemins.add(chemin_de_page(page))
        chemins |= chemins_api(page.pk)
    return chemins


def _pages_qui_citent(page):
    ids = (
        ReferenceIndex.get_references_to(page)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().filter(pk__in=[int(pk) for pk in ids]).exclude(pk=page.pk)


def chemins_de_la_page(page, descendants=False):
    """Every path that shows this page, as it is now (call it before and after a change).

    `descendants`: also the pages below it, whose breadcrumb or address shows its title or
    slug (when those change, or when it goes offline).
    """
    chemins = _chemins_html_et_api([page])
    chemins |= _chemins_html_et_api(page.get_ancestors().filter(depth__gt=1))
    if descendants:
        chemins |= _chemins_html_et_api(page.get_descendants())
    chemins |= _chemins_html_et_api(_pages_qui_citent(page))
    for dependances in _DEPENDANCES:
        chemins |= set(dependances(page))
    chemins.discard(None)
    return chemins


@enregistrer_dependances
def _dependances_catalogue(page):
    """A fiche is listed by the partner pages of its chef de file and co-chefs de file (wherever
    it sits) and by the search suggestions; a partner page is linked from every fiche its
    structure leads. The catalogue index and the home page are ancestors."""
    if isinstance(page, modeles.FichePage):
        structures = {page.chef_de_file.structure_id} if page.chef_de_file_id else set()
        structures |= {direction.structure_id for direction in page.co_chefs_de_file.all()}
        chemins = _chemins_html_et_api(modeles.StructurePage.objects.filter(structure__in=structures))
        return chemins | {url_nommee("catalogue:suggestions")}
    if isinstance(page, modeles.StructurePage) and page.structure_id:
        return _chemins_html_et_api(
            modeles.FichePage.objects.live().filter(chef_de_file__structure=page.structure_id).exclude(pk=page.pk)
        )
    return set()
