"""Full-page cache for anonymous visitors (DESIGN.md §6).

Django's cache middleware on a dedicated, shared cache ("pages"): never for a signed-in
user (session cookie), never for excluded paths (admin, intake form, tracking, API writes,
health), emptied whenever published content changes. Browsers are told not to keep HTML,
so a publication shows at once.
"""

from django.conf import settings
from django.core.cache import caches
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control


def _cacheable(request):
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


class AnonymousFetchFromCacheMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not _cacheable(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


class AnonymousUpdateCacheMiddleware(UpdateCacheMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Outermost: applies to fresh and cached responses alike.
        if response.get("Content-Type", "").startswith("text/html") and "private" not in response.get("Cache-Control", ""):
            patch_cache_control(response, max_age=0, must_revalidate=True, public=False)
        return response


def vider_cache_pages(**kwargs):
    """Empty the page cache: every worker and host shares it, so one call is enough."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].clear()
