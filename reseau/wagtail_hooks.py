"""The « Réseau » submenu of the admin, shown to network members and administrators only."""

from django.urls import reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail_modeladmin.options import modeladmin_register

from catalogue.admin_securite import AdministrateursSeulementPermissionHelper, ModelAdminSecurise
from reseau import acces
from reseau.models import Dossier
from reseau.urls import urlpatterns
from reseau.views.documents import peut_publier


@hooks.register("register_admin_urls")
def register_reseau_urls():
    return urlpatterns


class _MenuItem(MenuItem):
    """Shown only to those who may open the page (never a link to a refusal)."""

    def __init__(self, label, url_name, test=acces.peut_acceder, **kwargs):
        super().__init__(label, reverse_lazy(url_name), **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


class _SubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return acces.peut_acceder(request.user)


MENU_RESEAU = [
    ("Annuaire", "reseau_annuaire", "group"),
    ("Documents", "reseau_documents", "doc-full"),
    ("Discussions", "reseau_discussions", "comment"),
    ("Rapport d'usage", "reseau_rapport_usage", "table"),
]


@hooks.register("register_admin_menu_item")
def register_reseau_menu():
    menu = Menu(
        items=[
            _MenuItem(libelle, url_name, name=url_name.replace("_", "-"), icon_name=icone, order=100 * (rang + 1))
            for rang, (libelle, url_name, icone) in enumerate(MENU_RESEAU)
        ]
    )
    return _SubmenuMenuItem("Réseau", menu, name="reseau", icon_name="group", order=360)


@hooks.register("register_admin_menu_item")
def register_publication_menu():
    return _MenuItem(
        "Documents du réseau à publier",
        "reseau_publication",
        test=peut_publier,
        name="reseau-publication",
        icon_name="doc-full",
        order=420,
    )


class DossierAdmin(ModelAdminSecurise):
    """Folders of shared documents: administrators rename, sort and delete them (a folder that
    still holds documents is protected). Reached from « Documents partagés », not from the menu."""

    model = Dossier
    menu_label = "Dossiers partagés"
    menu_icon = "folder-open-inverse"
    add_to_admin_menu = False
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("nom", "thematique", "categorie", "ordre")
    list_filter = ("thematique",)
    search_fields = ("nom", "categorie")
    list_select_related = ("thematique",)


modeladmin_register(DossierAdmin)
