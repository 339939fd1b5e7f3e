"""The « Gouvernance » menu of the admin: plan d'actions, instances, conventions, bilans.
Plain models go through the project's secured modeladmin base; read-only pages are views of
`pilotage.views` shown only to whoever may open them."""

from django.urls import path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from catalogue.admin_securite import AdministrateursSeulementPermissionHelper, ModelAdminSecurise
from pilotage import acces, views
from pilotage.models import Action, Axe, Convention


class AxeAdmin(ModelAdminSecurise):
    model = Axe
    menu_label = "Axes"
    menu_icon = "folder-open-1"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("ordre", "titre")
    search_fields = ("titre",)


class ActionAdmin(ModelAdminSecurise):
    model = Action
    menu_label = "Actions"
    menu_icon = "tasks"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("titre", "axe", "pilote", "echeance", "statut", "avancement")
    list_filter = ("axe", "statut")
    search_fields = ("titre", "description")
    list_select_related = ("axe", "pilote_direction__structure", "pilote_structure")


class ConventionAdmin(ModelAdminSecurise):
    model = Convention
    menu_label = "Conventions"
    menu_icon = "doc-full"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("intitule", "structure", "date_debut", "echeance_actuelle", "reconduction")
    list_filter = ("structure", "reconduction")
    search_fields = ("intitule", "signataires", "structure__nom", "structure__sigle")
    list_select_related = ("structure",)

    def echeance_actuelle(self, obj):
        return f"{obj.echeance():%d/%m/%Y}"

    echeance_actuelle.short_description = "Échéance"


class _MenuItem(MenuItem):
    """A menu entry shown only to the users who may open its page (never a link to a refusal)."""

    def __init__(self, label, url_name, test, **kwargs):
        super().__init__(label, reverse_lazy(url_name), **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


MENU_SUPPLEMENTAIRE = [
    ("Tableau de bord", "pilotage_tableau_de_bord", acces.peut_voir_tableau_de_bord, "list-ul", 10),
    ("Conventions des partenaires", "pilotage_conventions_partenaires", acces.peut_voir_conventions, "doc-full", 20),
]


@modeladmin_register
class GouvernanceGroup(ModelAdminGroup):
    menu_label = "Gouvernance"
    menu_icon = "list-ul"
    menu_order = 360
    items = (AxeAdmin, ActionAdmin, ConventionAdmin)

    def get_submenu_items(self):
        items = [
            _MenuItem(label, url_name, test, name=url_name.replace("_", "-"), icon_name=icone, order=ordre)
            for label, url_name, test, icone, ordre in MENU_SUPPLEMENTAIRE
        ]
        return items + super().get_submenu_items()


@hooks.register("register_admin_urls")
def register_pilotage_urls():
    return [
        path("pilotage/", views.TableauDeBordView.as_view(), name="pilotage_tableau_de_bord"),
        path("pilotage/conventions-des-partenaires/", views.ConventionsPartenairesView.as_view(),
             name="pilotage_conventions_partenaires"),
        path("pilotage/conventions/<int:pk>/document/", views.DocumentConventionView.as_view(),
             name="pilotage_convention_document"),
    ]
