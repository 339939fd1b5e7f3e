"""Template helpers of the public catalogue."""

import html
import re

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from catalogue import recherche_texte

register = template.Library()

_MOT = re.compile(r"([^\W_]+)")


def _cibles(requete):
    return set(recherche_texte.racines(requete or ""))


def _surligner(texte, cibles):
    morceaux = []
    for morceau in _MOT.split(str(texte)):
        echappe = conditional_escape(morceau)
        if morceau and _MOT.fullmatch(morceau) and set(recherche_texte.racines(morceau)) & cibles:
            echappe = mark_safe(f"<mark>{echappe}</mark>")
        morceaux.append(echappe)
    return mark_safe("".join(morceaux))


@register.filter
def surligner(texte, requete):
    """The text, escaped, with the words that match the query (same stem) in <mark>."""
    cibles = _cibles(requete)
    if not cibles:
        return texte
    return _surligner(texte, cibles)


def _html(texte, cibles):
    """The text as the template wrote `{{ texte|surligner:requete }}`: escaped, words highlighted."""
    if cibles:
        return _surligner(texte, cibles)
    return texte if isinstance(texte, SafeData) else html.escape(str(texte))


@register.simple_tag
def cartes_fiches(fiches, requete=""):
    """The catalogue's cards (<li>) of a list of fiches (catalogue.recherche.CarteFiche), with the
    query's words highlighted. Written here rather than by a template per card: the catalogue
    shows a few hundred fiches, and the template's per-card work was most of the page's time.
    Escaped as the template escaped them (html.escape is what django.utils.html.escape calls)."""
    cibles = _cibles(requete)
    cartes = []
    for fiche in fiches:
        chef_de_file = f"{html.escape(str(fiche.sigle_chef_de_file))} · " if fiche.chef_de_file_id else ""
        cartes.append(
            '      <li class="carte carte-fiche">\n'
            f'        <h4><a href="{html.escape(str(fiche.url))}">{_html(fiche.title, cibles)}</a></h4>\n'
            f"        <p>{_html(truncatewords(fiche.chapo, 30), cibles)}</p>\n"
            f'        <p class="meta">{chef_de_file}{html.escape(str(fiche.get_nature_display()))}</p>\n'
            "      </li>"
        )
    return mark_safe("\n".join(cartes))  # noqa: S308 - every value escaped above
