"""Back-office statistics, access log and rights of the person; see intake/wagtail_hooks.py.

Scope: an administrator sees every figure; every network member (chef de file or expert) sees
the figures of its own structure(s) and the platform-wide anonymous ones; nobody else gets the
menu item or the pages.
"""

import csv
import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue import roles
from catalogue.models import Direction, Structure, Thematique
from intake.donnees_personnelles import anonymisation
from intake.models import AccesDemande, Anonymisation, Collectivite, Demande
from intake.statistiques import calculs as statistiques
from intake.statistiques.graphiques import graphique

logger = logging.getLogger("intake.statistiques.calculs")


def peut_voir_statistiques(user):
    return roles.is_administrateur(user) or roles.is_membre(user)


def peut_gerer_donnees_personnelles(user):
    return roles.is_administrateur(user)


class FiltresForm(forms.Form):
    debut = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    fin = forms.DateField(label="Au", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    thematique = forms.ModelChoiceField(
        Thematique.objects.all(), label="Thématique", required=False, empty_label="Toutes"
    )
    structure = forms.ModelChoiceField(Structure.objects.all(), label="Structure", required=False, empty_label="Toutes")
    direction = forms.ModelChoiceField(
        Direction.objects.select_related("structure"), label="Direction", required=False, empty_label="Toutes"
    )
    epci = forms.ModelChoiceField(Collectivite.objects.epci(), label="EPCI", required=False, empty_label="Tous")
    source = forms.ChoiceField(label="Origine", choices=[("", "Toutes"), *Demande.Source.choices], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.est_administrateur = roles.is_administrateur(user)
        if not self.est_administrateur:
            # A member filters only by its own structures' directions; the others stay aggregated
            # in the platform-wide figures.
            del self.fields["structure"]
            self.fields["direction"].queryset = Direction.objects.filter(
                structure_id__in=roles.structures_ids(user)
            ).select_related("structure")
        aujourd_hui = timezone.localdate()
        self.fields["debut"].initial = aujourd_hui.replace(month=1, day=1)
        self.fields["fin"].initial = aujourd_hui

    @classmethod
    def depuis_requete(cls, request):
        donnees = request.GET.copy()
        if "debut" not in donnees and "fin" not in donnees:
            aujourd_hui = timezone.localdate()
            donnees["debut"] = aujourd_hui.replace(month=1, day=1).isoformat()
            donnees["fin"] = aujourd_hui.isoformat()
        return cls(donnees, user=request.user)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and debut > fin:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
        if debut and fin and (fin - debut).days > 366 * 10:
            raise forms.ValidationError("La période ne peut dépasser dix ans.")
        return donnees

    def filtres(self):
        donnees = self.cleaned_data
        structures = None if self.est_administrateur else frozenset(roles.structures_ids(self.user))
        return statistiques.Filtres(
            debut=donnees["debut"],
            fin=donnees["fin"],
            thematique=donnees.get("thematique"),
            structure=donnees.get("structure"),
            direction=donnees.get("direction"),
            epci=donnees.get("epci"),
            source=donnees.get("source") or "",
            structures=structures,
        )


def reponse_csv(nom_fichier, entete, lignes):
    """A CSV for spreadsheets used in French (semicolon, UTF-8 with BOM)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(entete)
    for ligne in lignes:
        writer.writerow(ligne)
    return response


def _valeur_csv(valeur):
    if isinstance(valeur, float):
        return f"{valeur:.1f}".replace(".", ",")
    return valeur


class StatistiquesView(WagtailAdminTemplateMixin, View):
    template_name = "intake/statistiques/admin_statistiques.html"
    page_title = "Statistiques des demandes"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not peut_voir_statistiques(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        form = FiltresForm.depuis_requete(request)
        export = request.GET.get("export")
        if not form.is_valid():
            if export:
                return HttpResponse("Filtres invalides.", status=400, content_type="text/plain; charset=utf-8")
            return self.render_to_response(self.get_context_data(form=form, stats=None))
        filtres = form.filtres()
        est_administrateur = roles.is_administrateur(request.user)
        # Administrators see everything in the main figures; members read the platform beside them.
        reseau = None if est_administrateur else statistiques.chiffres_reseau(filtres)
        if export and export.startswith("reseau_"):
            return self.exporter_reseau(reseau, export, filtres)
        stats = statistiques.calculer(filtres)
        if export:
            return self.exporter(stats, export)
        sections = [
            {"tableau": tableau, "graphique": graphique(tableau), "export_url": self.url_export(request, slug)}
            for slug, tableau in stats.tableaux.items()
            if slug != "libres_thematique"
        ]
        libres = stats.lacunes["thematiques_libres"]
        return self.render_to_response(
            self.get_context_data(
                form=form,
                stats=stats,
                sections=sections,
                libres={
                    "tableau": libres,
                    "graphique": graphique(libres),
                    "export_url": self.url_export(request, libres.slug),
                },
                export_fiches_url=self.url_export(request, "fiches_sans_demande"),
                export_communes_url=self.url_export(request, "communes_sans_demande"),
                est_administrateur=est_administrateur,
                perimetre=self.libelle_perimetre(filtres),
                seuil=statistiques.seuil_opendata(),
                reseau=reseau
                and {
                    **reseau,
                    "sections": [
                        {
                            "tableau": tableau,
                            "graphique": graphique(tableau),
                            "export_url": self.url_export(request, slug),
                        }
                        for slug, tableau in reseau["tableaux"].items()
                    ],
                },
                satisfaction=statistiques.satisfaction(form.filtres()),
            )
        )

    @staticmethod
    def libelle_perimetre(filtres):
        if filtres.structures is None:
            return ""
        sigles = Structure.objects.filter(pk__in=filtres.structures).order_by("sigle").values_list("sigle", flat=True)
        return ", ".join(sigles)

    @staticmethod
    def exporter_reseau(reseau, slug, filtres):
        tableau = reseau["tableaux"].get(slug) if reseau else None
        if tableau is None:
            raise Http404("Tableau inconnu.")
        return reponse_csv(
            f"statistiques-plateforme-{slug.removeprefix('reseau_')}-{filtres.debut:%Y%m%d}-{filtres.fin:%Y%m%d}.csv",
            [tableau.colonne, "Pourcentage" if tableau.unite == "%" else "Nombre de demandes"],
            [[libelle, "secret" if valeur is None else _valeur_csv(valeur)] for libelle, valeur in tableau.lignes],
        )

    @staticmethod
    def url_export(request, slug):
        params = request.GET.copy()
        params["export"] = slug
        return f"{request.path}?{params.urlencode()}"

    def exporter(self, stats, slug):
        periode = f"{stats.filtres.debut:%Y%m%d}-{stats.filtres.fin:%Y%m%d}"
        if slug == "fiches_sans_demande":
            return reponse_csv(
                f"fiches-sans-demande-{periode}.csv",
                ["Fiche", "Thématique", "Chef de file"],
                [
                    [fiche.title, fiche.thematique.nom if fiche.thematique else "", str(fiche.chef_de_file or "")]
                    for fiche in stats.lacunes["fiches_sans_demande"]
                ],
            )
        if slug == "communes_sans_demande":
            return reponse_csv(
                "communes-sans-demande.csv",
                ["Code INSEE", "Commune", "EPCI", "Population"],
                [
                    [commune.code, commune.nom, commune.epci.nom if commune.epci else "", commune.population or ""]
                    for commune in stats.lacunes["communes_sans_demande"]
                ],
            )
        tableau = stats.tableaux.get(slug)
        if tableau is None:
            raise Http404("Tableau inconnu.")
        return reponse_csv(
            f"statistiques-{slug}-{periode}.csv",
            [tableau.colonne, "Pourcentage" if tableau.unite == "%" else "Nombre de demandes"],
            [[libelle, _valeur_csv(valeur)] for libelle, valeur in tableau.lignes],
        )


class AdministrateurRequisMixin:
    def dispatch(self, request, *args, **kwargs):
        if not peut_gerer_donnees_personnelles(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class JournalAccesView(AdministrateurRequisMixin, WagtailAdminTemplateMixin, View):
    """Who opened the personal data of which demande, and when."""

    template_name = "intake/statistiques/admin_acces.html"
    page_title = "Journal des accès aux demandes"
    header_icon = "history"
    par_page = 50

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        acces = AccesDemande.objects.select_related("demande", "user").order_by("-consulte_le", "-pk")
        numero = request.GET.get("numero", "").strip()
        utilisateur = request.GET.get("utilisateur", "").strip()
        erreur = ""
        if numero:
            if numero.isdigit():
                acces = acces.filter(demande__numero=int(numero))
            else:
                erreur = "Le numéro de demande doit être un nombre."
                acces = acces.none()
        if utilisateur:
            acces = acces.filter(utilisateur_libelle__icontains=utilisateur)
        page = Paginator(acces, self.par_page).get_page(request.GET.get("p"))
        params = request.GET.copy()
        params.pop("p", None)
        return self.render_to_response(
            self.get_context_data(
                page=page, numero=numero, utilisateur=utilisateur, erreur=erreur, params=params.urlencode()
            )
        )


class EffacementForm(forms.Form):
    courriel = forms.EmailField(label="Adresse électronique")
    confirmation = forms.BooleanField(
        label="Je confirme l'effacement : les données personnelles de ces demandes seront définitivement anonymisées.",
    )


class DroitsPersonneView(AdministrateurRequisMixin, WagtailAdminTemplateMixin, View):
    """Rights of the person: export everything held about an address, erase it on request."""

    template_name = "intake/statistiques/admin_droits_personne.html"
    page_title = "Droits des personnes"
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        recherche = forms.Form(request.GET or None)
        recherche.fields["courriel"] = forms.EmailField(label="Adresse électronique de la personne")
        contexte = {"recherche": recherche}
        if request.GET and recherche.is_valid():
            courriel = recherche.cleaned_data["courriel"]
            if request.GET.get("format") == "json":
                logger.info("evenement=export_droits_personne par=%s", request.user.pk)
                response = HttpResponse(
                    anonymisation.export_personne_json(courriel), content_type="application/json; charset=utf-8"
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="donnees-personnelles-{timezone.localdate():%Y%m%d}.json"'
                )
                return response
            contexte.update(self.resume(courriel))
            contexte["effacement"] = EffacementForm(initial={"courriel": courriel})
        return self.render_to_response(self.get_context_data(**contexte))

    @staticmethod
    def resume(courriel):
        demandes = list(anonymisation.demandes_de_la_personne(courriel).select_related("collectivite", "anonymisation"))
        return {
            "courriel": courriel,
            "demandes": demandes,
            "mentions": anonymisation.mentions_journal(courriel, exclure=demandes).count(),
            "demandes_ouvertes": [demande for demande in demandes if not demande.est_close],
        }

    def post(self, request):
        form = EffacementForm(request.POST)
        if not form.is_valid():
            recherche = forms.Form({"courriel": request.POST.get("courriel", "")})
            recherche.fields["courriel"] = forms.EmailField(label="Adresse électronique de la personne")
            contexte = {"recherche": recherche, "effacement": form}
            if recherche.is_valid():
                contexte.update(self.resume(recherche.cleaned_data["courriel"]))
            return self.render_to_response(self.get_context_data(**contexte), status=400)
        courriel = form.cleaned_data["courriel"]
        bilan = anonymisation.effacer_personne(courriel, par=request.user)
        messages.success(
            request,
            f"Effacement effectué : {len(bilan['demandes'])} demande(s) anonymisée(s), "
            f"{bilan['mentions']} mention(s) retirée(s) d'autres journaux.",
        )
        return redirect(f"{reverse('intake_droits_personne')}?courriel={courriel}")


class AnonymisationsView(AdministrateurRequisMixin, WagtailAdminTemplateMixin, View):
    template_name = "intake/statistiques/admin_anonymisations.html"
    page_title = "Anonymisations effectuées"
    header_icon = "bin"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        page = Paginator(Anonymisation.objects.select_related("demande", "par"), 50).get_page(request.GET.get("p"))
        return self.render_to_response(
            self.get_context_data(
                page=page,
                retention=anonymisation.retention_jours(),
                en_attente=anonymisation.demandes_expirees().count(),
            )
        )


@hooks.register("register_admin_urls")
def register_statistiques_urls():
    return [
        path("statistiques/", StatistiquesView.as_view(), name="intake_statistiques"),
        path("statistiques/acces/", JournalAccesView.as_view(), name="intake_journal_acces"),
        path("statistiques/droits-des-personnes/", DroitsPersonneView.as_view(), name="intake_droits_personne"),
        path("statistiques/anonymisations/", AnonymisationsView.as_view(), name="intake_anonymisations"),
    ]


class _MenuItem(MenuItem):
    """A menu entry shown only to the users who may open its page (never a link to a refusal)."""

    def __init__(self, label, url_name, test, **kwargs):
        super().__init__(label, reverse_lazy(url_name), **kwargs)
        self.test = test

    def is_shown(self, request):
        return self.test(request.user)


@hooks.register("register_admin_menu_item")
def register_statistiques_menu():
    menu = Menu(
        items=[
            _MenuItem(
                "Statistiques",
                "intake_statistiques",
                peut_voir_statistiques,
                name="intake-statistiques",
                icon_name="table",
                order=100,
            ),
            _MenuItem(
                "Journal des accès",
                "intake_journal_acces",
                peut_gerer_donnees_personnelles,
                name="intake-journal-acces",
                icon_name="history",
                order=200,
            ),
            _MenuItem(
                "Droits des personnes",
                "intake_droits_personne",
                peut_gerer_donnees_personnelles,
                name="intake-droits-personne",
                icon_name="user",
                order=300,
            ),
            _MenuItem(
                "Anonymisations",
                "intake_anonymisations",
                peut_gerer_donnees_personnelles,
                name="intake-anonymisations",
                icon_name="bin",
                order=400,
            ),
        ]
    )
    return SubmenuMenuItem("Pilotage", menu, name="intake-pilotage", icon_name="table", order=350)
