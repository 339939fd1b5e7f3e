"""The benchmark's URLs: the site's, plus two constant views. Only routed by
config.settings.bench (ROOT_URLCONF), never in production.

- `/bench/sans-intergiciel/` is reached through bench.wsgi's handler without middleware;
- `/bench/vue-constante/` is the same view behind the site's whole middleware (page cache
  included), kept as information: it is *not* the ceiling (see bench/wsgi.py).
"""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import handler500  # noqa: F401 - the site's 503 when the database is away


def constante(request):
    """Constant answer."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/sans-intergiciel/", constante, name="bench_sans_intergiciel"),
    path("bench/vue-constante/", constante, name="bench_vue_constante"),
    path("bench/plafond/", constante, name="bench_plafond"),  # bench.wsgi answers it before Django
    path("", include("config.urls")),
]
