"""Back-office pages of the steering tools (see wagtail_hooks.py for the menu and URLs)."""

import mimetypes
import os

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pilotage import acces, services
from pilotage import bilan as service_bilan
from pilotage.models import Bilan, Convention, Decision, Reunion
from pilotage.plan import plan_d_actions, synthese


class VueAdmin(WagtailAdminTemplateMixin, View):
    """A Wagtail admin page guarded by one rule of `pilotage.acces`."""

    regle = staticmethod(acces.peut_gerer)

    def dispatch(self, request, *args, **kwargs):
        if not self.regle(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


class TableauDeBordView(VueAdmin):
    template_name = "pilotage/tableau_de_bord.html"
    page_title = "Tableau de bord du plan d'actions"
    header_icon = "list-ul"
    regle = staticmethod(acces.peut_voir_tableau_de_bord)

    def get(self, request):
        plan = plan_d_actions(decisions=decisions_par_action(request.user))
        return self.render_to_response(
            self.get_context_data(
                plan=plan,
                synthese=synthese(plan),
                reunions=services.prochaines_reunions(request.user),
                peut_voir_instances=acces.peut_voir_instances(request.user),
            )
        )


def decisions_par_action(user):
    """The decisions linked to each action, from the meetings of instances the user may read."""
    resultat = {}
    decisions = (
        Decision.objects.filter(reunion__instance_gouvernance__in=services.instances_visibles(user))
        .select_related("reunion__instance_gouvernance")
        .prefetch_related("actions")
        .order_by("reunion__debut", "pk")
    )
    for decision in decisions:
        for action in decision.actions.all():
            resultat.setdefault(action.pk, []).append(decision)
    return resultat


class ConventionsPartenairesView(VueAdmin):
    """Every partner structure with its convention in force: who signed, until when; a
    structure without a convention in force is flagged."""

    template_name = "pilotage/conventions_partenaires.html"
    page_title = "Conventions des partenaires"
    header_icon = "doc-full"
    regle = staticmethod(acces.peut_voir_conventions)

    def get(self, request):
        lignes = services.conventions_des_partenaires()
        return self.render_to_response(
            self.get_context_data(
                lignes=lignes,
                sans_convention=sum(1 for ligne in lignes if not ligne["convention"]),
                peut_gerer=acces.peut_gerer(request.user),
            )
        )


def fichier_prive(champ, nom_telechargement=None):
    """A file of the private storage, as a download (never a public URL)."""
    if not champ:
        raise Http404
    try:
        fichier = champ.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    nom = nom_telechargement or os.path.basename(champ.name)
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=nom,
        content_type=mimetypes.guess_type(nom)[0] or "application/octet-stream",
    )


class DocumentConventionView(VueAdmin):
    def get(self, request, pk):
        return fichier_prive(get_object_or_404(Convention, pk=pk).document)


class InstancesView(VueAdmin):
    """The instances the user sits in (all of them for administrators), with their meetings."""

    template_name = "pilotage/instances.html"
    page_title = "Instances de gouvernance"
    header_icon = "group"
    regle = staticmethod(acces.peut_voir_instances)

    def get(self, request):
        instances = services.instances_visibles(request.user).prefetch_related(
            "structures", Prefetch("reunions", queryset=Reunion.objects.order_by("-debut"))
        )
        return self.render_to_response(
            self.get_context_data(
                instances=instances,
                maintenant=timezone.now(),
                peut_gerer=acces.peut_gerer(request.user),
            )
        )


class ReunionView(VueAdmin):
    """A meeting: agenda, compte rendu, decisions and the actions they concern."""

    template_name = "pilotage/reunion.html"
    header_icon = "date"
    regle = staticmethod(acces.peut_voir_instances)

    def get_reunion(self, request, pk):
        reunion = get_object_or_404(Reunion.objects.select_related("instance_gouvernance"), pk=pk)
        if not acces.peut_voir_instance(request.user, reunion.instance_gouvernance):
            raise PermissionDenied
        return reunion

    def get(self, request, pk):
        reunion = self.get_reunion(request, pk)
        self.page_title = str(reunion)
        peut_gerer = acces.peut_gerer(request.user)
        invites = set(reunion.invitations.values_list("user_id", flat=True))
        membres = list(reunion.instance_gouvernance.membres.order_by("last_name", "first_name"))
        return self.render_to_response(
            self.get_context_data(
                reunion=reunion,
                decisions=reunion.decisions.prefetch_related("actions"),
                membres=[{"user": m, "invite": m.pk in invites} for m in membres],
                a_inviter=peut_gerer
                and not reunion.est_passee
                and any(m.pk not in invites and m.email for m in membres),
                peut_gerer=peut_gerer,
            )
        )


class CompteRenduFichierView(ReunionView):
    def get(self, request, pk):
        return fichier_prive(self.get_reunion(request, pk).compte_rendu_fichier)


class InviterView(VueAdmin):
    """Send the invitations of a meeting (administrators, POST only)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        reunion = get_object_or_404(Reunion.objects.select_related("instance_gouvernance"), pk=pk)
        if reunion.est_passee:
            messages.error(request, "Cette réunion a déjà eu lieu : les invitations ne sont plus envoyées.")
        else:
            nombre = services.inviter(reunion)
            if nombre:
                messages.success(
                    request, f"{nombre} invitation{'s' if nombre > 1 else ''} envoyée{'s' if nombre > 1 else ''}."
                )
            else:
                messages.warning(request, "Tous les membres disposant d'une adresse ont déjà été invités.")
        return redirect("pilotage_reunion", pk=reunion.pk)


class BilanView(VueAdmin):
    """A bilan annuel: its text parts and what the user may do with it (preview the PDF; edit
    the texts for éditeurs and administrators; publish or withdraw for administrators)."""

    template_name = "pilotage/bilan.html"
    header_icon = "doc-full"
    regle = staticmethod(acces.peut_rediger_bilan)

    def get(self, request, pk):
        bilan = get_object_or_404(Bilan, pk=pk)
        self.page_title = str(bilan)
        return self.render_to_response(
            self.get_context_data(
                bilan=bilan,
                peut_publier=acces.peut_publier_bilan(request.user),
            )
        )


class BilanPdfView(VueAdmin):
    regle = staticmethod(acces.peut_rediger_bilan)

    def get(self, request, pk):
        bilan = get_object_or_404(Bilan, pk=pk)
        response = HttpResponse(service_bilan.rendre_pdf(bilan), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{bilan.nom_fichier}"'
        return response


class PublierBilanView(VueAdmin):
    """Publish (or withdraw) a bilan on the public site: a confirmation page, then a POST."""

    template_name = "pilotage/bilan_publier.html"
    header_icon = "doc-full"
    regle = staticmethod(acces.peut_publier_bilan)
    retirer = False

    def get_bilan(self, pk):
        return get_object_or_404(Bilan, pk=pk)

    def get(self, request, pk):
        bilan = self.get_bilan(pk)
        self.page_title = f"{'Retirer' if self.retirer else 'Publier'} le {bilan}"
        return self.render_to_response(self.get_context_data(bilan=bilan, retirer=self.retirer))

    def post(self, request, pk):
        bilan = self.get_bilan(pk)
        if self.retirer:
            service_bilan.depublier(bilan)
            messages.success(request, f"Le {bilan} n'est plus publié sur le site.")
        else:
            service_bilan.publier(bilan)
            messages.success(request, f"Le {bilan} est publié sur le site public.")
        return redirect("pilotage_bilan", pk=bilan.pk)


def bilan_public(request, annee):
    """/bilans/<année>.pdf: the published bilan for everyone; 404 while it is not published."""
    bilan = Bilan.objects.filter(annee=annee, publie=True).select_related("document").first()
    if bilan is None or bilan.document is None:
        raise Http404("Ce bilan n'est pas publié.")
    try:
        fichier = bilan.document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fichier, content_type="application/pdf", filename=bilan.nom_fichier)


def bilans_publics(request):
    """/bilans/: the published bilans annuels, newest first."""
    bilans = Bilan.objects.filter(publie=True).exclude(document=None).select_related("document")
    return render(request, "pilotage/bilans_publics.html", {"bilans": bilans})
