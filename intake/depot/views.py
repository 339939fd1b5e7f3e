"""Public views of the filing: the form (served for DemandePage), its confirmation and printable
recap, and the collectivités autocomplete."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from catalogue.enums import TypeCollectivite
from intake.depot import ratelimit
from intake.depot.forms import DepotPublicForm, fiches_ouvertes
from intake.depot.services import deposer_demande
from intake.models import Collectivite, Demande, DemandePage

SESSION_DERNIERE_DEMANDE = "intake_derniere_demande"


def _fiche_demandee(request):
    valeur = request.GET.get("fiche", "")
    if not valeur.isdigit():
        return None
    return fiches_ouvertes().filter(pk=int(valeur)).first()


def servir_formulaire_depot(request, page):
    """GET shows the form (`?fiche=<id>` preselects a fiche); POST files and redirects."""
    if request.method == "POST":
        if ratelimit.depasse_limite(request, "formulaire"):
            response = render(request, "intake/depot_trop_de_demandes.html", {"page": page}, status=429)
            add_never_cache_headers(response)
            return response
        form = DepotPublicForm(request.POST, request.FILES)
        if form.is_valid():
            demande = deposer_demande(
                source=Demande.Source.FORMULAIRE,
                pieces_jointes=form.cleaned_data["pieces_jointes"],
                idempotency_key=form.idempotency_key,
                **form.service_kwargs(),
            )
            request.session[SESSION_DERNIERE_DEMANDE] = demande.pk
            return redirect("intake_depot_confirmation")
        status = 400
    else:
        initial = {}
        fiche = _fiche_demandee(request)
        if fiche is not None:
            initial = {"fiche": fiche.pk, "thematique": fiche.thematique_id}
        form = DepotPublicForm(initial=initial)
        status = 200
    response = TemplateResponse(
        request,
        "intake/depot_formulaire.html",
        {"page": page, "self": page, "form": form, "fiches_par_thematique": _fiches_par_thematique(form)},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def formulaire_depot(request):
    """/demande/ by URL name (`intake_depot`), so that the catalogue links to the form with
    `{% url 'intake_depot' %}?fiche=<id>` without importing the intake."""
    page = DemandePage.objects.live().first()
    if page is None:
        raise Http404("Le formulaire de demande n'est pas publié.")
    return servir_formulaire_depot(request, page)


def _fiches_par_thematique(form):
    """Fiche options grouped by thématique (<optgroup>): usable without JavaScript."""
    groupes = {}
    lignes = form.fields["fiche"].queryset.values_list("pk", "title", "thematique_id", "thematique__nom")
    for pk, titre, thematique_id, thematique_nom in lignes:
        groupes.setdefault((thematique_nom or "Autres", thematique_id), []).append({"pk": pk, "title": titre})
    return [
        {"nom": nom, "thematique_id": pk, "fiches": fiches}
        for (nom, pk), fiches in sorted(groupes.items(), key=lambda g: g[0][0])
    ]


def _demande_de_la_session(request):
    """The demande this browser session just filed (set by the form): nobody else's, ever."""
    pk = request.session.get(SESSION_DERNIERE_DEMANDE)
    if not isinstance(pk, int):
        return None
    return Demande.objects.filter(pk=pk).select_related("fiche", "collectivite").first()


def _page_recapitulatif(request, template, demande, **contexte):
    response = render(
        request,
        template,
        {
            "demande": demande,
            "pieces_jointes": list(demande.pieces_jointes.filter(entree__isnull=True)),
            **contexte,
        },
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def confirmation(request):
    demande = _demande_de_la_session(request)
    if demande is None:
        return redirect("intake_depot")
    return _page_recapitulatif(
        request, "intake/depot_confirmation.html", demande, page_demande=DemandePage.objects.live().first()
    )


def recapitulatif(request):
    """Printable recap of the demande just filed (the print button's target without JavaScript)."""
    demande = _demande_de_la_session(request)
    if demande is None:
        return redirect("intake_depot")
    return _page_recapitulatif(request, "intake/depot_recapitulatif.html", demande)


@require_GET
def collectivites(request):
    """Autocomplete: up to 20 collectivités whose name contains `q` (`type` narrows)."""
    q = request.GET.get("q", "").strip()[:60]
    queryset = Collectivite.objects.filter(active=True)
    type_ = request.GET.get("type", "")
    if type_ in TypeCollectivite.values and type_ in [TypeCollectivite.COMMUNE, *TypeCollectivite.epci()]:
        queryset = queryset.filter(type=type_)
    elif request.GET.get("communes") == "1":
        queryset = queryset.communes()
    if len(q) < 2:
        return JsonResponse({"resultats": []})
    debut = list(queryset.filter(nom__istartswith=q)[:20])
    if len(debut) < 20:
        debut += list(queryset.filter(nom__icontains=q).exclude(nom__istartswith=q)[: 20 - len(debut)])
    return JsonResponse(
        {"resultats": [{"code": c.code, "nom": c.nom, "libelle": str(c), "type": c.type} for c in debut]}
    )
