"""Read-only views on the catalogue and the demandes that the editorial pages show."""

import datetime

from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, Site

from catalogue.liens import urls_des_pages
from catalogue.models import FichePage, Structure, Thematique
from catalogue.visibilite import publiques
from intake.models import Demande


def debut_annee(maintenant=None):
    maintenant = timezone.localtime(maintenant or timezone.now())
    return timezone.make_aware(datetime.datetime(maintenant.year, 1, 1))


def chiffres_cles(prive=None, partenaires=None):
    """The home page's key figures, computed: published fiches, partners, demandes filed this year.
    `prive`: the private sections already read (catalogue.visibilite.pages_privees);
    `partenaires`: every structure, when the caller has read them already (the home page)."""
    return {
        "fiches": publiques(FichePage.objects.live(), prive).count(),
        "partenaires": len(partenaires) if partenaires is not None else Structure.objects.count(),
        "demandes_annee": Demande.objects.filter(created_at__gte=debut_annee()).count(),
        "annee": timezone.localdate().year,
    }


def thematiques_accueil():
    return Thematique.objects.order_by("ordre", "nom")


def partenaires(request=None):
    """Partner structures with their logo and, when their partner page is live, its URL
    (`url_page`, as `{% pageurl %}` writes it; `page_live` false otherwise). The page's address
    and state are read with the structure: no partner page is built."""
    structures = list(
        Structure.objects.select_related("logo")
        .annotate(page_url_path=F("page__url_path"), page_live=F("page__live"))
        .order_by("ordre", "nom")
    )
    urls = urls_des_pages([structure.page_url_path for structure in structures if structure.page_live], request)
    for structure in structures:
        structure.url_page = urls[structure.page_url_path] if structure.page_live else None
    return structures


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
