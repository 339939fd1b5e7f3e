"""Annuaire du réseau: every member with structure, direction, rôle, thématiques, the fiches his
directions lead and his professional contact; each member edits his own card."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages

from catalogue import roles
from catalogue.models import FichePage, Membre
from reseau.forms import FicheAnnuaireForm, RechercheAnnuaireForm
from reseau.models import FicheAnnuaire
from reseau.views.base import ReseauView

PAR_PAGE = 20


def membres_du_reseau(filtres):
    """Users with a Membre row, filtered by the directory's search form (cleaned data)."""
    users = get_user_model().objects.filter(is_active=True, membres__isnull=False)
    q = (filtres.get("q") or "").strip()
    for mot in q.split():
        users = users.filter(
            Q(first_name__icontains=mot)
            | Q(last_name__icontains=mot)
            | Q(username__icontains=mot)
            | Q(membres__direction__nom__icontains=mot)
            | Q(membres__direction__sigle__icontains=mot)
            | Q(membres__direction__structure__nom__icontains=mot)
            | Q(membres__direction__structure__sigle__icontains=mot)
            | Q(membres__fonction__icontains=mot)
            | Q(fiche_annuaire__fonction__icontains=mot)
            | Q(fiche_annuaire__thematiques__nom__icontains=mot)
        )
    if filtres.get("structure"):
        users = users.filter(membres__direction__structure=filtres["structure"])
    if filtres.get("role"):
        users = users.filter(membres__role=filtres["role"])
    if filtres.get("thematique"):
        thematique = filtres["thematique"]
        users = users.filter(
            Q(fiche_annuaire__thematiques=thematique)
            | Q(membres__direction__fiches__thematique=thematique, membres__direction__fiches__live=True)
        )
    return users.distinct().order_by("last_name", "first_name", "pk")


class AnnuaireView(ReseauView):
    template_name = "reseau/annuaire.html"
    page_title = "Annuaire du réseau"

    def get(self, request):
        form = RechercheAnnuaireForm(request.GET or None)
        filtres = form.cleaned_data if form.is_valid() else {}
        users = (
            membres_du_reseau(filtres)
            .select_related("fiche_annuaire")
            .prefetch_related(
                Prefetch(
                    "membres", queryset=Membre.objects.select_related("direction__structure").order_by("direction__nom")
                ),
                "fiche_annuaire__thematiques",
            )
        )
        page = Paginator(users, PAR_PAGE).get_page(request.GET.get("p"))
        cartes = self.cartes(list(page), request)
        params = request.GET.copy()
        params.pop("p", None)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                page=page,
                cartes=cartes,
                params=params.urlencode(),
                a_une_fiche=FicheAnnuaire.objects.filter(user=request.user).exists(),
                peut_editer_fiche=roles.is_membre(request.user),
            )
        )

    @staticmethod
    def cartes(users, request):
        """One card per user; the fiches led by the users' directions come from one query."""
        directions = {membre.direction_id for user in users for membre in user.membres.all()}
        fiches_par_direction = defaultdict(list)
        if directions:
            fiches = (
                FichePage.objects.live()
                .filter(chef_de_file_id__in=directions)
                .only("id", "title", "url_path", "chef_de_file_id")
                .order_by("title")
            )
            for fiche in fiches:
                fiches_par_direction[fiche.chef_de_file_id].append(fiche)
        cartes = []
        for user in users:
            membres = list(user.membres.all())
            fiche_annuaire = getattr(user, "fiche_annuaire", None)
            fiches, vues = [], set()
            for membre in membres:
                for fiche in fiches_par_direction.get(membre.direction_id, []):
                    if fiche.pk not in vues:
                        vues.add(fiche.pk)
                        fiches.append(fiche)
            telephone = (fiche_annuaire and fiche_annuaire.telephone) or next(
                (membre.telephone for membre in membres if membre.telephone), ""
            )
            fonction = (fiche_annuaire and fiche_annuaire.fonction) or next(
                (membre.fonction for membre in membres if membre.fonction), ""
            )
            cartes.append(
                {
                    "user": user,
                    "nom": user.get_full_name() or user.get_username(),
                    "membres": membres,
                    "fiche": fiche_annuaire,
                    "thematiques": list(fiche_annuaire.thematiques.all()) if fiche_annuaire else [],
                    "fiches": fiches,
                    "telephone": telephone,
                    "fonction": fonction,
                }
            )
        return cartes


class MaFicheAnnuaireView(ReseauView):
    template_name = "reseau/ma_fiche_annuaire.html"
    page_title = "Ma fiche annuaire"

    def form(self, request):
        instance = FicheAnnuaire.objects.filter(user=request.user).first()
        return FicheAnnuaireForm(request.POST or None, instance=instance, user=request.user)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form(request)))

    def post(self, request):
        form = self.form(request)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, "Votre fiche annuaire est enregistrée.")
        return redirect(reverse("reseau_annuaire"))
