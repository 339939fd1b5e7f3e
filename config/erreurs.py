"""handler500 of the site: when the database cannot be reached (restart, failover, connection
limit) the answer is 503 with Retry-After, in French, instead of a bare 500; the API answers in
its JSON error format. Rendered without context or database, like Django's server_error."""

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
        response = JsonResponse({"erreur": {"code": code, "message": message}}, status=statut,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.get_template(f"{statut}.html").render(), status=statut)
    if statut == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDES)
    return response
