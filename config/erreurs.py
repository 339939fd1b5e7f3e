"""handler500 of the site: when the database cannot be reached (restart, failover, connection
limit) the answer is 503 with Retry-After, in French, instead of a bare 500; the API answers in
its JSON error format. Rendered without context or database, like Django's server_error."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDES = 30
MESSAGES = {
    503: ("indisponible", "Le service est momentanément indisponible : réessayez dans quelques instants."),
    500: ("erreur_serveur", "Une erreur est survenue de notre côté : réessayez dans quelques minutes."),
}


def base_indisponible(exc):
    return isinstance(exc, (OperationalError, InterfaceError))


@requires_csrf_token
def erreur_serveur(request):
    statut = 503 if base_indisponible(sys.exc_info()[1]) else 500
    if request.path.startswith("/api/"):
        code, message = MESSAGES[statut]
        response = JsonResponse(
            {"erreur": {"code": code, "message": message}}, status=statut, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(loader.get_template(f"{statut}.html").render(), status=statut)
    if statut == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDES)
    return response


class BaseIndisponibleFiltre(logging.Filter):
    """On the django.request logger: a 503 for an unreachable database is one warning line, not
    a traceback per request (a database restart under load would print hundreds of them)."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 503 and record.exc_info and base_indisponible(record.exc_info[1]):
            record.msg = f"{record.msg} (base de données injoignable : {type(record.exc_info[1]).__name__})"
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
