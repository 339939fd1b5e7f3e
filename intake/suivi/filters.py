"""List filters of the demandes list (Django admin's filter API, used by wagtail-modeladmin)."""

from django.conf import settings
from django.contrib.admin import RelatedFieldListFilter, SimpleListFilter
from django.db.models import Max, Min, Q
from django.utils import timezone

from catalogue import roles
from catalogue.models import FichePage, Structure
from intake import permissions
from intake.models import Collectivite, Demande


def _identifiant(valeur):
    return bool(valeur) and valeur.isdigit()


class FicheFilter(RelatedFieldListFilter):
    """The fiches as (id, title) pairs: the default filter would load every FichePage (300
    Wagtail pages with their parent rows) at each display of the list."""

    # The filter's own parameter is `fiche__page_ptr__exact` (the page's primary key);
    # `fiche__id__exact`, the same value, stays accepted for the links written with it.
    ALIAS = "fiche__id__exact"

    def __init__(self, field, request, params, model, model_admin, field_path):
        if self.ALIAS in params:
            valeur = params.pop(self.ALIAS)
            params.setdefault(f"{field_path}__{field.target_field.name}__exact", valeur)
        super().__init__(field, request, params, model, model_admin, field_path)

    def field_choices(self, field, request, model_admin):
        return list(FichePage.objects.order_by("title").values_list("pk", "title"))


class EnRetardFilter(SimpleListFilter):
    title = "échéance"
    parameter_name = "retard"

    def lookups(self, request, model_admin):
        return [("oui", "En retard"), ("non", "Dans les délais ou contactée")]

    def queryset(self, request, queryset):
        # On the list's own rows (no subquery over every demande): open and `critere_retard`.
        en_retard = ~Q(statut__in=Demande.STATUTS_CLOS) & Q(**Demande.critere_retard())
        if self.value() == "oui":
            return queryset.filter(en_retard)
        if self.value() == "non":
            return queryset.exclude(en_retard)
        return queryset


class MesDemandesFilter(SimpleListFilter):
    title = "mes demandes"
    parameter_name = "mes"

    def lookups(self, request, model_admin):
        choix = [("suivies", "Demandes que je suis")]
        if roles.directions_ids(request.user):
            choix.append(("direction", "Demandes de ma direction"))
        return choix

    def queryset(self, request, queryset):
        user = request.user
        if self.value() == "suivies":
            return queryset.suivies_par(user)
        if self.value() == "direction":
            ids = roles.directions_ids(user)
            return queryset.filter(Q(direction_id__in=ids) | permissions.condition_directions_associees(ids))
        return queryset


class StructureFilter(SimpleListFilter):
    title = "structure"
    parameter_name = "structure"

    def lookups(self, request, model_admin):
        return [(str(s.pk), s.sigle) for s in Structure.objects.order_by("ordre", "nom")]

    def queryset(self, request, queryset):
        # A hand-typed value that is not an id filters nothing instead of failing.
        if _identifiant(self.value()):
            return queryset.filter(direction__structure_id=self.value())
        return queryset


class EpciFilter(SimpleListFilter):
    title = "EPCI"
    parameter_name = "epci"

    def lookups(self, request, model_admin):
        epcis = Collectivite.objects.epci().filter(departement=settings.PLATEFORME["DEPARTEMENT_CODE"]).order_by("nom")
        return [(str(e.pk), e.nom) for e in epcis]

    def queryset(self, request, queryset):
        if _identifiant(self.value()):
            return queryset.filter(Q(collectivite_id=self.value()) | Q(collectivite__epci_id=self.value()))
        return queryset


class AnneeFilter(SimpleListFilter):
    title = "année"
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        # First and last filing dates come from the created_at index; a DISTINCT over the
        # years would read every demande at each display of the list.
        bornes = Demande.objects.aggregate(premiere=Min("created_at"), derniere=Max("created_at"))
        if bornes["premiere"] is None:
            return []
        debut = timezone.localtime(bornes["premiere"]).year
        fin = timezone.localtime(bornes["derniere"]).year
        return [(str(annee), str(annee)) for annee in range(fin, debut - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(created_at__year=int(self.value()))
        return queryset
