"""Dates written the French way in letters, e-mails and public pages: « 1er décembre 2026 ».

Django's `date:"j F Y"` writes « 1 décembre 2026 »; French typography wants the ordinal
« 1er » for the first day of the month only. The names are written here rather than taken
from the active locale, so a letter never depends on the language of the request.
"""

import datetime

from django.utils import timezone

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _local(d):
    if isinstance(d, datetime.datetime) and timezone.is_aware(d):
        return timezone.localtime(d)
    return d


def jour_fr(d):
    """« 1er » on the first of the month, the plain number otherwise."""
    return "1er" if d.day == 1 else str(d.day)


def heure_fr(d):
    """« 9h05 », « 14h » (the hour as public pages already write it)."""
    d = _local(d)
    return f"{d.hour}h{d.minute:02d}" if d.minute else f"{d.hour}h"


def date_fr(d, avec_annee=True, avec_jour_semaine=False, avec_heure=False):
    """« 1er décembre 2026 », « 2 décembre », « mardi 1er décembre 2026 à 9h30 ».

    Accepts a date or a datetime (an aware datetime is shown in local time); None gives "".
    """
    if d is None or d == "":
        return ""
    d = _local(d)
    texte = f"{jour_fr(d)} {MOIS[d.month - 1]}"
    if avec_annee:
        texte += f" {d.year}"
    if avec_jour_semaine:
        texte = f"{JOURS[d.weekday()]} {texte}"
    if avec_heure and isinstance(d, datetime.datetime):
        texte += f" à {heure_fr(d)}"
    return texte


def mois_fr(d):
    """« décembre 2026 »."""
    d = _local(d)
    return f"{MOIS[d.month - 1]} {d.year}"
