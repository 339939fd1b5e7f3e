"""List filters of the demandes list (Django admin's filter API, used by wagtail-modeladmin)."""

from django.conf import settings
from django.contrib.admin import RelatedFieldListFilter, SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from catalogue import roles
from catalogue.models import Direction, FichePage, Structure
from intake import permissions
from intake.depot.widgets import SelectRapide
from intake.models import Collectivite, Demande


def _identifiant(valeur):
    return bool(valeur) and valeur.isdigit()


class FiltreDeroulant(RelatedFieldListFilter):
    """A related-field filter shown as a drop-down list sent with the list's other criteria (as
    hidden fields), instead of one link per choice: 300 fiches made 300 links, each with its own
    query string, at every display of the list, and a column of links nobody could scan.

    `?<parametre>=<id>`, or `?<parametre>=aucun` for the demandes without one; the lookups
    Django's filter writes (`<champ>__<pk>__exact`, `<champ>__isnull`) stay accepted."""

    template = "intake/admin/filtre_deroulant.html"
    parametre = None
    # A parameter written before the drop-down list, with the same value as the filter's lookup.
    alias = None
    AUCUN = "aucun"
    libelle_tous = "Toutes"
    libelle_aucun = "Aucune"

    def __init__(self, field, request, params, model, model_admin, field_path):
        if self.alias in params:
            params.setdefault(f"{field_path}__{field.target_field.name}__exact", params.pop(self.alias))
        if self.parametre in params:
            valeurs = params.pop(self.parametre)
            valeur = valeurs[-1] if isinstance(valeurs, list) else valeurs
            if valeur == self.AUCUN:
                params.setdefault(f"{field_path}__isnull", ["True"])
            elif _identifiant(valeur):
                params.setdefault(f"{field_path}__{field.target_field.name}__exact", [valeur])
            elif valeur:
                # The list says so (IndexViewFiltree) instead of ignoring it in silence.
                raise IncorrectLookupParameters(valeur)
        super().__init__(field, request, params, model, model_admin, field_path)

    def choices(self, changelist):
        """The one « all » choice modeladmin's template expects; the list itself is `champ`."""
        propres = {self.parametre, self.alias, self.lookup_kwarg, self.lookup_kwarg_isnull}
        self.gardes = [
            (cle, valeur)
            for cle, valeurs in changelist.params.lists()
            if cle not in propres and cle != changelist.PAGE_VAR
            for valeur in valeurs
        ]
        yield {
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]),
            "display": self.libelle_tous,
        }

    def champ(self):
        """The <select> and the hidden fields of the other criteria."""
        options = [("", self.libelle_tous), *self.lookup_choices]
        if self.include_empty_choice:
            options.append((self.AUCUN, self.libelle_aucun))
        if self.lookup_val_isnull:
            choisie = self.AUCUN
        else:
            choisie = self.lookup_val[-1] if self.lookup_val else ""
        ident = f"filtre-{self.parametre}"
        liste = SelectRapide(choices=options).render(self.parametre, choisie, attrs={"id": ident})
        cachees = format_html_join("", '<input type="hidden" name="{}" value="{}">', self.gardes)
        return format_html(
            '{}<label for="{}" class="visually-hidden">{}</label>{}'
            '<button type="submit" class="button button-small button-secondary">Filtrer</button>',
            cachees,
            ident,
            self.title,
            liste,
        )


class FicheFilter(FiltreDeroulant):
    """The fiches as (id, title) pairs: the default filter would load every FichePage (300
    Wagtail pages with their parent rows) at each display of the list."""

    parametre = "fiche"
    libelle_aucun = "Demandes libres (sans fiche)"
    # `fiche__id__exact`: the page's primary key, as the filter's own `fiche__page_ptr__exact`.
    alias = "fiche__id__exact"

    def field_choices(self, field, request, model_admin):
        return list(FichePage.objects.order_by("title").values_list("pk", "title"))


class DirectionFilter(FiltreDeroulant):
    """The directions named as everywhere else (`Direction.__str__`), in the structures' order,
    read as values."""

    parametre = "direction"
    libelle_aucun = "Non orientées"

    def field_choices(self, field, request, model_admin):
        lignes = Direction.objects.order_by("structure__ordre", "structure__nom", "nom").values_list(
            "pk", "nom", "sigle", "structure__nom", "structure__sigle"
        )
        return [(pk, Direction.libelle(*valeurs)) for pk, *valeurs in lignes]


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
