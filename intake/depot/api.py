"""JSON intake API, POST /api/v2/demandes/: same fields and validation as the form
(intake.depot.forms.DemandeForm), same filing function, structured French errors, Idempotency-Key."""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from intake.depot import ratelimit
from intake.depot.forms import CHAMPS_DEPOT, DemandeForm
from intake.depot.services import deposer_demande
from intake.liens import lien_suivi
from intake.models import Demande

# Large enough for a too-long message to get its field error (400), small enough to refuse abuse.
TAILLE_MAX_CORPS = 512 * 1024
CHAMPS = CHAMPS_DEPOT


def _erreur(status, message, code, champs=None):
    corps = {"erreur": {"code": code, "message": message}}
    if champs:
        corps["erreur"]["champs"] = champs
    return JsonResponse(corps, status=status, json_dumps_params={"ensure_ascii": False})


def _cors(response, request=None):
    origines = settings.INTAKE_API_ORIGINES
    origine = request.headers.get("Origin", "") if request else ""
    if origine and origine in origines:
        response["Access-Control-Allow-Origin"] = origine
        response["Access-Control-Allow-Headers"] = "Content-Type, Idempotency-Key"
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Vary"] = "Origin"
    return response


def _donnees_formulaire(payload):
    data = {}
    for champ in CHAMPS:
        valeur = payload.get(champ)
        if valeur is None or isinstance(valeur, (dict, list)):
            continue
        if champ == "consentement":
            data[champ] = "on" if valeur is True else ""
        else:
            data[champ] = str(valeur)
    return data


@csrf_exempt
def depot_demande(request):
    """Create a demande. 201 {numero, lien_suivi}; 400 with field errors; 429 when rate-limited.
    The same Idempotency-Key returns the demande already created instead of a second one."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), request)
    if request.method != "POST":
        response = _erreur(405, "Seule la méthode POST est acceptée.", "methode_non_autorisee")
        response["Allow"] = "POST, OPTIONS"
        return response
    if ratelimit.depasse_limite(request, "api"):
        return _erreur(429, "Trop de demandes envoyées depuis cette adresse : réessayez plus tard.", "limite_atteinte")
    if not request.content_type or request.content_type != "application/json":
        return _erreur(
            415, "Le corps de la requête doit être du JSON (Content-Type: application/json).", "type_contenu"
        )
    if len(request.body) > TAILLE_MAX_CORPS:
        return _erreur(413, "La requête est trop volumineuse.", "trop_volumineux")
    try:
        # utf-8-sig: a byte-order mark (some Windows tools write one) is not an error.
        payload = json.loads(request.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return _erreur(400, "Le corps de la requête n'est pas un JSON valide.", "json_invalide")
    except RecursionError:
        return _erreur(400, "Le corps de la requête est un JSON trop profondément imbriqué.", "json_invalide")
    if not isinstance(payload, dict):
        return _erreur(400, "Le corps de la requête doit être un objet JSON.", "json_invalide")
    cle = request.headers.get("Idempotency-Key", "").strip()
    if len(cle) > 150:
        return _erreur(400, "L'en-tête Idempotency-Key ne doit pas dépasser 150 caractères.", "idempotency_key")
    inconnus = sorted(set(payload) - set(CHAMPS))
    # Every field is a single value: a list or an object is refused, never turned into text.
    composites = [champ for champ in CHAMPS if isinstance(payload.get(champ), (dict, list))]
    form = DemandeForm(_donnees_formulaire(payload))
    if inconnus or composites or not form.is_valid():
        champs = (
            {name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()}
            if form.is_bound
            else {}
        )
        for name in inconnus:
            champs[name] = ["Champ inconnu."]
        for name in composites:
            champs[name] = ["Une valeur simple est attendue (texte, nombre ou booléen), pas une liste ni un objet."]
        return _cors(
            JsonResponse(
                {"erreur": {"code": "validation", "message": "La demande contient des erreurs.", "champs": champs}},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            ),
            request,
        )
    demande = deposer_demande(
        source=Demande.Source.API, idempotency_key=f"api:{cle}" if cle else None, **form.service_kwargs()
    )
    response = JsonResponse(
        {"numero": demande.numero, "lien_suivi": lien_suivi(demande), "statut": demande.get_statut_display()},
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )
    if not getattr(demande, "_cree_maintenant", False):
        # A retry of a request already processed: same answer, nothing created.
        response["Idempotent-Replayed"] = "true"
    return _cors(response, request)
