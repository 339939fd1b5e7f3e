"""Discussion space: threads by thématique or fiche, replies, following, moderation."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin import messages

from reseau import acces, discussions
from reseau.forms import FiltreFilsForm, NouveauFilForm, PreferenceNotificationForm, ReponseForm
from reseau.models import Abonnement, Fil, Message, PreferenceNotification
from reseau.views.base import ReseauView

PAR_PAGE = 25


class DiscussionsView(ReseauView):
    template_name = "reseau/discussions.html"
    page_title = "Discussions du réseau"

    def preference_form(self, request, data=None):
        instance = PreferenceNotification.objects.filter(user=request.user).first() or PreferenceNotification(
            user=request.user
        )
        return PreferenceNotificationForm(data, instance=instance, prefix="pref")

    def get(self, request, preference_form=None, status=200):
        filtres = FiltreFilsForm(request.GET or None)
        fils = Fil.objects.select_related("thematique", "fiche", "auteur").annotate(
            nombre_messages=Count("messages", filter=Q(messages__masque=False)),
            suivi=Exists(Abonnement.objects.filter(fil=OuterRef("pk"), user=request.user)),
        )
        if filtres.is_valid():
            if filtres.cleaned_data.get("thematique"):
                fils = fils.filter(thematique=filtres.cleaned_data["thematique"])
            if filtres.cleaned_data.get("fiche"):
                fils = fils.filter(fiche=filtres.cleaned_data["fiche"])
        if request.GET.get("suivis"):
            fils = fils.filter(abonnements__user=request.user)
        page = Paginator(fils.order_by("-derniere_activite", "-pk"), PAR_PAGE).get_page(request.GET.get("p"))
        params = request.GET.copy()
        params.pop("p", None)
        return self.render_to_response(
            self.get_context_data(
                filtres=filtres,
                page=page,
                params=params.urlencode(),
                preference_form=preference_form or self.preference_form(request),
            ),
            status=status,
        )

    def post(self, request):
        form = self.preference_form(request, request.POST)
        if not form.is_valid():
            return self.get(request, preference_form=form, status=400)
        form.save()
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect(reverse("reseau_discussions"))


class NouveauFilView(ReseauView):
    template_name = "reseau/fil_nouveau.html"
    page_title = "Nouvelle discussion"

    def get(self, request):
        initial = {key: request.GET[key] for key in ("thematique", "fiche") if request.GET.get(key, "").isdigit()}
        return self.render_to_response(self.get_context_data(form=NouveauFilForm(initial=initial)))

    def post(self, request):
        form = NouveauFilForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        fil = discussions.ouvrir_fil(auteur=request.user, **form.cleaned_data)
        messages.success(request, "Votre discussion est ouverte. Vous la suivez : les réponses vous seront signalées.")
        return redirect(reverse("reseau_fil", args=[fil.pk]))


class FilView(ReseauView):
    template_name = "reseau/fil.html"

    def get_page_title(self):
        return self.fil.titre

    def dispatch(self, request, *args, pk=None, **kwargs):
        if acces.peut_acceder(request.user):
            self.fil = get_object_or_404(Fil.objects.select_related("thematique", "fiche", "auteur"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, form=None, status=200):
        moderateur = acces.peut_moderer(request.user)
        return self.render_to_response(
            self.get_context_data(
                fil=self.fil,
                messages_fil=self.fil.messages.select_related("auteur"),
                form=form or (None if self.fil.clos else ReponseForm()),
                suivi=Abonnement.objects.filter(fil=self.fil, user=request.user).exists(),
                moderateur=moderateur,
            ),
            status=status,
        )

    def post(self, request):
        action = request.POST.get("action")
        if action == "suivre":
            discussions.suivre(request.user, self.fil)
            messages.success(request, "Vous suivez cette discussion.")
        elif action == "ne_plus_suivre":
            discussions.ne_plus_suivre(request.user, self.fil)
            messages.success(request, "Vous ne suivez plus cette discussion.")
        elif action in ("clore", "rouvrir", "masquer", "afficher"):
            if not acces.peut_moderer(request.user):
                return acces.refus("Action réservée aux administrateurs de la plateforme.")
            if action in ("clore", "rouvrir"):
                discussions.clore(self.fil, par=request.user, clos=action == "clore")
                messages.success(
                    request, "La discussion est close." if action == "clore" else "La discussion est rouverte."
                )
            else:
                message = get_object_or_404(
                    Message,
                    fil=self.fil,
                    pk=request.POST.get("message") if str(request.POST.get("message", "")).isdigit() else None,
                )
                discussions.masquer(message, par=request.user, masque=action == "masquer")
                messages.success(
                    request, "Le message est masqué." if action == "masquer" else "Le message est rétabli."
                )
        elif action == "repondre":
            form = ReponseForm(request.POST)
            if self.fil.clos:
                messages.error(request, "Cette discussion est close : il n'est plus possible d'y répondre.")
                return self.get(request, status=400)
            if not form.is_valid():
                return self.get(request, form=form, status=400)
            try:
                discussions.repondre(fil=self.fil, auteur=request.user, texte=form.cleaned_data["texte"])
            except discussions.FilClos as exc:
                messages.error(request, str(exc))
                return self.get(request, status=400)
            messages.success(request, "Votre réponse est publiée.")
        else:
            messages.error(request, "Action inconnue.")
            return self.get(request, status=400)
        return redirect(reverse("reseau_fil", args=[self.fil.pk]))
