"""The benchmark's WSGI application (gunicorn `bench.wsgi:application`, config.settings.bench only).

Two ceilings answered before any Django middleware, so that the ratio of a page to the ceiling
says what the page costs, not what the middleware and the page cache cost:

- `/bench/plafond/`: a constant body written by this module, without entering Django at all —
  what the same gunicorn (same workers) can serve on this machine;
- `/bench/sans-intergiciel/`: a constant Django view through Django's handler with an empty
  middleware list (URL resolution, request and response objects only).

Every other path goes to the site's application (config.wsgi) unchanged. Never in production.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

from django.core.handlers.exception import convert_exception_to_response  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from config.wsgi import application as site  # noqa: E402 - calls django.setup()

CHEMIN_PLAFOND = "/bench/plafond/"
CHEMIN_SANS_INTERGICIEL = "/bench/sans-intergiciel/"
CORPS = b"ok"
ENTETES = [("Content-Type", "text/plain"), ("Content-Length", str(len(CORPS)))]


class SansIntergiciel(WSGIHandler):
    """Django's WSGI handler with no middleware at all (the URLconf still routes the request)."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


sans_intergiciel = SansIntergiciel()


def application(environ, start_response):
    chemin = environ.get("PATH_INFO", "")
    if chemin == CHEMIN_PLAFOND:
        start_response("200 OK", ENTETES)
        return [CORPS]
    if chemin == CHEMIN_SANS_INTERGICIEL:
        return sans_intergiciel(environ, start_response)
    return site(environ, start_response)
