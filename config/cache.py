"""Full-page cache for anonymous visitors (DESIGN.md §6).

Django's cache middleware on a dedicated, shared cache ("pages"): never for a signed-in
user (session cookie), never for excluded paths (admin, intake form, tracking, API writes,
health), emptied whenever published content changes. Browsers are told not to keep HTML,
so a publication shows at once.

Emptying never calls clear(): on Redis that flushes the whole database, rate-limit counters
and sessions of other aliases included. Page keys carry a generation instead; a publication
writes a new generation and the old entries, never read again, expire on their own.
"""

import uuid

from django.conf import settings
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control


def _cacheable(request):
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


# Read and written with a fixed version so that it never depends on itself.
CLE_GENERATION = "pages:generation"


def generation_pages():
    """The current generation of the page cache, shared by every worker and host.

    A random token rather than a counter: should the entry be evicted, the next one is new
    too, so entries of an older generation can never come back to life.
    """
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    valeur = cache.get(CLE_GENERATION, version=0)
    if valeur is None:
        cache.add(CLE_GENERATION, uuid.uuid4().hex, timeout=None, version=0)
        valeur = cache.get(CLE_GENERATION, version=0)
    return valeur


class _PrefixeParGeneration:
    """The middleware's key prefix ends with the current generation (read on each request)."""

    @property
    def key_prefix(self):
        return f"{self._prefixe}.{generation_pages()}"

    @key_prefix.setter
    def key_prefix(self, valeur):
        self._prefixe = valeur


class AnonymousFetchFromCacheMiddleware(_PrefixeParGeneration, FetchFromCacheMiddleware):
    def process_request(self, request):
        if not _cacheable(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


class AnonymousUpdateCacheMiddleware(_PrefixeParGeneration, UpdateCacheMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Outermost: applies to fresh and cached responses alike.
        if response.get("Content-Type", "").startswith("text/html") and "private" not in response.get("Cache-Control", ""):
            patch_cache_control(response, max_age=0, must_revalidate=True, public=False)
        return response


def vider_cache_pages(**kwargs):
    """Empty the page cache: every worker and host shares the generation, so one call is
    enough, and nothing else stored in the same Redis database is touched."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].set(CLE_GENERATION, uuid.uuid4().hex, timeout=None, version=0)
