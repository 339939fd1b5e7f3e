"""Template helpers of the public catalogue."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from catalogue import recherche_texte

register = template.Library()

_MOT = re.compile(r"([^\W_]+)")


@register.filter
def surligner(texte, requete):
    """The text, escaped, with the words that match the query (same stem) in <mark>."""
    cibles = set(recherche_texte.racines(requete or ""))
    if not cibles:
        return texte
    morceaux = []
    for morceau in _MOT.split(str(texte)):
        echappe = conditional_escape(morceau)
        if morceau and _MOT.fullmatch(morceau) and set(recherche_texte.racines(morceau)) & cibles:
            echappe = mark_safe(f"<mark>{echappe}</mark>")
        morceaux.append(echappe)
    return mark_safe("".join(morceaux))
