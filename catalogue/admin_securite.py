"""Safe defaults for every wagtail-modeladmin registration of the project.

wagtail-modeladmin applies any query parameter left over by the declared filters as an ORM
lookup (`?demandeur_email__startswith=a`, `?acces__user__password__gte=…`): a filter oracle
on fields the list never shows. Its history view only checks that the user is logged in.
`ModelAdminSecurise` closes both: the list reads only its declared filters, search, page and
ordering; history, inspect, edit and delete obey the permission helper's rule on the object.
Lives in `catalogue` so that both `catalogue` and `intake` (which imports it) can use it.
"""

from django.contrib import messages
from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView, IndexView

from catalogue import roles

try:
    from django.contrib.admin.utils import lookup_spawns_duplicates
except ImportError:  # pragma: no cover - Django < 4.0
    from django.contrib.admin.utils import lookup_needs_distinct as lookup_spawns_duplicates

MESSAGE_FILTRE_INVALIDE = "Ce filtre n'est pas valable : la liste complète est affichée."


class IndexViewFiltree(IndexView):
    """A modeladmin list where only the declared `list_filter`, the search (`q`), the page
    (`p`), the ordering on declared columns (`o`) and, when `list_export` is declared, the
    export reach the queryset. Any other parameter is ignored, so it gives the same rows
    as no parameter at all."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            # A declared filter with a value of the wrong type (`?direction__id__exact=abc`).
            messages.error(request, MESSAGE_FILTRE_INVALIDE)
            return redirect(self.index_url)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not self.list_export:
            # No export declared for this model: `?export=` is an unknown parameter like another.
            return super(IndexView, self).dispatch(self.request)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_filters(self, request):
        """IndexView.get_filters, except that what no declared filter consumed is dropped
        instead of being applied as a lookup (the root of the filter oracle)."""
        lookup_params = self.get_filters_params()
        use_distinct = False
        filter_specs = []
        for list_filter in self.list_filter or ():
            if callable(list_filter):
                spec = list_filter(request, lookup_params, self.model, self.model_admin)
            else:
                field_path = None
                if isinstance(list_filter, (tuple, list)):
                    field, field_list_filter_class = list_filter
                else:
                    field, field_list_filter_class = list_filter, FieldListFilter.create
                if not isinstance(field, models.Field):
                    field_path = field
                    field = get_fields_from_path(self.model, field_path)[-1]
                spec = field_list_filter_class(
                    field, request, lookup_params, self.model, self.model_admin, field_path=field_path
                )
                use_distinct = use_distinct or lookup_spawns_duplicates(self.opts, field_path)
            if spec and spec.has_output():
                filter_specs.append(spec)
        # Each filter popped its own parameters from lookup_params: the rest is unknown.
        self.params = self._params_declares(set(lookup_params))
        return filter_specs, bool(filter_specs), {}, use_distinct

    def _params_declares(self, inconnus):
        """The query parameters the list keeps in its links (filters, pagination, ordering)."""
        params = self.params.copy()
        for key in inconnus:
            params.pop(key, None)
        params.pop(self.ORDER_TYPE_VAR, None)
        if self.ORDER_VAR in params:
            colonnes = self._colonnes_triables()
            valides = [
                p
                for p in params[self.ORDER_VAR].split(".")
                if p.lstrip("-").isdigit() and int(p.lstrip("-")) in colonnes
            ]
            if valides:
                params[self.ORDER_VAR] = ".".join(valides)
            else:
                params.pop(self.ORDER_VAR)
        return params

    def _colonnes_triables(self):
        colonnes = set()
        for index, field_name in enumerate(self.list_display):
            try:
                if self.get_ordering_field(field_name):
                    colonnes.add(index)
            except AttributeError:
                continue
        return colonnes


class HistoryViewControlee(HistoryView):
    """The modeladmin history of an object: only for whoever may see the object's detail
    (`user_can_view_history_obj` when the permission helper has it, else the inspect rule)."""

    def check_action_permitted(self, user):
        helper = self.permission_helper
        regle = getattr(helper, "user_can_view_history_obj", helper.user_can_inspect_obj)
        return regle(user, self.instance)


class ModelAdminSecurise(ModelAdmin):
    """Base of every ModelAdmin of the project: filtered list, guarded history, and a 404
    (not a 500) for an object address that is not a valid key (`/edit/abc/`)."""

    index_view_class = IndexViewFiltree
    history_view_class = HistoryViewControlee

    def _verifier_cle(self, instance_pk):
        try:
            self.model._meta.pk.to_python(unquote(instance_pk))
        except ValidationError:
            raise Http404 from None

    def inspect_view(self, request, instance_pk):
        self._verifier_cle(instance_pk)
        return super().inspect_view(request, instance_pk)

    def edit_view(self, request, instance_pk):
        self._verifier_cle(instance_pk)
        return super().edit_view(request, instance_pk)

    def delete_view(self, request, instance_pk):
        self._verifier_cle(instance_pk)
        return super().delete_view(request, instance_pk)

    def history_view(self, request, instance_pk):
        self._verifier_cle(instance_pk)
        return super().history_view(request, instance_pk)


class AdministrateursSeulementPermissionHelper(PermissionHelper):
    """Administrators only, for every action; the inspect view only when it is enabled
    (otherwise the list would link to a URL that does not exist)."""

    def _administrateur(self, user):
        return roles.is_administrateur(user)

    def user_can_list(self, user):
        return self._administrateur(user)

    def user_can_create(self, user):
        return self._administrateur(user)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self._administrateur(user)

    def user_can_view_history_obj(self, user, obj):
        return self._administrateur(user)

    def user_can_edit_obj(self, user, obj):
        return self._administrateur(user)

    def user_can_delete_obj(self, user, obj):
        return self._administrateur(user)


def refuser_sans_reveler(view_class):
    """A view class that answers 404 instead of a refusal: for objects whose very existence
    is personal (a demande), an outsider guessing URLs learns nothing."""

    class Vue(view_class):
        def dispatch(self, request, *args, **kwargs):
            try:
                return super().dispatch(request, *args, **kwargs)
            except PermissionDenied:
                raise Http404 from None

    Vue.__name__ = Vue.__qualname__ = f"{view_class.__name__}SansRevelation"
    return Vue
