"""The « Gouvernance » menu of the admin: plan d'actions, instances, conventions, bilans.
Plain models go through the project's secured modeladmin base; read-only pages are views of
`pilotage.views` shown only to whoever may open them."""

from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from catalogue.admin_securite import AdministrateursSeulementPermissionHelper, ModelAdminSecurise
from pilotage import acces, views
from pilotage.models import Action, Axe, Bilan, Convention, Instance, Reunion


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


class InstanceAdmin(ModelAdminSecurise):
    model = Instance
    menu_label = "Gérer les instances"
    menu_icon = "group"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("nom", "type", "active")
    list_filter = ("type", "active")
    search_fields = ("nom",)


class ReunionAdmin(ModelAdminSecurise):
    model = Reunion
    menu_label = "Réunions"
    menu_icon = "date"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("debut", "instance_gouvernance", "lieu", "a_un_compte_rendu")
    list_filter = ("instance_gouvernance",)
    search_fields = ("instance_gouvernance__nom", "lieu", "ordre_du_jour")
    list_select_related = ("instance_gouvernance",)


class BilanPermissionHelper(PermissionHelper):
    """Éditeurs and administrators write the bilans; only administrators delete them."""

    def user_can_list(self, user):
        return acces.peut_rediger_bilan(user)

    def user_can_create(self, user):
        return acces.peut_rediger_bilan(user)

    def user_can_inspect_obj(self, user, obj):
        return False

    def user_can_view_history_obj(self, user, obj):
        return acces.peut_rediger_bilan(user)

    def user_can_edit_obj(self, user, obj):
        return acces.peut_rediger_bilan(user)

    def user_can_delete_obj(self, user, obj):
        return acces.peut_gerer(user) and not obj.publie


class BilanAdmin(ModelAdminSecurise):
    model = Bilan
    menu_label = "Bilans annuels"
    menu_icon = "doc-full"
    permission_helper_class = BilanPermissionHelper
    list_display = ("annee", "ouvrir", "publie", "publie_le")

    def ouvrir(self, obj):
        return format_html('<a href="{}">Ouvrir le bilan {}</a>', reverse("pilotage_bilan", args=[obj.pk]), obj.annee)

    ouvrir.short_description = "Bilan"


class _MenuItem(MenuItem):
    """A menu entry shown only to the users who may open its page (never a link to a refusal)."""

    def __init__(self, label, url_name, test, **kwargs):
        super().__init__(label, reverse_lazy(url_name), **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


MENU_SUPPLEMENTAIRE = [
    ("Tableau de bord", "pilotage_tableau_de_bord", acces.peut_voir_tableau_de_bord, "list-ul", 10),
    ("Instances", "pilotage_instances", acces.peut_voir_instances, "group", 15),
    ("Conventions des partenaires", "pilotage_conventions_partenaires", acces.peut_voir_conventions, "doc-full", 20),
]


@modeladmin_register
class GouvernanceGroup(ModelAdminGroup):
    menu_label = "Gouvernance"
    menu_icon = "list-ul"
    menu_order = 360
    items = (AxeAdmin, ActionAdmin, InstanceAdmin, ReunionAdmin, ConventionAdmin, BilanAdmin)

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
        path(
            "pilotage/conventions-des-partenaires/",
            views.ConventionsPartenairesView.as_view(),
            name="pilotage_conventions_partenaires",
        ),
        path("pilotage/instances/", views.InstancesView.as_view(), name="pilotage_instances"),
        path("pilotage/reunions/<int:pk>/", views.ReunionView.as_view(), name="pilotage_reunion"),
        path(
            "pilotage/reunions/<int:pk>/compte-rendu/",
            views.CompteRenduFichierView.as_view(),
            name="pilotage_reunion_compte_rendu",
        ),
        path("pilotage/reunions/<int:pk>/inviter/", views.InviterView.as_view(), name="pilotage_reunion_inviter"),
        path("pilotage/bilans/<int:pk>/", views.BilanView.as_view(), name="pilotage_bilan"),
        path("pilotage/bilans/<int:pk>/pdf/", views.BilanPdfView.as_view(), name="pilotage_bilan_pdf"),
        path("pilotage/bilans/<int:pk>/publier/", views.PublierBilanView.as_view(), name="pilotage_bilan_publier"),
        path(
            "pilotage/bilans/<int:pk>/retirer/",
            views.PublierBilanView.as_view(retirer=True),
            name="pilotage_bilan_retirer",
        ),
        path(
            "pilotage/conventions/<int:pk>/document/",
            views.DocumentConventionView.as_view(),
            name="pilotage_convention_document",
        ),
    ]
