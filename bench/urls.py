"""The benchmark's URLs: the site's, plus a constant-response view that measures the
ceiling of this stack (gunicorn + Django middleware) on this machine. Only routed by
config.settings.bench (ROOT_URLCONF), never in production."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import handler500  # noqa: F401 - the site's 503 when the database is away


def plafond(request):
    """Constant answer: what Django can serve at best here, with the same middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/plafond/", plafond, name="bench_plafond"),
    path("", include("config.urls")),
]
