"""The one helper that reads configuration from the environment."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def env(name, default=_MISSING, cast=str):
    """Return the variable `name`, converted with `cast` (str, int, bool or list).

    A variable without default that is missing, or a value that does not convert,
    raises ImproperlyConfigured so that a misconfigured server refuses to start.
    """
    raw = os.environ.get(name)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire.")
        return default
    try:
        if cast is bool:
            value = raw.strip().lower()
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
            raise ValueError(raw)
        if cast is list:
            return [item.strip() for item in raw.split(",") if item.strip()]
        return cast(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Valeur invalide pour {name} : {raw!r}") from exc


def reseaux(raw):
    """Cast for env(): comma-separated IP addresses or networks (CIDR), checked at startup."""
    valeurs = [item.strip() for item in raw.split(",") if item.strip()]
    for valeur in valeurs:
        ipaddress.ip_network(valeur, strict=False)
    return valeurs
