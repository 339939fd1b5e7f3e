"""Full-page cache for anonymous visitors.

Django's cache middleware on a dedicated, shared cache ("pages"): never for a signed-in
user (session cookie), never for excluded paths (admin, intake form, tracking, API writes,
health). Browsers are told not to keep HTML, so a publication shows at once.

A publication invalidates only the pages that show what changed (catalogue/cache_pages.py):
each stored page's key prefix ends with the site-wide generation and its path's version,
read once per request (one get_many) and kept on the request, so that a page rendered before
an invalidation is stored under the version that was dropped, never read again. Invalidating
never calls clear(): on Redis that flushes the whole database, rate-limit counters and
sessions of other aliases included.
"""

import copy

from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control

# The versions live with the content that invalidates them (catalogue signals, published bilans).
from catalogue import cache_pages


def _cacheable(request):
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


def _avec_versions(middleware, versions):
    """The middleware with this request's key prefix: Django's own code does the rest, and the
    shared instance is never changed by one request."""
    copie = copy.copy(middleware)
    copie.key_prefix = ".".join((middleware.key_prefix, *versions))
    return copie


class AnonymousFetchFromCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not _cacheable(request) or request.method not in ("GET", "HEAD"):
            request._cache_update_cache = False
            return None
        versions = cache_pages.lire_versions(request.path)
        request._cache_pages_versions = versions
        if None in versions:
            # Nothing was stored under versions that do not exist yet.
            request._cache_update_cache = True
            return None
        return FetchFromCacheMiddleware.process_request(_avec_versions(self, versions), request)


class AnonymousUpdateCacheMiddleware(UpdateCacheMiddleware):
    def process_response(self, request, response):
        versions = getattr(request, "_cache_pages_versions", None)
        if (
            versions is not None
            and None in versions
            and self._should_update_cache(request, response)
            and response.status_code == 200
            and not response.streaming
        ):
            versions = cache_pages.creer_versions(request.path, *versions)
        if versions is None or None in versions:
            request._cache_update_cache = False
            response = super().process_response(request, response)
        else:
            response = UpdateCacheMiddleware.process_response(_avec_versions(self, versions), request, response)
        # Outermost: applies to fresh and cached responses alike.
        if response.get("Content-Type", "").startswith("text/html") and "private" not in response.get(
            "Cache-Control", ""
        ):
            patch_cache_control(response, max_age=0, must_revalidate=True, public=False)
        return response
