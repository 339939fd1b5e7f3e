"""Public views of the intake: the filing form (served by DemandePage), confirmation,
private tracking page, collectivités autocomplete, and the permission-checked attachments."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from catalogue.enums import TypeCollectivite
from catalogue.models import Membre
from intake import ratelimit
from intake.audit import enregistrer_acces
from intake.forms import DepotPublicForm, fiches_ouvertes
from intake.models import AccesDemande, Collectivite, Demande, DemandePage, PieceJointe
from intake.permissions import peut_voir_detail
from intake.services import deposer_demande

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
    return page.serve(request)


def _fiches_par_thematique(form):
    """Fiche options grouped by thématique (<optgroup>): usable without JavaScript."""
    groupes = {}
    lignes = form.fields["fiche"].queryset.values_list("pk", "title", "thematique_id", "thematique__nom")
    for pk, titre, thematique_id, thematique_nom in lignes:
        groupes.setdefault((thematique_nom or "Autres", thematique_id), []).append({"pk": pk, "title": titre})
    return [{"nom": nom, "thematique_id": pk, "fiches": fiches} for (nom, pk), fiches in sorted(groupes.items(), key=lambda g: g[0][0])]


def confirmation(request):
    pk = request.session.get(SESSION_DERNIERE_DEMANDE)
    demande = Demande.objects.filter(pk=pk).select_related("fiche").first() if pk else None
    if demande is None:
        return redirect("intake_depot")
    page = DemandePage.objects.live().first()
    response = render(request, "intake/depot_confirmation.html", {"demande": demande, "page_demande": page})
    add_never_cache_headers(response)
    return response


def _referent(demande):
    if not demande.expert_referent_id:
        return None
    user = demande.expert_referent
    membres = Membre.objects.filter(user=user).select_related("direction__structure").order_by("pk")
    membre = membres.filter(direction_id=demande.direction_id).first() or membres.first()
    return {
        "nom": user.get_full_name() or user.get_username(),
        "structure": membre.direction.structure.nom if membre else "",
    }


def _chronologie(demande):
    """Status changes only, from the history (no journal, no reasons, no authors)."""
    etapes, precedent = [], None
    for ligne in demande.history.order_by("history_date", "history_id").only("statut", "history_date"):
        if ligne.statut != precedent:
            etapes.append({"date": ligne.history_date, "statut": Demande.Statut(ligne.statut).label})
            precedent = ligne.statut
    return etapes


def suivi(request, jeton):
    demande = get_object_or_404(
        Demande.objects.select_related("fiche", "direction__structure", "expert_referent", "collectivite"), jeton_suivi=jeton
    )
    response = render(
        request,
        "intake/suivi_demande.html",
        {"demande": demande, "referent": _referent(demande), "chronologie": _chronologie(demande)},
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


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


def piece_jointe(request, pk):
    """The one route of attachments: served to those who may see the demande's detail; anyone
    else gets the same 404 as for a missing file, so an outsider learns nothing."""
    if not request.user.is_authenticated:
        # Before any look-up: the login redirect must not depend on the file existing.
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    piece = PieceJointe.objects.select_related("demande").filter(pk=pk).first()
    if piece is None or not peut_voir_detail(request.user, piece.demande):
        raise Http404("Pièce jointe introuvable.")
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Pièce jointe introuvable.") from None
    enregistrer_acces(request.user, piece.demande, nature=AccesDemande.Nature.PIECE_JOINTE, objet=piece.nom_original)
    response = FileResponse(fichier, as_attachment=True, filename=piece.nom_original, content_type=piece.type_mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
