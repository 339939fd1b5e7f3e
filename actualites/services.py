"""Read-only views on the catalogue and the demandes that the editorial pages show."""

import datetime

from django.utils import timezone
from wagtail.models import Page, Site

from catalogue.models import FichePage, Structure, Thematique
from intake.models import Demande


def debut_annee(maintenant=None):
    maintenant = timezone.localtime(maintenant or timezone.now())
    return timezone.make_aware(datetime.datetime(maintenant.year, 1, 1))


def chiffres_cles():
    """The home page's key figures, computed: published fiches, partners, demandes filed this year."""
    return {
        "fiches": FichePage.objects.live().public().count(),
        "partenaires": Structure.objects.count(),
        "demandes_annee": Demande.objects.filter(created_at__gte=debut_annee()).count(),
        "annee": timezone.localdate().year,
    }


def thematiques_accueil():
    return Thematique.objects.order_by("ordre", "nom")


def dernieres_actualites(nombre=3):
    from actualites.models import ActualitePage

    return ActualitePage.objects.live().public().select_related("image").order_by("-date_publication", "-pk")[:nombre]


def prochains_evenements(nombre=3):
    from actualites.models.agenda import a_venir, evenements_publics

    return a_venir(evenements_publics())[:nombre]


def partenaires():
    """Partner structures with their logo and the URL of their public page, if published."""
    return Structure.objects.select_related("logo", "page").order_by("ordre", "nom")


def plan_du_site(request, profondeur=2):
    """Public live pages of the current site down to `profondeur` levels, as a nested list."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    racine = site.root_page
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(racine, inclusive=True)
        .filter(depth__lte=racine.depth + profondeur)
        .order_by("path")
    )
    return _arbre(pages)


def _arbre(pages):
    racines, pile = [], []
    for page in pages:
        noeud = {"page": page, "enfants": []}
        while pile and not page.path.startswith(pile[-1]["page"].path):
            pile.pop()
        (pile[-1]["enfants"] if pile else racines).append(noeud)
        pile.append(noeud)
    return racines
