"""Back-office pages of the steering tools (see wagtail_hooks.py for the menu and URLs)."""

import mimetypes
import os

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pilotage import acces, services
from pilotage.models import Action, Axe, Convention, Indicateur


class VueAdmin(WagtailAdminTemplateMixin, View):
    """A Wagtail admin page guarded by one rule of `pilotage.acces`."""

    regle = staticmethod(acces.peut_gerer)

    def dispatch(self, request, *args, **kwargs):
        if not self.regle(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


def plan_d_actions(aujourd_hui=None):
    """Axes with their actions and indicators, each indicator with its value and its share of
    the target, each action with its lateness; shared by the dashboard and the bilan."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    axes = Axe.objects.prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("pilote_direction__structure", "pilote_structure")
            .prefetch_related("partenaires", Prefetch("indicateurs", queryset=Indicateur.objects.order_by("ordre", "pk"))),
        )
    )
    cache = {}
    resultat = []
    for axe in axes:
        actions = []
        for action in axe.actions.all():
            indicateurs = []
            for indicateur in action.indicateurs.all():
                valeur = indicateur.valeur(aujourd_hui, cache=cache)
                indicateurs.append({"indicateur": indicateur, "valeur": valeur,
                                    "progression": indicateur.progression(valeur)})
            actions.append({"action": action, "en_retard": action.est_en_retard(aujourd_hui), "indicateurs": indicateurs})
        avancement = round(sum(a["action"].avancement for a in actions) / len(actions)) if actions else None
        resultat.append({"axe": axe, "actions": actions, "avancement": avancement})
    return resultat


def synthese(plan):
    actions = [a for axe in plan for a in axe["actions"]]
    par_statut = {libelle: 0 for _, libelle in Action.Statut.choices}
    for a in actions:
        par_statut[a["action"].get_statut_display()] += 1
    return {
        "total": len(actions),
        "en_retard": sum(1 for a in actions if a["en_retard"]),
        "par_statut": par_statut,
        "avancement": round(sum(a["action"].avancement for a in actions) / len(actions)) if actions else None,
    }


class TableauDeBordView(VueAdmin):
    template_name = "pilotage/tableau_de_bord.html"
    page_title = "Tableau de bord du plan d'actions"
    header_icon = "list-ul"
    regle = staticmethod(acces.peut_voir_tableau_de_bord)

    def get(self, request):
        plan = plan_d_actions()
        return self.render_to_response(self.get_context_data(
            plan=plan, synthese=synthese(plan), **self.contexte_supplementaire(request)
        ))

    def contexte_supplementaire(self, request):
        return {}


class ConventionsPartenairesView(VueAdmin):
    """Every partner structure with its convention in force: who signed, until when; a
    structure without a convention in force is flagged."""

    template_name = "pilotage/conventions_partenaires.html"
    page_title = "Conventions des partenaires"
    header_icon = "doc-full"
    regle = staticmethod(acces.peut_voir_conventions)

    def get(self, request):
        lignes = services.conventions_des_partenaires()
        return self.render_to_response(self.get_context_data(
            lignes=lignes,
            sans_convention=sum(1 for ligne in lignes if not ligne["convention"]),
            peut_gerer=acces.peut_gerer(request.user),
        ))


def fichier_prive(champ, nom_telechargement=None):
    """A file of the private storage, as a download (never a public URL)."""
    if not champ:
        raise Http404
    try:
        fichier = champ.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    nom = nom_telechargement or os.path.basename(champ.name)
    return FileResponse(fichier, as_attachment=True, filename=nom,
                        content_type=mimetypes.guess_type(nom)[0] or "application/octet-stream")


class DocumentConventionView(VueAdmin):
    def get(self, request, pk):
        return fichier_prive(get_object_or_404(Convention, pk=pk).document)
