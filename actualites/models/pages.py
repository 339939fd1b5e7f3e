"""The home page and the standard pages (mentions légales, données personnelles, accessibilité…)."""

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from actualites import services
from actualites.blocks import CorpsBlock
from actualites.models.agenda import EvenementPage, a_venir
from actualites.models.articles import ActualitePage
from catalogue import cache_worker
from catalogue.models import CatalogueIndexPage
from catalogue.visibilite import RestrictionsEnMemoireMixin, pages_privees, publiques

# The fields the home page's cards show (includes/carte_actualite.html, carte_evenement.html;
# url_path for their URL): reading only these saves the bodies and a good part of each query.
# A field added to a card must be added here, or each card reads it with one more query.
CHAMPS_CARTE_ACTUALITE = ("title", "url_path", "date_publication", "genre", "chapo", "image")
CHAMPS_CARTE_EVENEMENT = ("title", "url_path", "date_debut", "type_evenement", "lieu")


def dernieres_actualites(nombre=3, prive=None):
    actualites = publiques(ActualitePage.objects.live(), prive).only(*CHAMPS_CARTE_ACTUALITE)
    return actualites.select_related("image").order_by("-date_publication", "-pk")[:nombre]


def prochains_evenements(nombre=3, prive=None):
    """The next events, as cards show them (without their thématiques and structures)."""
    evenements = publiques(EvenementPage.objects.live(), prive).only(*CHAMPS_CARTE_EVENEMENT)
    return a_venir(evenements)[:nombre]


class HomePage(RestrictionsEnMemoireMixin, Page):
    """The platform's home page, root of the public site."""

    introduction = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])
    presentation = RichTextField(
        "présentation de la plateforme",
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Ce qu'est la plateforme, pour qui, comment elle fonctionne.",
    )
    nombre_actualites = models.PositiveSmallIntegerField("nombre d'actualités affichées", default=3)
    nombre_evenements = models.PositiveSmallIntegerField("nombre d'événements affichés", default=3)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("presentation"),
        FieldPanel("nombre_actualites"),
        FieldPanel("nombre_evenements"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("presentation")]
    api_fields = [APIField("introduction"), APIField("presentation"), APIField("chiffres_cles")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def route(self, request, path_components):
        """Wagtail's walk, except that the child is found among the worker's copies of this
        page's children (cache_worker.enfant) and, on the way to a fiche or a partner page, the
        catalogue's index is not read for its own fields (its route reads only the tree's): no
        query before the catalogue's own on every catalogue page."""
        if not path_components:
            return super().route(request, path_components)
        enfant = cache_worker.enfant(self, path_components[0])
        if enfant is None:
            raise Http404
        enfant._cached_parent_obj = self
        if len(path_components) > 1 and enfant.specific_class is CatalogueIndexPage:
            return enfant.specific_deferred.route(request, path_components[1:])
        return enfant.specific.route(request, path_components[1:])

    @property
    def chiffres_cles(self):
        return services.chiffres_cles()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The view restrictions are read once for the three lists of pages, and the partners
        # once for their logos and their count.
        prive = pages_privees()
        partenaires = services.partenaires(request)
        context.update(
            chiffres=services.chiffres_cles(prive=prive, partenaires=partenaires),
            thematiques=services.thematiques_accueil(),
            actualites=dernieres_actualites(self.nombre_actualites, prive=prive),
            evenements=prochains_evenements(self.nombre_evenements, prive=prive),
            partenaires=partenaires,
        )
        return context


class StandardPage(RestrictionsEnMemoireMixin, Page):
    """A page of plain content: mentions légales, données personnelles, accessibilité, plan du site."""

    chapo = models.TextField("chapô", blank=True, max_length=600)
    corps = StreamField(CorpsBlock(), verbose_name="corps", blank=True)
    afficher_plan_du_site = models.BooleanField(
        "afficher le plan du site",
        default=False,
        help_text="Ajoute sous le corps la liste de toutes les pages publiques.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("chapo"),
        FieldPanel("corps"),
        FieldPanel("afficher_plan_du_site"),
    ]
    search_fields = Page.search_fields + [index.SearchField("chapo"), index.SearchField("corps")]
    api_fields = [APIField("chapo"), APIField("corps")]
    parent_page_types = ["actualites.HomePage", "actualites.StandardPage"]
    subpage_types = ["actualites.StandardPage"]

    class Meta:
        verbose_name = "page standard"
        verbose_name_plural = "pages standard"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.afficher_plan_du_site:
            context["plan"] = services.plan_du_site(request)
        return context
