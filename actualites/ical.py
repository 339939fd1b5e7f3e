"""iCalendar (RFC 5545) export of the agenda, written by hand: a few lines need no dependency."""

import datetime

from django.utils import timezone


def _echapper(texte):
    return (
        (texte or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _plier(ligne):
    """Fold lines longer than 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    morceaux, courant = [], ""
    for caractere in ligne:
        limite = 75 if not morceaux else 74
        if len((courant + caractere).encode("utf-8")) > limite:
            morceaux.append(courant)
            courant = caractere
        else:
            courant += caractere
    morceaux.append(courant)
    return "\r\n ".join(morceaux)


def _date_utc(valeur):
    return valeur.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def calendrier(evenements, request, nom):
    """The agenda's events as a VCALENDAR text."""
    hote = request.get_host().split(":")[0]
    maintenant = _date_utc(timezone.now())
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_echapper(nom)}//Agenda//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_echapper(nom)}",
    ]
    for evenement in evenements:
        lieu = ", ".join(part for part in [evenement.lieu, evenement.adresse] if part)
        description = evenement.chapo
        if evenement.lien_inscription:
            description += f"\nInscription : {evenement.lien_inscription}"
        lignes += [
            "BEGIN:VEVENT",
            f"UID:evenement-{evenement.pk}@{hote}",
            f"DTSTAMP:{maintenant}",
            f"DTSTART:{_date_utc(evenement.date_debut)}",
            f"DTEND:{_date_utc(evenement.fin)}",
            f"SUMMARY:{_echapper(evenement.title)}",
            f"DESCRIPTION:{_echapper(description)}",
            f"LOCATION:{_echapper(lieu)}",
            f"URL:{evenement.get_full_url(request)}",
            f"CATEGORIES:{_echapper(evenement.get_type_evenement_display())}",
            "END:VEVENT",
        ]
    lignes.append("END:VCALENDAR")
    return "\r\n".join(_plier(ligne) for ligne in lignes) + "\r\n"
