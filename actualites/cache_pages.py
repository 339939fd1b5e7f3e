"""What the editorial site shows of a page, for the anonymous page cache (catalogue/cache_pages.py):
feeds, iCalendar files, the sitemap, the plan du site, the links of actualités, événements
and ressources to fiches and partner pages, and the menu and footer of every page."""

from wagtail.models import Site

from actualites.models import ActualitePage, EvenementPage, ParametresSite, RessourcePage, StandardPage
from catalogue.cache_pages import TOUTES, chemin_de_page, url_nommee
from catalogue.models import FichePage, StructurePage


def _ids_des_liens(parametres):
    """Pages chosen in the menu or the footer (raw StreamField data: no page is loaded)."""
    ids = set()
    for champ in (parametres.navigation, parametres.liens_pied):
        for bloc in champ.raw_data:
            page = (bloc.get("value") or {}).get("page")
            if page:
                ids.add(int(page))
    return ids


def dependances_editoriales(page):
    # In the menu or the footer: its title and address are on every page.
    for parametres in ParametresSite.objects.only("navigation", "liens_pied"):
        if page.pk in _ids_des_liens(parametres):
            return {TOUTES}

    chemins = {url_nommee("sitemap")}
    # The plan du site lists two levels below a site's root (read from the sites themselves, not
    # from Wagtail's cached site root paths, which may name a site that no longer exists).
    profondeurs_racines = Site.objects.values_list("root_page__depth", flat=True)
    if any(page.depth <= profondeur + 2 for profondeur in profondeurs_racines):
        chemins |= {
            chemin_de_page(plan) for plan in StandardPage.objects.live().public().filter(afficher_plan_du_site=True)
        }
    if isinstance(page, ActualitePage):
        chemins |= {url_nommee("actualites_feed"), url_nommee("actualites_feed_atom")}
    if isinstance(page, EvenementPage):
        chemins |= {url_nommee("agenda_ical"), url_nommee("evenement_ical", page.pk)}
    if isinstance(page, FichePage):
        chemins |= {chemin_de_page(article) for article in ActualitePage.objects.live().filter(fiches=page)}
    if isinstance(page, StructurePage) and page.structure_id:
        for modele in (ActualitePage, EvenementPage, RessourcePage):
            chemins |= {chemin_de_page(lien) for lien in modele.objects.live().filter(structures=page.structure_id)}
    return chemins
