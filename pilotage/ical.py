"""A meeting as an iCalendar event (RFC 5545), attached to the invitation e-mail so that the
meeting lands in the members' agendas."""

import datetime
from urllib.parse import urlparse

from django.conf import settings


def _texte(valeur):
    return (
        (valeur or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _date(valeur):
    return valeur.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _plier(ligne):
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    morceaux, courant = [], ""
    for caractere in ligne:
        if len((courant + caractere).encode("utf-8")) > (75 if not morceaux else 74):
            morceaux.append(courant)
            courant = ""
        courant += caractere
    morceaux.append(courant)
    return "\r\n ".join(morceaux)


def evenement(reunion, maintenant=None):
    hote = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "plateforme"
    maintenant = maintenant or datetime.datetime.now(datetime.timezone.utc)
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_texte(settings.PLATEFORME['NOM'])}//Pilotage//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:reunion-{reunion.pk}@{hote}",
        f"DTSTAMP:{_date(maintenant)}",
        f"DTSTART:{_date(reunion.debut)}",
        f"DTEND:{_date(reunion.fin_prevue())}",
        f"SUMMARY:{_texte(reunion.instance_gouvernance.nom)}",
        f"LOCATION:{_texte(reunion.lieu)}",
        f"DESCRIPTION:{_texte(reunion.ordre_du_jour)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_plier(ligne) for ligne in lignes) + "\r\n").encode("utf-8")
