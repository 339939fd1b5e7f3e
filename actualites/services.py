"""Read-only views on the catalogue and the demandes that the editorial pages show."""

import datetime

from django.db.models import F
from django.utils import timezone
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page, Site

from catalogue import cache_worker
from catalogue.liens import urls_des_pages
from catalogue.models import FichePage, Structure, Thematique
from catalogue.visibilite import publiques
from intake.models import Demande

# The partners' logos on the home page (actualites/home_page.html).
FORMAT_LOGO = "max-200x100"


def debut_annee(maintenant=None):
    maintenant = timezone.localtime(maintenant or timezone.now())
    return timezone.make_aware(datetime.datetime(maintenant.year, 1, 1))


def chiffres_cles(prive=None, partenaires=None):
    """The home page's key figures, computed: published fiches, partners, demandes filed this year.
    `prive`: the private sections already read (catalogue.visibilite.pages_privees);
    `partenaires`: every structure, when the caller has read them already (the home page).
    The number of fiches is kept by the worker (catalogue.cache_worker: a publication or a view
    restriction gives a new tree token); the demandes are counted at each request."""
    return {
        "fiches": cache_worker.memoriser(
            "fiches_publiques", lambda: publiques(FichePage.objects.live(), prive).count()
        ),
        "partenaires": len(partenaires) if partenaires is not None else Structure.objects.count(),
        "demandes_annee": Demande.objects.filter(created_at__gte=debut_annee()).count(),
        "annee": timezone.localdate().year,
    }


def thematiques_accueil():
    """Kept by the worker (a thématique saved changes the page cache's generation): read-only."""
    return cache_worker.memoriser("thematiques", lambda: list(Thematique.objects.order_by("ordre", "nom")))


def partenaires(request=None):
    """Partner structures with their logo and, when their partner page is live, its URL
    (`url_page`, as `{% pageurl %}` writes it; `page_live` false otherwise) and the logo's image
    tag (`logo_html`, as `{% image logo max-200x100 alt=nom %}` writes it). The page's address
    and state are read with the structure: no partner page is built.

    Kept by the worker for the request's site (catalogue.cache_worker: a structure or its logo
    saved changes the page cache's generation, a partner page the tree's token), shared by its
    requests: read-only."""
    site = Site.find_for_request(request)
    return cache_worker.memoriser(("partenaires", site.pk if site else None), lambda: _partenaires(request))


def _partenaires(request):
    structures = list(
        Structure.objects.select_related("logo")
        .annotate(page_url_path=F("page__url_path"), page_live=F("page__live"))
        .order_by("ordre", "nom")
    )
    urls = urls_des_pages([structure.page_url_path for structure in structures if structure.page_live], request)
    for structure in structures:
        structure.url_page = urls[structure.page_url_path] if structure.page_live else None
        structure.logo_html = (
            get_rendition_or_not_found(structure.logo, FORMAT_LOGO).img_tag({"alt": structure.nom})
            if structure.logo
            else ""
        )
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
