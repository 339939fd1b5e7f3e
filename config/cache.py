"""Full-page cache for anonymous visitors.

Django's cache middleware on a dedicated, shared cache ("pages"): never for a signed-in
user (session cookie), never for excluded paths (admin, intake form, tracking, API writes,
health), emptied whenever published content changes. Browsers are told not to keep HTML,
so a publication shows at once.

Emptying never calls clear(): on Redis that flushes the whole database, rate-limit counters
and sessions of other aliases included. Page keys carry a generation instead; a publication
writes a new generation and the old entries, never read again, expire on their own
(catalogue/cache_pages.py).
"""

from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control

# The generation lives with the content that empties it (catalogue signals, published bilans).
from catalogue.cache_pages import CLE_GENERATION, generation_pages, vider_cache_pages  # noqa: F401


def _cacheable(request):
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


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
        if response.get("Content-Type", "").startswith("text/html") and "private" not in response.get(
            "Cache-Control", ""
        ):
            patch_cache_control(response, max_age=0, must_revalidate=True, public=False)
        return response
