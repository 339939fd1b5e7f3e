"""Catalogue endpoints of the Wagtail API v2: thématiques, structures, and fiche filters on pages."""

from django.conf import settings
from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page

from catalogue import cache_worker, recherche_texte
from catalogue.liens import racines_des_sites
from catalogue.models import FichePage, Structure, Thematique

PARAMETRES_CATALOGUE = ("thematique", "structure")


def _par_id_ou_identifiant(model, valeur, champs):
    """The object named by its id or one of its readable identifiers (slug, sigle)."""
    condition = Q()
    for champ in champs:
        condition |= Q(**{f"{champ}__iexact": valeur})
    if valeur.isdigit():
        condition |= Q(pk=int(valeur))
    return model.objects.filter(condition).first()


class CatalogueFilter(BaseFilterBackend):
    """?thematique=<id|slug> and ?structure=<id|sigle|slug> on fiches, combinable with ?search=.

    Only indexed fields (FilterField) may filter a searched queryset, so the structure
    filter resolves to fiche ids (a fiche belongs to the structures that lead or co-lead it).
    """

    def filter_queryset(self, request, queryset, view):
        demandes = {name: request.GET[name] for name in PARAMETRES_CATALOGUE if name in request.GET}
        if not demandes:
            return queryset
        if queryset.model is not FichePage:
            raise BadRequestError("les filtres thematique et structure demandent type=catalogue.FichePage")
        if "thematique" in demandes:
            thematique = _par_id_ou_identifiant(Thematique, demandes["thematique"], ["slug"])
            if thematique is None:
                raise BadRequestError(f"thématique inconnue : {demandes['thematique']}")
            queryset = queryset.filter(thematique=thematique)
        if "structure" in demandes:
            structure = _par_id_ou_identifiant(Structure, demandes["structure"], ["sigle", "slug"])
            if structure is None:
                raise BadRequestError(f"structure inconnue : {demandes['structure']}")
            ids = FichePage.objects.filter(
                Q(chef_de_file__structure=structure) | Q(co_chefs_de_file__structure=structure)
            ).values_list("pk", flat=True)
            queryset = queryset.filter(pk__in=list(ids))
        return queryset


def pages_publiques(request):
    """wagtail.api.querysets.get_public_pages_queryset(request), the view restrictions read from
    the worker's copies (catalogue.cache_worker): the live pages of the site asked for
    (?site=hostname[:port], else the request's), minus the private sections this request may
    not see."""
    pages = Page.objects.all().live()
    for restriction in cache_worker.restrictions():
        if not restriction.accept_request(request):
            pages = pages.not_descendant_of(restriction.page, inclusive=True)
    site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    if not site:
        return pages.none()
    publiques = pages.descendant_of(site.root_page, inclusive=True)
    if settings.WAGTAIL_I18N_ENABLED:
        for traduction in site.root_page.get_translations():
            publiques |= pages.descendant_of(traduction, inclusive=True)
    return publiques


class _Parametres:
    """A request seen by one of Wagtail's filters with other query parameters."""

    def __init__(self, GET):
        self.GET = GET


class CatalogueFieldsFilter(FieldsFilter):
    """Wagtail's field filter, minus our parameters (`?thematique=slug` is not a foreign key value)."""

    def filter_queryset(self, request, queryset, view):
        GET = {key: value for key, value in request.GET.items() if key not in PARAMETRES_CATALOGUE}
        return super().filter_queryset(_Parametres(GET), queryset, view)


class CatalogueSearchFilter(SearchFilter):
    """Fiches are searched as on the site: the query in plain French (accents, plurals, synonyms)."""

    def filter_queryset(self, request, queryset, view):
        if queryset.model is FichePage and request.GET.get("search"):
            GET = {**request.GET.dict(), "search": recherche_texte.normaliser(request.GET["search"])}
            request = _Parametres(GET)
        return super().filter_queryset(request, queryset, view)


class CataloguePagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [CatalogueFieldsFilter, CatalogueFilter] + [
        CatalogueSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
        if backend is not FieldsFilter
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(PARAMETRES_CATALOGUE)

    def get_base_queryset(self):
        # Wagtail asks for it three times a request (the listing, the serializer's model, its
        # context), each time reading every view restriction: once is enough.
        if not hasattr(self, "_pages_publiques"):
            try:
                self._pages_publiques = pages_publiques(self.request)
            except ValueError as exc:
                raise BadRequestError(str(exc)) from exc
        return self._pages_publiques

    def _champ_demande(self, nom):
        """Whether the response may show this field: always in detail, in a listing only if
        `fields` names it or asks for all (`*`)."""
        if self.action != "listing_view":
            return True
        champs = self.request.GET.get("fields", "")
        return "*" in champs or nom in champs

    def get_queryset(self):
        # The fiche's directions (chef de file, co-chefs, associated) with their structure, in a
        # fixed number of queries for any page of results; the lists only when they are shown.
        queryset = super().get_queryset()
        if queryset.model is FichePage:
            queryset = queryset.select_related("thematique", "chef_de_file__structure")
            listes = [nom for nom in ("co_chefs_de_file", "directions_associees") if self._champ_demande(nom)]
            if listes:
                queryset = queryset.prefetch_related(*[f"{nom}__structure" for nom in listes])
        return queryset

    def paginate_queryset(self, queryset):
        # Each page's html_url asks for the site roots (Page.full_url has no request to keep them
        # on): read once for the request and given to every page of the listing.
        pages = super().paginate_queryset(queryset)
        if pages is None:
            return None
        pages = list(pages)
        racines = racines_des_sites(self.request)
        for page in pages:
            page._wagtail_cached_site_root_paths = racines
        return pages


class ThematiquesAPIViewSet(BaseAPIViewSet):
    model = Thematique
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    body_fields = BaseAPIViewSet.body_fields + ["nom", "slug", "description", "ordre", "icone"]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + ["nom", "slug"]
    name = "thematiques"

    def get_queryset(self):
        return Thematique.objects.order_by("ordre", "nom")


class StructuresAPIViewSet(BaseAPIViewSet):
    model = Structure
    filter_backends = [FieldsFilter, OrderingFilter]
    body_fields = BaseAPIViewSet.body_fields + [
        "nom",
        "sigle",
        "slug",
        "adresse",
        "code_postal",
        "ville",
        "telephone",
        "courriel",
        "site_web",
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + ["nom", "sigle", "slug"]
    name = "structures"

    def get_queryset(self):
        return Structure.objects.order_by("ordre", "nom")
