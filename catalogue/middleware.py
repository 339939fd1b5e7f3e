"""The worker's copies of the sites, site roots, view restrictions and settings for a request
(catalogue/cache_worker.py)."""

from django.conf import settings
from wagtail import views as wagtail_views
from wagtail.api.v2.views import BaseAPIViewSet

from catalogue import cache_worker


class CacheWorkerMiddleware:
    """Pins the shared tokens for the request and, for Wagtail's page view and its API, gives
    Wagtail the site and the site roots from the worker's copies where it keeps them for a
    request (Site.find_for_request, Page._get_site_root_paths). After the page cache's fetch: a
    page it serves costs nothing here. Not for the paths the page cache never keeps (admin,
    forms, health check…): they read the database as Wagtail does, and the health check answers
    without the shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(request.path.startswith(prefixe) for prefixe in settings.PAGE_CACHE_EXCLUDED_PATHS):
            return self.get_response(request)
        with cache_worker.pour_la_requete():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Other views (robots.txt, feeds…) look the site up when they need it, if they do.
        if cache_worker.actif() and _vue_wagtail(view_func):
            request._wagtail_site = cache_worker.site_de_la_requete(request)
            request._wagtail_cached_site_root_paths = cache_worker.racines_des_sites()


def _vue_wagtail(view_func):
    """Wagtail's page view, or a view of its API (the router keeps the view set's class on it)."""
    return view_func is wagtail_views.serve or issubclass(getattr(view_func, "cls", object), BaseAPIViewSet)
