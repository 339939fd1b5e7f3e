"""Per-IP rate limit on filings, counted in the shared cache (DESIGN.md §5: never the
per-process local-memory cache in production, so every worker sees the same counters)."""

import time

from django.conf import settings
from django.core.cache import cache

LIMITES_PAR_DEFAUT = {"formulaire": (10, 3600), "api": (30, 3600)}


def adresse_ip(request):
    # Behind the reverse proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy
    # configuration only when INTAKE_IP_DEPUIS_X_FORWARDED_FOR is enabled.
    if getattr(settings, "INTAKE_IP_DEPUIS_X_FORWARDED_FOR", False):
        transmise = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if transmise:
            return transmise.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "inconnue")


def depasse_limite(request, portee):
    """Count one attempt for this IP; True when the limit of the current window is exceeded."""
    limites = {**LIMITES_PAR_DEFAUT, **getattr(settings, "INTAKE_LIMITES_DEPOT", {})}
    nombre, fenetre = limites[portee]
    if not nombre:
        return False
    cle = f"intake:limite:{portee}:{adresse_ip(request)}:{int(time.time() // fenetre)}"
    cache.add(cle, 0, timeout=fenetre)
    try:
        compte = cache.incr(cle)
    except ValueError:
        cache.set(cle, 1, timeout=fenetre)
        compte = 1
    return compte > nombre
