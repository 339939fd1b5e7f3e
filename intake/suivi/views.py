"""Back-office views of one demande: detail, status actions, assignment, routing, first contact,
journal and attachments. Views stay thin: every change is a Demande method (row lock, role
check, history row); every visibility question goes to intake.permissions."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalogue import roles
from catalogue.models import FichePage
from intake import permissions
from intake.models import ActionRefusee, ConflitModification, Demande, EntreeJournal, Satisfaction, TransitionInvalide
from intake.notifications import avis, mentions
from intake.notifications.depot import envoyer_accuse_reception
from intake.suivi import circuit, forms, journal
from intake.suivi.historique import chronologie, historique

S = Demande.Statut
TEMPLATE_DETAIL = "intake/admin/demande_inspect.html"


def libelle_action(demande, statut):
    if demande.est_close:
        return "Rouvrir la demande"
    if statut == S.ATTRIBUE_ADMIN and demande.statut == S.REJETE:
        return "Reprendre la demande pour l'orienter"  # the administrator's own act, not a send-back
    return {
        S.RECEPTIONNE_ADMIN: "Confirmer la réception",
        S.RECEPTIONNE_CHEF_DE_FILE: "Confirmer la réception",
        S.RECEPTIONNE_EXPERT: "Confirmer la réception",
        S.ATTRIBUE_EXPERT: "Attribuer à l'expert référent",
        S.ATTRIBUE_ADMIN: "Renvoyer à l'administrateur",
        S.EN_COURS: "Passer « En cours »",
        S.TERMINE: "Marquer comme terminée",
        S.REJETE: "Rejeter",
        S.ABANDONNE: "Abandonner",
    }.get(statut, S(statut).label)


def url_detail(demande):
    return reverse("intake_demande_modeladmin_inspect", args=[demande.pk])


def suggestions(demande, limite=5):
    """Published fiches ranked by how well they match the message (the project's search backend)."""
    try:
        return list(FichePage.objects.live().search(demande.message, operator="or")[:limite])
    except Exception:  # a search backend hiccup must not break the detail page
        return []


def charger_demande(pk):
    return get_object_or_404(
        Demande.objects.select_related(
            "fiche",
            "thematique",
            "collectivite__epci",
            "lieu",
            "direction__structure",
            "chef_de_file",
            "expert_referent",
        ).prefetch_related("directions_associees__structure", "experts_associes"),
        pk=pk,
    )


def contexte_detail(request, demande, **formulaires):
    """Everything the detail page shows to this user; `formulaires` keeps bound forms after an error."""
    user = request.user
    roles_demande = demande.roles_de(user)
    est_admin = "admin" in roles_demande
    actions = []
    for statut in demande.transitions_possibles(user):
        if statut == S.ATTRIBUE_EXPERT:
            continue  # designating the référent goes through the assignment form
        bound = formulaires.get("transition")
        garde = bound if bound is not None and bound.data.get("statut") == statut else None
        actions.append(
            {
                "statut": statut,
                "libelle": libelle_action(demande, statut),
                "motif_obligatoire": demande.motif_obligatoire(statut),
                "form": garde or forms.TransitionForm(initial={"statut": statut, "version": demande.version}),
                "danger": statut in (S.REJETE, S.ABANDONNE),
            }
        )
    peut_orienter = est_admin and demande.statut in Demande.STATUTS_ADMIN
    peut_affecter = permissions.peut_affecter(request.user, demande)
    peut_contact = bool(roles_demande) and demande.premier_contact_le is None and not demande.est_close
    evenements = historique(demande)
    entrees = list(demande.journal.select_related("auteur", "structure_auteur").prefetch_related("pieces_jointes"))
    return {
        "demande": demande,
        "titre": f"Demande n°{demande.numero}",
        "index_url": reverse("intake_demande_modeladmin_index"),
        "actions": actions,
        "peut_orienter": peut_orienter,
        "orientation_form": formulaires.get("orientation")
        or forms.OrientationForm(initial={"version": demande.version}),
        "suggestions": suggestions(demande) if peut_orienter else [],
        "peut_affecter": peut_affecter,
        "affectation_form": formulaires.get("affectation")
        or forms.AffectationForm(demande=demande, initial={"version": demande.version}),
        "peut_contact": peut_contact,
        "contact_form": formulaires.get("contact") or forms.PremierContactForm(initial={"version": demande.version}),
        "peut_journal": permissions.peut_agir(user, demande),
        "journal_form": formulaires.get("journal") or forms.JournalForm(demande=demande),
        "pieces_jointes": [pj for pj in demande.pieces_jointes.all() if pj.entree_id is None],
        "entrees": entrees,
        "historique": list(reversed(evenements)),
        "chronologie": chronologie(demande, evenements, entrees),
        "peut_corriger": permissions.peut_corriger(user, demande),
        "correction_form": formulaires.get("correction")
        or forms.CorrectionForm(demande=demande, initial={"version": demande.version}),
        # The commune's answer to the satisfaction survey, for those who may see the detail.
        "satisfaction": Satisfaction.objects.filter(demande=demande).first(),
        "erreur": formulaires.get("erreur"),
        "saisie": _saisie(formulaires.get("transition")) if formulaires.get("erreur") else "",
    }


def _saisie(form):
    """The reason typed in a status form, shown again after an error so it is never lost."""
    return (form.data.get("motif") or "").strip() if form is not None else ""


def render_detail(request, demande, status=200, **formulaires):
    return TemplateResponse(request, TEMPLATE_DETAIL, contexte_detail(request, demande, **formulaires), status=status)


def _demande_visible(request, pk):
    demande = charger_demande(pk)
    if not permissions.peut_voir_detail(request.user, demande):
        raise Http404  # an outsider learns nothing, not even that the demande exists
    return demande


def _executer(request, demande, form_key, form, action):
    """Run `action` and answer: success → back to the detail; refusal → 403; invalid or stale →
    the detail again with the message and the user's typed values."""
    if not form.is_valid():
        return render_detail(
            request, demande, status=400, **{form_key: form, "erreur": "Le formulaire contient des erreurs."}
        )
    try:
        message = action(form.cleaned_data)
    except ActionRefusee as error:
        # Wagtail turns PermissionDenied into a redirect: answer a plain 403 with the reason.
        return render_detail(request, demande, status=403, **{form_key: form, "erreur": str(error)})
    except ConflitModification:
        demande = charger_demande(demande.pk)
        return render_detail(request, demande, status=409, **{form_key: form, "erreur": ConflitModification.message})
    except TransitionInvalide as error:
        demande = charger_demande(demande.pk)
        return render_detail(request, demande, status=400, **{form_key: form, "erreur": " ".join(error.messages)})
    messages.success(request, message)
    return redirect(url_detail(demande))


@require_POST
def changer_statut(request, pk):
    demande = _demande_visible(request, pk)
    form = forms.TransitionForm(request.POST)

    def action(data):
        with transaction.atomic():  # the commune's email is written with the change, or not at all
            demande.transition_to(data["statut"], by=request.user, reason=data["motif"], version=data["version"])
            avis.aviser_changement_statut(demande, request.user)
        return f"La demande n°{demande.numero} est passée au statut « {demande.get_statut_display()} »."

    return _executer(request, demande, "transition", form, action)


@require_POST
def affecter(request, pk):
    demande = _demande_visible(request, pk)
    form = forms.AffectationForm(request.POST, demande=demande)

    def action(data):
        circuit.affecter(
            demande,
            by=request.user,
            referent=data["expert_referent"],
            directions_associees=list(data["directions_associees"]),
            experts_associes=list(data["experts_associes"]),
            reason=data["motif"],
            version=data["version"],
        )
        return "L'affectation de la demande est enregistrée : les personnes nouvellement désignées sont prévenues par courriel."

    return _executer(request, demande, "affectation", form, action)


@require_POST
def orienter(request, pk):
    demande = _demande_visible(request, pk)
    form = forms.OrientationForm(request.POST)
    if not roles.is_administrateur(request.user):
        return render_detail(
            request, demande, status=403, erreur="Seul l'administrateur de la plateforme oriente une demande."
        )

    def action(data):
        circuit.orienter(
            demande,
            by=request.user,
            fiche=data["fiche"],
            direction=data["direction"],
            reason=data["motif"],
            version=data["version"],
        )
        return f"La demande est orientée vers {demande.direction} : ses chefs de file sont prévenus par courriel."

    return _executer(request, demande, "orientation", form, action)


@require_POST
def premier_contact(request, pk):
    demande = _demande_visible(request, pk)
    form = forms.PremierContactForm(request.POST)

    def action(data):
        demande.enregistrer_premier_contact(by=request.user, date=data["date"], version=data["version"])
        return "Le premier contact est enregistré."

    return _executer(request, demande, "contact", form, action)


@require_POST
def ajouter_journal(request, pk):
    demande = _demande_visible(request, pk)
    form = forms.JournalForm(request.POST, request.FILES, demande=demande)

    def action(data):
        vers_collectivite = data.get("envoyer_collectivite")
        type_entree = EntreeJournal.Type.MESSAGE_A_LA_COLLECTIVITE if vers_collectivite else data["type"]
        with transaction.atomic():  # the entry and its emails (mentions, référent, chef de file), or neither
            entree = demande.ajouter_entree_journal(
                by=request.user, type=type_entree, message=data["message"], fichiers=data["fichiers"]
            )
            avis_journal = mentions.aviser_entree_journal(entree)
            if vers_collectivite:
                avis.aviser_message_a_la_collectivite(demande, entree)
                messages.info(
                    request, "Le message est envoyé à la collectivité par courriel et visible sur sa page de suivi."
                )
        return journal.message_auteur(request, demande, avis_journal)

    return _executer(request, demande, "journal", form, action)


@require_POST
def corriger(request, pk):
    """The administrator or a chef de file corrects the demande's data with a reason; a new
    e-mail address gets the accusé de réception again, in the same transaction."""
    demande = _demande_visible(request, pk)
    form = forms.CorrectionForm(request.POST, demande=demande)
    if not permissions.peut_corriger(request.user, demande):
        return render_detail(
            request,
            demande,
            status=403,
            erreur="Seuls l'administrateur et les chefs de file de la demande corrigent ses données.",
        )

    def action(data):
        with transaction.atomic():
            modifies = demande.corriger(by=request.user, reason=data["motif"], version=data["version"], **form.champs())
            if "demandeur_email" in modifies:
                envoyer_accuse_reception(demande)
        message = "La correction est enregistrée dans l'historique de la demande."
        if "demandeur_email" in modifies:
            message += f" L'accusé de réception est renvoyé à {demande.demandeur_email}."
        return message

    return _executer(request, demande, "correction", form, action)


def telecharger_piece_jointe(request, pk):
    """Former back-office address of an attachment: attachments have one route, which checks
    the permission and answers 404 to anyone not allowed (no look-up here, nothing to learn)."""
    return redirect("intake_piece_jointe", pk=pk, permanent=True)
