"""Server-side counters of the usage report: no cookie, no identifier, nobody tracked.

A public page view costs one cache operation (`incr` on a key per day and path group); every
RESEAU_COMPTEUR_SEUIL views, and whenever the report is read or `vider_compteurs_reseau` runs, the pending
counts move into CompteurJournalier rows. A group's first view of the day writes its (empty)
row, which is how the flush knows which keys exist. On Redis `incr` is atomic; on the database
cache two concurrent views may rarely count as one, which a usage report tolerates."""

import datetime
import logging
import re

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from reseau.models import CompteurJournalier

logger = logging.getLogger(__name__)

PREFIXE_PAGES = "pages:"
DUREE_CLE = 3 * 24 * 3600
ROBOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|curl|wget|python|httpx|java/|go-http|headless|lighthouse|monitor|uptime|"
    r"preview|facebookexternalhit|scan",
    re.IGNORECASE,
)
EXCLUS = ("/admin/", "/django-admin/", "/api/", "/documents/", "/sante/", "/static/", "/media/")


def _cache():
    return caches[settings.RESEAU_COMPTEUR_CACHE]


def groupe(path):
    """The counted group of a path: its first segment (« catalogue », « actualites »…), « accueil » for /."""
    segment = path.strip("/").split("/", 1)[0]
    segment = re.sub(r"[^a-z0-9_-]", "", segment.lower())[:60]
    return segment or "accueil"


def _cle_cache(jour, cle):
    return f"reseau:compteur:{jour.isoformat()}:{cle}"


def a_compter(request, response):
    """A public page view: a GET answered 200 with HTML, outside the back office, not by a robot."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.path.startswith(tuple(getattr(settings, "RESEAU_COMPTEUR_EXCLUS", EXCLUS))):
        return False
    agent = request.META.get("HTTP_USER_AGENT", "")
    return bool(agent) and not ROBOTS.search(agent)


def compter_vue(path, jour=None):
    jour = jour or timezone.localdate()
    cle = PREFIXE_PAGES + groupe(path)
    cache = _cache()
    cle_cache = _cle_cache(jour, cle)
    try:
        valeur = cache.incr(cle_cache)
    except ValueError:
        if cache.add(cle_cache, 1, timeout=DUREE_CLE):
            CompteurJournalier.objects.get_or_create(date=jour, cle=cle)
            valeur = 1
        else:
            valeur = cache.incr(cle_cache)
    if valeur >= settings.RESEAU_COMPTEUR_SEUIL:
        _vider(jour, cle)


def _vider(jour, cle):
    cache = _cache()
    cle_cache = _cle_cache(jour, cle)
    valeur = cache.get(cle_cache) or 0
    if valeur <= 0:
        return 0
    try:
        cache.decr(cle_cache, valeur)
    except ValueError:
        return 0
    CompteurJournalier.ajouter(cle, valeur, date=jour)
    return valeur


def vider_compteurs(jours=3):
    """Move the pending page views of the last `jours` days from the cache into the table."""
    depuis = timezone.localdate() - datetime.timedelta(days=jours - 1)
    total = 0
    for jour, cle in CompteurJournalier.objects.filter(date__gte=depuis, cle__startswith=PREFIXE_PAGES).values_list(
        "date", "cle"
    ):
        total += _vider(jour, cle)
    return total


class CompteurPagesMiddleware:
    """First in MIDDLEWARE, so that pages served by the page cache are counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if a_compter(request, response):
            try:
                compter_vue(request.path)
            except Exception:  # noqa: BLE001
                # A counter must never cost a visitor his page (cache or database unavailable).
                logger.warning("Consultation non comptée : %s", request.path, exc_info=True)
        return response
