"""« Mes exports » in the Wagtail admin: the large exports of the demandes list a user asked
for, built in the background, downloadable by their owner only until they expire."""

from django.http import FileResponse, Http404
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from intake import permissions
from intake.donnees_personnelles.audit import enregistrer_export
from intake.models import Export
from intake.suivi.exports import CONTENT_TYPES


def _exports_de(user):
    return Export.objects.filter(user=user)


class MesExportsView(WagtailAdminTemplateMixin, View):
    template_name = "intake/exports/mes_exports.html"
    page_title = "Mes exports"
    header_icon = "download"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        if not permissions.peut_voir_liste(request.user):
            raise Http404
        maintenant = timezone.now()
        exports = [e for e in _exports_de(request.user) if e.expire_le > maintenant]
        return self.render_to_response(
            self.get_context_data(
                exports=exports,
                liste_url=reverse("intake_demande_modeladmin_index"),
                en_preparation=any(e.en_preparation for e in exports),
            )
        )


def telecharger_export(request, pk):
    """The file of a ready export, to its owner only: anyone else gets a 404, as for a missing one."""
    export = _exports_de(request.user).filter(pk=pk, statut=Export.Statut.PRET).first()
    if export is None or not export.fichier or export.expire_le <= timezone.now():
        raise Http404("Export introuvable.")
    try:
        fichier = export.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Export introuvable.") from None
    enregistrer_export(request.user, export.format, export.nombre, export.filtres)
    response = FileResponse(
        fichier, as_attachment=True, filename=export.nom_telechargement(), content_type=CONTENT_TYPES[export.format]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@hooks.register("register_admin_urls")
def register_exports_urls():
    return [
        path("intake/exports/", MesExportsView.as_view(), name="intake_mes_exports"),
        path("intake/exports/<int:pk>/telecharger/", telecharger_export, name="intake_telecharger_export"),
    ]


class _MesExportsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.peut_voir_liste(request.user)


@hooks.register("register_admin_menu_item")
def register_exports_menu():
    return _MesExportsMenuItem(
        "Mes exports", reverse_lazy("intake_mes_exports"), name="intake-mes-exports", icon_name="download", order=310
    )
