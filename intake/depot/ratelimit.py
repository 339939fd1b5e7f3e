"""Per-IP rate limit on filings, counted in the shared cache (never the
per-process local-memory cache in production, so every worker sees the same counters)."""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

# "suivi": messages sent from one tracking link (counted per IP and link).


def _ip(valeur):
    try:
        return ipaddress.ip_address(valeur.strip())
    except ValueError:
        return None


def _est_proxy_de_confiance(adresse, reseaux):
    return adresse is not None and any(adresse in reseau for reseau in reseaux)


def adresse_client(request):
    """The visitor's IP address, the one used by the rate limits and the login lock-out.

    X-Forwarded-For is read only when the request comes from a proxy listed in
    TRUSTED_PROXIES: anyone else could write any address in it. The client is then the
    right-most address that is not itself a trusted proxy (the left part is whatever the
    client sent, the right part was appended by our proxies).
    """
    ip_distante = _ip(request.META.get("REMOTE_ADDR", "") or "")
    # A valid address or None: django-axes stores it in an address column (PostgreSQL's inet
    # refuses anything else).
    distante = str(ip_distante) if ip_distante is not None else None
    reseaux = [ipaddress.ip_network(valeur, strict=False) for valeur in settings.TRUSTED_PROXIES]
    if not _est_proxy_de_confiance(ip_distante, reseaux):
        return distante
    for valeur in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        adresse = _ip(valeur)
        if adresse is None:
            # Garbage in the chain: what lies left of it cannot be trusted either.
            break
        if not _est_proxy_de_confiance(adresse, reseaux):
            return str(adresse)
    return distante


def depasse_limite(request, portee, cle_supplementaire=""):
    """Count one attempt for this IP; True when the limit of the current window is exceeded."""
    limites = settings.INTAKE_LIMITES_DEPOT
    nombre, fenetre = limites[portee]
    if cle_supplementaire:  # e.g. one tracking link: counted for this IP and this link
        portee = f"{portee}:{cle_supplementaire}"
    if not nombre:
        return False
    cle = f"intake:limite:{portee}:{adresse_client(request) or 'inconnue'}:{int(time.time() // fenetre)}"
    cache.add(cle, 0, timeout=fenetre)
    try:
        compte = cache.incr(cle)
    except ValueError:
        cache.set(cle, 1, timeout=fenetre)
        compte = 1
    return compte > nombre
