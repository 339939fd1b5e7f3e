"""Admin report "Fiches à revoir" and its one-click "Valider sans modification" action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem

from catalogue import roles
from catalogue.models import FichePage, ReglagesCatalogue
from catalogue.revue import fiches_a_revoir, peut_valider, valider_sans_modification


def peut_voir_revue(user):
    return roles.is_administrateur(user) or roles.is_editeur(user)


def fiches_a_revoir_view(request):
    if not peut_voir_revue(request.user):
        raise PermissionDenied
    millesime = ReglagesCatalogue.millesime_en_cours()
    groupes = fiches_a_revoir(millesime)
    lignes = [
        (structure, [(fiche, peut_valider(request.user, fiche)) for fiche in fiches]) for structure, fiches in groupes
    ]
    return TemplateResponse(
        request,
        "catalogue/admin/fiches_a_revoir.html",
        {
            "page_title": "Fiches à revoir",
            "page_subtitle": f"millésime {millesime}",
            "header_icon": "date",
            "millesime": millesime,
            "groupes": lignes,
            "total": sum(len(fiches) for _, fiches in groupes),
        },
    )


@require_POST
def valider_view(request, pk):
    if not peut_voir_revue(request.user):
        raise PermissionDenied
    fiche = get_object_or_404(FichePage, pk=pk)
    try:
        valider_sans_modification(fiche, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"« {fiche.title} » est validée pour {ReglagesCatalogue.millesime_en_cours()}.")
    return redirect("catalogue_fiches_a_revoir")


urlpatterns = [
    path("catalogue/fiches-a-revoir/", fiches_a_revoir_view, name="catalogue_fiches_a_revoir"),
    path("catalogue/fiches-a-revoir/<int:pk>/valider/", valider_view, name="catalogue_valider_fiche"),
]


class FichesARevoirMenuItem(MenuItem):
    def is_shown(self, request):
        return peut_voir_revue(request.user)


def menu_item():
    return FichesARevoirMenuItem("Fiches à revoir", reverse("catalogue_fiches_a_revoir"), icon_name="date", order=700)
