"""Template filters for French dates: {% load dates_fr %} then {{ d|date_fr }} → « 1er décembre 2026 ».

Options, comma-separated: {{ d|date_fr:"heure" }} « 1er décembre 2026 à 9h30 »,
{{ d|date_fr:"jour" }} « mardi 1er décembre 2026 », {{ d|date_fr:"sans_annee" }} « 1er décembre ».
"""

from django import template

from catalogue import dates

register = template.Library()

OPTIONS = {"heure", "jour", "sans_annee"}


@register.filter(expects_localtime=True)
def date_fr(valeur, options=""):
    choisies = {option.strip() for option in str(options or "").split(",") if option.strip()}
    inconnues = choisies - OPTIONS
    if inconnues:
        raise template.TemplateSyntaxError(f"date_fr : option inconnue {', '.join(sorted(inconnues))}")
    try:
        return dates.date_fr(
            valeur,
            avec_annee="sans_annee" not in choisies,
            avec_jour_semaine="jour" in choisies,
            avec_heure="heure" in choisies,
        )
    except (AttributeError, TypeError, ValueError):
        return ""


@register.filter(expects_localtime=True)
def mois_fr(valeur):
    try:
        return dates.mois_fr(valeur)
    except (AttributeError, TypeError, ValueError):
        return ""


@register.filter(expects_localtime=True)
def heure_fr(valeur):
    try:
        return dates.heure_fr(valeur)
    except (AttributeError, TypeError, ValueError):
        return ""


@register.filter(expects_localtime=True)
def jour_fr(valeur):
    """« 1er » or the day's number (the big day of an agenda card)."""
    try:
        return dates.jour_fr(valeur)
    except (AttributeError, TypeError, ValueError):
        return ""
