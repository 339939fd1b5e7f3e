"""Scheduled jobs seen by administrators: what runs, when it last succeeded, what is late."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue import roles
from operations.taches import etat_des_taches


class TachesPlanifieesView(WagtailAdminTemplateMixin, View):
    template_name = "operations/taches_planifiees.html"
    page_title = "Tâches planifiées"
    header_icon = "time"

    def dispatch(self, request, *args, **kwargs):
        if not roles.is_administrateur(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        return self.render_to_response(self.get_context_data(taches=etat_des_taches()))


@hooks.register("register_admin_urls")
def register_exploitation_urls():
    return [path("exploitation/taches/", TachesPlanifieesView.as_view(), name="operations_taches_planifiees")]


class _AdministrateursMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_administrateur(request.user)


@hooks.register("register_settings_menu_item")
def register_taches_menu_item():
    return _AdministrateursMenuItem(
        "Tâches planifiées",
        reverse_lazy("operations_taches_planifiees"),
        name="operations-taches",
        icon_name="time",
        order=950,
    )
