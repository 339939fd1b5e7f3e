"""Per-worker copies of what every public page asks Wagtail for and only an editor changes.

Wagtail reads them again for each request: the site matching the host (one query, a third of
the CPU of the route), the site roots (one query on the database cache), the root page in its
specific form and the child the route goes through (two queries), the view restrictions of the
page served (two queries) and of every `.public()` list (one), the site settings (one, in
actualites). A worker keeps them in memory instead, tagged with two tokens of the shared page
cache (CACHES["pages"]: every worker of a host, Redis across hosts), read together once per
request by catalogue.middleware.CacheWorkerMiddleware:

- the page-cache generation, which snippets, settings, thématiques, structures and the images
  they show replace (cache_pages.invalider_toutes_les_pages);
- the tree's token, which any save or deletion of a page, a site or a view restriction and any
  page move replace (catalogue/signal_handlers.py).

A worker whose copies were read under other tokens than the shared ones reads them again: a
change made through any worker, or a command, is seen by all at their next request. A token is
replaced when the change is made and again when its transaction commits (cache_pages.apres_commit):
a request that read the old rows in between keeps them under a token nobody reads any more. A
missing token (first request, evicted) is written with add() by the first request that finds it
missing.

Only inside a request that went through the middleware (it pins the tokens for the request): a
command, a test calling a function directly or a request answered before it reads the database as
Wagtail does. The kept instances are shared by the requests of a worker; a request gets its own
copy (`copie`) of what it may change (Wagtail caches on a page its parent and its specific form,
on the settings the request).
"""

import contextlib
import contextvars
import copy
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from catalogue.cache_pages import CLE_GENERATION, apres_commit

# Written with a fixed version, as the page cache's own keys; never expires.
CLE_ARBRE = "pages:arbre"

# The tokens pinned for the request in progress (None outside a request: nothing is kept).
_jetons = contextvars.ContextVar("cache_worker_jetons", default=None)
# {tokens: {key: value}}: what this worker read under the tokens it last saw.
_COPIES = {}


def _cache():
    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


def lire_jetons():
    """(generation, tree token) as every worker reads them; a missing one is written."""
    cache = _cache()
    valeurs = cache.get_many([CLE_GENERATION, CLE_ARBRE], version=0)
    jetons = []
    for cle in (CLE_GENERATION, CLE_ARBRE):
        jeton = valeurs.get(cle)
        if jeton is None and not cache.add(cle, jeton := uuid.uuid4().hex, timeout=None, version=0):
            # Another process wrote one meanwhile: that one is shared.
            jeton = cache.get(cle, version=0)
        jetons.append(jeton)
    return tuple(jetons)


def invalider_arbre():
    """Every worker reads its copies again (a page, a site or a view restriction changed)."""
    apres_commit(lambda: _cache().set(CLE_ARBRE, uuid.uuid4().hex, timeout=None, version=0))


def memoriser(cle, calcul):
    """calcul(), kept by this worker while the shared tokens stay those pinned for the request;
    computed each time outside a request. Its result must depend only on what the tokens cover
    (pages, sites, view restrictions, snippets, settings, images in use)."""
    jetons = _jetons.get()
    if jetons is None or None in jetons:
        return calcul()
    valeurs = _COPIES.get(jetons)
    if valeurs is None:
        # New tokens: everything read under the former ones goes.
        _COPIES.clear()
        valeurs = _COPIES[jetons] = {}
    if cle not in valeurs:
        valeurs[cle] = calcul()
    return valeurs[cle]


def copie(instance):
    """A request's own copy of a kept model instance: what the request sets on it stays on the
    copy. Its field values and related objects are shared (a request does not change them)."""
    double = copy.copy(instance)
    # The specific form of a page that already is specific is the instance itself: the kept one.
    double.__dict__.pop("specific", None)
    double.__dict__.pop("specific_deferred", None)
    return double


def site_de_la_requete(request):
    """Site.find_for_request(request): the site Wagtail's lookup gives for this host and port
    (asked once per known host and port; any other host gets the default site), its root page
    in its specific form."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    noms = memoriser("noms_d_hotes", lambda: set(Site.objects.values_list("hostname", flat=True)))

    def lire():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        site.root_page = site.root_page.specific
        return site

    site = memoriser(("site", hostname, port) if hostname in noms else ("site", None, None), lire)
    if site is None:
        return None
    double = copie(site)
    double.root_page = copie(site.root_page)
    return double


def racines_des_sites():
    """Site.get_site_root_paths() (Wagtail keeps them in the database cache: one query)."""
    return memoriser("racines", Site.get_site_root_paths)


def enfant(page, slug):
    """The child of this page with this slug (a plain Page, its own copy), None if it has none:
    the first step of every route below a site's root."""
    enfants = memoriser(("enfants", page.pk), lambda: {enfant.slug: enfant for enfant in page.get_children()})
    trouve = enfants.get(slug)
    return copie(trouve) if trouve is not None else None


def restrictions():
    """Every view restriction with its page (shared: read-only)."""
    return memoriser("restrictions", lambda: list(PageViewRestriction.objects.select_related("page")))


def des_alias():
    """Whether a page of the tree is an alias (Wagtail checks its source's restrictions)."""
    return memoriser("alias", lambda: Page.objects.filter(alias_of__isnull=False).exists())


@contextlib.contextmanager
def pour_la_requete():
    """Pins the shared tokens for a request (catalogue.middleware): until it ends, what this
    worker keeps is used while those tokens are its own."""
    jeton = _jetons.set(lire_jetons())
    try:
        yield
    finally:
        _jetons.reset(jeton)


def actif():
    """Whether tokens are pinned (inside a request that went through the middleware)."""
    return _jetons.get() is not None
