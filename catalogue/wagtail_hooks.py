"""The org chart in the Wagtail admin (administrators only) and the thématiques snippet."""

from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from catalogue import admin_revue, revue
from catalogue.admin_securite import AdministrateursSeulementPermissionHelper, ModelAdminSecurise
from catalogue.models import CatalogueIndexPage, Direction, Membre, Structure, Thematique
from catalogue.recherche import contexte_catalogue


class StructureAdmin(ModelAdminSecurise):
    model = Structure
    menu_label = "Structures"
    menu_icon = "site"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("nom", "sigle", "ville", "courriel")
    search_fields = ("nom", "sigle")


class DirectionAdmin(ModelAdminSecurise):
    model = Direction
    menu_label = "Directions"
    menu_icon = "group"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("nom", "sigle", "structure", "email_notification", "active")
    list_filter = ("structure", "active")
    search_fields = ("nom", "sigle", "structure__nom")
    list_select_related = ("structure",)


class MembreAdmin(ModelAdminSecurise):
    model = Membre
    menu_label = "Membres"
    menu_icon = "user"
    permission_helper_class = AdministrateursSeulementPermissionHelper
    list_display = ("user", "role", "direction", "fonction")
    list_filter = ("role", "direction__structure")
    search_fields = ("user__last_name", "user__first_name", "user__email", "direction__nom")
    list_select_related = ("user", "direction__structure")


@modeladmin_register
class OrganisationGroup(ModelAdminGroup):
    menu_label = "Organisation"
    menu_icon = "group"
    menu_order = 250
    items = (StructureAdmin, DirectionAdmin, MembreAdmin)


class ThematiqueViewSet(SnippetViewSet):
    model = Thematique
    icon = "tag"
    menu_label = "Thématiques"
    list_display = ["nom", "ordre"]
    search_fields = ["nom"]


register_snippet(ThematiqueViewSet)


@hooks.register("register_admin_urls")
def register_revue_urls():
    return admin_revue.urlpatterns


@hooks.register("register_reports_menu_item")
def register_revue_menu_item():
    return admin_revue.menu_item()


@hooks.register("register_log_actions")
def register_catalogue_log_actions(actions):
    actions.register_action(
        revue.ACTION_VALIDEE,
        "Validation sans modification",
        "Fiche validée sans modification pour le millésime en cours",
    )


# Innermost link of Wagtail's serving chain (order 100): its view-restriction check, an
# on_serve_page hook of order 0, runs first.
@hooks.register("on_serve_page", order=100)
def servir_le_catalogue(suivant):
    """The catalogue index answers with its search (catalogue.recherche.contexte_catalogue)."""

    def servir(page, request, serve_args, serve_kwargs):
        if not isinstance(page, CatalogueIndexPage):
            return suivant(page, request, serve_args, serve_kwargs)
        return page.redirection_criteres_vides(request) or TemplateResponse(
            request,
            page.get_template(request, *serve_args, **serve_kwargs),
            contexte_catalogue(page, request, *serve_args, **serve_kwargs),
        )

    return servir
