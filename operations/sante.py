"""/sante/: the load balancer's health check, and what an operator looks at first."""

import logging
import time
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations.taches import etat_des_taches

logger = logging.getLogger("plateforme.sante")


def _base_de_donnees():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True}
    except Exception as exc:  # any driver error means "unreachable" to the load balancer
        logger.error("sante base=injoignable erreur=%s", type(exc).__name__)
        return {"ok": False, "erreur": type(exc).__name__}


def _cache():
    cle, valeur = "sante:" + uuid.uuid4().hex, str(time.time())
    try:
        cache.set(cle, valeur, 10)
        ok = cache.get(cle) == valeur
        cache.delete(cle)
        return {"ok": ok}
    except Exception as exc:
        return {"ok": False, "erreur": type(exc).__name__}


def _file_des_courriels(maintenant):
    try:
        notification = apps.get_model("intake", "Notification")
    except LookupError:
        return {"ok": True, "en_attente": 0, "plus_ancien_minutes": None}
    try:
        en_attente = notification.objects.filter(sent_at__isnull=True)
        total = en_attente.count()
        plus_ancien = en_attente.order_by("created_at").values_list("created_at", flat=True).first()
    except Exception as exc:
        return {"ok": False, "erreur": type(exc).__name__}
    age = round((maintenant - plus_ancien).total_seconds() / 60, 1) if plus_ancien else None
    return {
        "ok": age is None or age <= settings.SANTE_OUTBOX_AGE_MAX_MINUTES,
        "en_attente": total,
        "plus_ancien_minutes": age,
    }


def _envoi_des_courriels(maintenant):
    """Is `envoyer_notifications` alive? Its last completed pass (the heartbeat) must be recent.
    Before its first pass ever (fresh install), it is only late once an email has waited longer
    than the same delay: an empty install is healthy, a never-started sender is not."""
    limite = settings.SANTE_ENVOI_AGE_MAX_MINUTES
    try:
        execution = apps.get_model("operations", "ExecutionTache")
        derniere = (
            execution.objects.filter(tache="envoyer_notifications", succes=True, fin__isnull=False)
            .order_by("-fin")
            .values_list("fin", flat=True)
            .first()
        )
        if derniere is None:
            attente = (
                apps.get_model("intake", "Notification")
                .objects.filter(sent_at__isnull=True, created_at__lt=maintenant - timedelta(minutes=limite))
                .exists()
            )
            return {"ok": not attente, "derniere_passe": None, "minutes": None}
    except Exception as exc:
        return {"ok": False, "erreur": type(exc).__name__}
    age = round((maintenant - derniere).total_seconds() / 60, 1)
    return {"ok": age <= limite, "derniere_passe": derniere.isoformat(), "minutes": age}


def _taches(maintenant):
    try:
        return {
            ligne["tache"].commande: {
                "derniere_reussite": ligne["derniere_reussite"].debut.isoformat()
                if ligne["derniere_reussite"]
                else None,
                "en_retard": ligne["en_retard"],
            }
            for ligne in etat_des_taches(maintenant)
        }
    except Exception as exc:
        return {"erreur": type(exc).__name__}


@never_cache
@require_GET
def sante(request):
    """200 when the instance can serve, the outbox moves and its sender is alive; 503 otherwise."""
    maintenant = timezone.now()
    base = _base_de_donnees()
    controles = {"base_de_donnees": base, "cache": _cache()}
    if base["ok"]:
        controles["courriels"] = _file_des_courriels(maintenant)
        controles["envoi_courriels"] = _envoi_des_courriels(maintenant)
        controles["taches"] = _taches(maintenant)
    ok = all(c.get("ok", True) for c in controles.values() if isinstance(c, dict) and "ok" in c)
    return JsonResponse(
        {"statut": "ok" if ok else "degrade", "date": maintenant.isoformat(), "controles": controles},
        status=200 if ok else 503,
        json_dumps_params={"ensure_ascii": False},
    )
