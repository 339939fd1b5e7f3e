"""Cas 2 of the guide: a chef de file or an expert records a demande received directly
(source « transmise par un partenaire »), routed straight to their own direction."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue import roles
from catalogue.models import Direction
from intake.depot.forms import NOMBRE_MAX_PIECES_JOINTES, DemandeForm, PiecesJointesField
from intake.depot.services import deposer_demande
from intake.models import Demande
from intake.permissions import peut_deposer_pour_partenaire, peut_voir_detail

# The one predicate of the cas 2 form, its menu item and the list's "create" button.
peut_transmettre = peut_deposer_pour_partenaire


def directions_de(user):
    return Direction.objects.filter(pk__in=roles.directions_ids(user), active=True).select_related("structure")


class DepotPartenaireForm(DemandeForm):
    """The demande's fields, the direction that will handle it, and the files received."""

    direction = forms.ModelChoiceField(
        label="Direction chef de file",
        queryset=Direction.objects.none(),
        empty_label=None,
        help_text="La demande est attribuée à votre direction.",
    )
    pieces_jointes = PiecesJointesField(
        label="Pièces jointes (facultatif)",
        required=False,
        help_text=f"{NOMBRE_MAX_PIECES_JOINTES} fichiers au plus, 10 Mo chacun.",
    )
    je_suis_referent = forms.BooleanField(
        label="Je suis l'expert référent de cette demande",
        required=False,
        initial=True,
        help_text="Décochez si le chef de file doit désigner un autre expert : "
        "vous restez associé(e) à la demande et gardez accès à son suivi.",
    )
    # A key per displayed form: a double click or a resubmitted page records one demande.
    jeton = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = directions_de(user)
        self.fields["consentement"].label = "Le demandeur a été informé du traitement de ses données et l'a accepté."
        self.fields["consentement"].error_messages["required"] = "Confirmez que le demandeur a été informé."
        self.fields["thematique"].required = False
        self.fields["fiche"].help_text = "Facultatif : la fiche dont relève la demande, le cas échéant."
        self.parler_a_l_agent()
        order = ["direction", "je_suis_referent"] + [
            n for n in self.fields if n not in ("direction", "je_suis_referent")
        ]
        self.order_fields(order)
        if not self.is_bound:
            self.initial["jeton"] = uuid.uuid4().hex

    # The public form speaks to the commune (« Votre demande », « votre collectivité »); here an
    # agent records what a collectivité told them.
    LIBELLES_AGENT = {
        "demandeur_civilite": (
            "Civilité du demandeur (facultatif)",
            "Pour l'accusé de réception : « Madame la Maire », « Monsieur le Président ».",
            None,
        ),
        "demandeur_nom": ("Nom du demandeur", None, "Indiquez le nom du demandeur."),
        "demandeur_prenom": ("Prénom du demandeur", None, "Indiquez le prénom du demandeur."),
        "demandeur_fonction": (
            "Fonction du demandeur",
            "Par exemple : maire, président, DGS, secrétaire de mairie.",
            None,
        ),
        "demandeur_email": (
            "Courriel du demandeur",
            "L'accusé de réception et le lien de suivi y sont envoyés.",
            "Indiquez l'adresse électronique du demandeur.",
        ),
        "demandeur_telephone": ("Téléphone du demandeur", None, "Indiquez le numéro de téléphone du demandeur."),
        "type_collectivite": ("Type de la collectivité demandeuse", None, None),
        "collectivite": (
            "Collectivité demandeuse",
            "Tapez les premières lettres du nom pour la trouver dans la liste.",
            "Choisissez la collectivité demandeuse.",
        ),
        "lieu": ("Commune du projet", "Laissez vide si le projet se situe dans la commune demandeuse.", None),
        "message": (
            "Demande reçue",
            "Résumez le projet et le besoin que la collectivité vous a exposés.",
            "Résumez la demande reçue.",
        ),
    }

    def parler_a_l_agent(self):
        for nom, (label, aide, requis) in self.LIBELLES_AGENT.items():
            champ = self.fields[nom]
            champ.label = label
            if aide:
                champ.help_text = aide
            if requis:
                champ.error_messages["required"] = requis
        self.fields["collectivite"].empty_label = "— Choisissez la collectivité —"


class DepotPartenaireView(WagtailAdminTemplateMixin, FormView):
    template_name = "intake/depot_partenaire.html"
    form_class = DepotPartenaireForm
    page_title = "Transmettre une demande reçue directement"
    header_icon = "form"
    _breadcrumbs = [{"url": reverse_lazy("wagtailadmin_home"), "label": "Tableau de bord"}]

    def dispatch(self, request, *args, **kwargs):
        if not peut_transmettre(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self._breadcrumbs + [{"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        kwargs = form.service_kwargs()
        demande = deposer_demande(
            source=Demande.Source.PARTENAIRE,
            direction=form.cleaned_data["direction"],
            pieces_jointes=form.cleaned_data["pieces_jointes"],
            par=self.request.user,
            par_est_referent=form.cleaned_data["je_suis_referent"],
            idempotency_key=f"partenaire:{self.request.user.pk}:{form.cleaned_data['jeton']}"
            if form.cleaned_data["jeton"]
            else None,
            **kwargs,
        )
        referent = " Vous en êtes l'expert référent." if demande.expert_referent_id == self.request.user.pk else ""
        messages.success(
            self.request,
            f"Demande n°{demande.numero} enregistrée et attribuée à {demande.direction}.{referent} "
            "Le demandeur reçoit un accusé de réception.",
        )
        if peut_voir_detail(self.request.user, demande):
            return redirect(reverse("intake_demande_modeladmin_inspect", args=[demande.pk]))
        return redirect(reverse("intake_depot_partenaire"))


@hooks.register("register_admin_urls")
def register_depot_partenaire_url():
    return [path("demandes/transmettre/", DepotPartenaireView.as_view(), name="intake_depot_partenaire")]


class DepotPartenaireMenuItem(MenuItem):
    def is_shown(self, request):
        return peut_transmettre(request.user)


@hooks.register("register_admin_menu_item")
def register_depot_partenaire_menu_item():
    return DepotPartenaireMenuItem(
        "Transmettre une demande", reverse("intake_depot_partenaire"), icon_name="form", order=210
    )
