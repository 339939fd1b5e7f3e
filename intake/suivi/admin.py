"""The back office of the demandes in the Wagtail admin: the list at
/admin/intake/demande/, the detail at /admin/intake/demande/inspect/<id>/, the action URLs,
the exports and the dashboard panels. Logic lives in Demande's methods and intake.permissions."""

import hashlib

from django.contrib import messages
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.utils import display_for_field
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.db.models import OuterRef, Q, Subquery
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import modeladmin_register
from wagtail_modeladmin.views import CreateView, IndexView, InspectView

from catalogue import roles
from catalogue.admin_securite import HistoryViewControlee, IndexViewFiltree, ModelAdminSecurise, refuser_sans_reveler
from intake import permissions
from intake.donnees_personnelles.audit import enregistrer_acces
from intake.models import Demande
from intake.suivi import exports, filters, views


class DemandePermissionHelper(PermissionHelper):
    """Nobody edits or deletes a demande through a form: statuses change through Demande's methods."""

    def user_can_list(self, user):
        return permissions.peut_voir_liste(user)

    def user_can_create(self, user):
        # The "create" button is the cas 2 form: the same predicate as the form itself.
        return permissions.peut_deposer_pour_partenaire(user)

    def user_can_inspect_obj(self, user, obj):
        return permissions.peut_voir_detail(user, obj)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class DemandeButtonHelper(ButtonHelper):
    def add_button(self, *args, **kwargs):
        button = super().add_button(*args, **kwargs)
        button.update(label="Enregistrer une demande reçue", title="Enregistrer une demande reçue directement (cas 2)")
        return button

    def inspect_button(self, pk, *args, **kwargs):
        button = super().inspect_button(pk, *args, **kwargs)
        button.update(label="Ouvrir", title="Ouvrir la demande")
        return button


def mes_demandes_par_defaut(user):
    """Chefs de file and experts work on their own demandes: their list opens on them."""
    return bool(roles.directions_ids(user)) and not roles.is_administrateur(user)


class MesDemandesParDefautFilter(filters.MesDemandesFilter):
    """« Mes demandes » with, for a chef de file or an expert, « Demandes que je suis » when the
    URL names no « mes » value and no search (a numéro or a commune is looked for everywhere),
    and « Toutes les demandes » (`?mes=toutes`) one click away."""

    TOUTES = "toutes"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.par_defaut = mes_demandes_par_defaut(request.user)
        if self.par_defaut and not request.GET.get(IndexViewFiltree.SEARCH_VAR, "").strip():
            self.used_parameters.setdefault(self.parameter_name, "suivies")

    def choices(self, changelist):
        choix = list(super().choices(changelist))
        if self.par_defaut:
            # Without the parameter the list is the user's own: "all" needs its own value.
            choix[0].update(
                selected=self.value() in (None, self.TOUTES),
                display="Toutes les demandes",
                query_string=changelist.get_query_string({self.parameter_name: self.TOUTES}),
            )
        return choix


# Status badges coloured by stage (CSS classes in intake/admin/_styles.html).
S = Demande.Statut
ETAPE_STATUT = {
    S.ATTRIBUE_ADMIN: "nouveau",
    S.RECEPTIONNE_ADMIN: "nouveau",
    S.ATTRIBUE_CHEF_DE_FILE: "oriente",
    S.RECEPTIONNE_CHEF_DE_FILE: "oriente",
    S.ATTRIBUE_EXPERT: "oriente",
    S.RECEPTIONNE_EXPERT: "oriente",
    S.EN_COURS: "en-cours",
    S.TERMINE: "clos",
    S.ABANDONNE: "clos",
    S.REJETE: "rejete",
}
JOURS_ALERTE_ECHEANCE = 2  # the issue's « J-2 »: a badge from two days before the deadline


class DemandeIndexView(IndexViewFiltree):
    """The list; `?export=csv|xlsx` streams the current filtered list in the user's scope.
    Only the declared filters, search, page and ordering reach the queryset."""

    _liste = None
    DUREE_TOTAL = 60

    def get_queryset(self, request=None):
        # modeladmin builds the filtered list twice per request (dispatch, then the context):
        # the filters, their choices and the search run once.
        if self._liste is None:
            self._liste = super().get_queryset(request)
        return self._liste

    def apply_select_related(self, qs):
        # The fiche's title as a subquery on its Wagtail page, read for the page's rows only:
        # joining the fiche and its page to the list tripled the time PostgreSQL spends
        # planning the list's query, and a prefetch costs a query and a FichePage per row.
        titre = Page.objects.filter(pk=OuterRef("fiche_id")).values("title")[:1]
        return super().apply_select_related(qs).annotate(fiche_titre=Subquery(titre))

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return exports.reponse(self.request, queryset, spreadsheet_format)

    def get_query_string(self, new_params=None, remove=None):
        """IndexView.get_query_string, the same links, from a plain dict: IndexView deep-copies
        the request's QueryDict for each link, and the filters ask for one per choice (300
        fiches: 300 copies at each display of the list)."""
        params = dict(self.params.items())
        for prefixe in remove or ():
            for key in [key for key in params if key.startswith(prefixe)]:
                del params[key]
        for key, value in (new_params or {}).items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return "?" + urlencode(sorted(params.items()))

    def get_context_data(self, **kwargs):
        # IndexView.get_context_data, counting once instead of three times (all, filtered,
        # paginator) when nothing narrows the user's list, twice otherwise.
        queryset = self.get_queryset()
        paginator = self.paginator_class(queryset, self.items_per_page)
        base = self.get_base_queryset()
        filtree = self.query or base.query.where != queryset.query.where
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        self._page = page_obj.object_list
        context = {
            "view": self,
            "all_count": self.total(base) if filtree else paginator.count,
            "result_count": paginator.count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(self.request.user),
            "show_search": self.search_handler.show_search_form,
        }
        params = self.params.copy()  # the declared parameters only, without the page
        context["export_csv_url"] = "?" + _with(params, export="csv")
        context["export_xlsx_url"] = "?" + _with(params, export="xlsx")
        if roles.directions_ids(self.request.user):
            context["export_direction_url"] = "?mes=direction&export=xlsx"
        if mes_demandes_par_defaut(self.request.user):
            toutes = self.request.GET.get("mes") == MesDemandesParDefautFilter.TOUTES
            if toutes or (self.query.strip() and "mes" not in params):
                context["mes_demandes_url"] = "?" + _with(params, mes="suivies")
            else:
                context["toutes_demandes_url"] = "?" + _with(params, mes=MesDemandesParDefautFilter.TOUTES)
        context.update(kwargs)
        return super(IndexView, self).get_context_data(**context)

    def total(self, base):
        """The « sur Y » of the list's header: counting every demande the user may list costs a
        full scan at 100,000 demandes (20 ms on PostgreSQL) at each display, so it is kept in
        the cache, under the list's query and the last demande's number (a new demande counts
        at once), for at most DUREE_TOTAL seconds (a demande leaving the user's list)."""
        dernier = Demande.objects.order_by("-pk").values_list("pk", flat=True).first()
        cle = "intake:liste:total:" + hashlib.sha256(f"{base.query}|{dernier}".encode()).hexdigest()
        total = cache.get(cle)
        if total is None:
            total = base.count()
            cache.set(cle, total, self.DUREE_TOTAL)
        return total

    def tableau(self):
        """modeladmin's result list (its headers, its cells, its « Ouvrir » buttons), written here
        in one pass: modeladmin's `items_for_result` looks each cell up through the admin's
        generic machinery, reverses the detail URL twice per row and renders two templates per
        row and per cell, which cost more than the cells themselves. Same markup
        (test_backoffice_requetes compares them)."""
        user = self.request.user
        page = list(self._page)
        # Who may open which row: the detail's rule, in one query for the page's rows.
        ouvrables = permissions.ids_visibles_en_detail(user, Demande.objects.filter(pk__in=[d.pk for d in page]))
        principale = self.model_admin.get_list_display_add_buttons(self.request)
        colonnes = [(nom, self._cellule(nom)) for nom in self.list_display]
        # The detail URL reversed once; each row's pk takes the place of the marker.
        marqueur = "987654321"
        url_detail = self.url_helper.get_action_url("inspect", marqueur)
        ouvrir = self.button_helper.inspect_button(marqueur, classnames_add=["button-small"])
        lien = escape(url_detail).replace(marqueur, "{pk}")
        titre_principal = escape(self.button_helper.inspect_button(marqueur)["title"])
        action = (
            f'<ul class="actions"><li><a href="{lien}" class="{escape(ouvrir["classname"])}"'
            f' title="{escape(ouvrir["title"])}">{escape(ouvrir["label"])}</a></li></ul>'
        )
        lignes = []
        for index, obj in enumerate(page):
            ouvrable = obj.pk in ouvrables
            cellules = []
            for nom, (classes, valeur) in colonnes:
                contenu = valeur(obj)
                if nom == principale and ouvrable:
                    adresse = lien.format(pk=obj.pk)
                    contenu = (
                        f'<div class="title-wrapper"><a href="{adresse}" title="{titre_principal}">{contenu}</a></div>'
                        + action.format(pk=obj.pk)
                    )
                cellules.append(f'<td class="{classes}">{contenu}</td>')
            attributs = self.model_admin.get_extra_attrs_for_row(obj, {})
            attributs["data-object-pk"] = obj.pk
            parite = "odd" if index % 2 == 0 else "even"
            attributs["class"] = f"{attributs['class']} {parite}" if "class" in attributs else parite
            lignes.append(mark_safe(f"<tr{flatatt(attributs)}>{''.join(cellules)}</tr>"))  # noqa: S308 - escaped
        return {"entetes": list(result_headers(self)), "lignes": lignes}

    def _cellule(self, nom):
        """(CSS classes, function of a row giving the cell's escaped HTML) of a column: a method
        of the model admin, or a field of the demande (a foreign key shows its text, `nowrap`),
        as modeladmin's items_for_result displays them."""
        vide = self.model_admin.get_empty_value_display(nom)
        methode = getattr(self.model_admin, nom, None)
        classes = f"field-{nom} title"
        if callable(methode):
            lire = methode
        else:
            champ = self.model._meta.get_field(nom)
            classes += " nowrap"

            def lire(obj):
                return display_for_field(getattr(obj, nom), champ, vide)

        def afficher(obj):
            valeur = lire(obj)
            if valeur is None:
                return vide
            texte = conditional_escape(valeur)
            return texte if texte != "" else "&nbsp;"

        return classes, afficher


def _with(params, **extra):
    params = params.copy()
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


class DemandeCreateView(CreateView):
    """ "Create" is the cas 2 form of the intake (URL name intake_depot_partenaire)."""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_create(request.user):
            raise PermissionDenied
        try:
            return redirect(reverse("intake_depot_partenaire"))
        except NoReverseMatch:
            messages.error(request, "Le formulaire d'enregistrement d'une demande reçue n'est pas encore disponible.")
            return redirect(self.index_url)


class DemandeInspectView(InspectView):
    def dispatch(self, request, *args, **kwargs):
        # An outsider guessing URLs gets a 404: not even the existence of the demande.
        if not permissions.peut_voir_detail(request.user, self.instance):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [views.TEMPLATE_DETAIL]

    def get(self, request, *args, **kwargs):
        demande = views.charger_demande(self.instance.pk)
        enregistrer_acces(request.user, demande)
        return views.render_detail(request, demande)


class DemandeAdmin(ModelAdminSecurise):
    model = Demande
    menu_label = "Demandes"
    menu_icon = "list-ul"
    menu_order = 150
    add_to_admin_menu = True
    permission_helper_class = DemandePermissionHelper
    button_helper_class = DemandeButtonHelper
    index_view_class = DemandeIndexView
    create_view_class = DemandeCreateView
    inspect_view_class = DemandeInspectView
    # Same rule as the detail (peut_voir_detail), and a 404 for the others, as the detail.
    history_view_class = refuser_sans_reveler(HistoryViewControlee)
    inspect_view_enabled = True
    index_template_name = "intake/admin/demande_index.html"
    list_per_page = 30
    # The échéance second, so that it shows at 1280 px without scrolling (chefs de file sort on it).
    list_display = (
        "numero_affiche",
        "echeance",
        "statut_badge",
        "theme",
        "fiche_affichee",
        "lieu_affiche",
        "type_affiche",
        "collectivite",
        "structure",
        "direction_affichee",
    )
    list_display_add_buttons = "numero_affiche"
    list_filter = (
        "statut",
        "thematique",
        filters.StructureFilter,
        ("direction", filters.DirectionFilter),
        "type_collectivite",
        filters.EpciFilter,
        filters.AnneeFilter,
        filters.EnRetardFilter,
        MesDemandesParDefautFilter,
        ("fiche", filters.FicheFilter),
    )
    list_select_related = ("thematique", "collectivite", "lieu", "direction__structure")
    search_fields = ("numero", "collectivite__nom", "fiche__title")
    ordering = ("-numero",)
    list_export = ("numero",)  # enables ?export=; the columns are exports.COLONNES

    def edit_view(self, request, instance_pk):
        raise Http404  # a demande changes only through its action URLs

    def delete_view(self, request, instance_pk):
        raise Http404

    @staticmethod
    def _numero(obj):
        return f"n°{obj.numero}"

    def numero_affiche(self, obj):
        return self._numero(obj)

    numero_affiche.short_description = "Numéro"
    numero_affiche.admin_order_field = "numero"

    def theme(self, obj):
        return obj.thematique or "—"

    theme.short_description = "Thème"
    theme.admin_order_field = "thematique__nom"

    def fiche_affichee(self, obj):
        # `fiche_titre`: annotated by the list (DemandeIndexView.apply_select_related).
        return obj.fiche_titre if obj.fiche_id else "Demande libre"

    fiche_affichee.short_description = "Fiche"
    fiche_affichee.admin_order_field = "fiche__title"

    def statut_badge(self, obj):
        return format_html(
            '<span class="w-status demande-statut demande-statut--{} demande-etape--{}">{}</span>',
            obj.statut,
            ETAPE_STATUT.get(obj.statut, "nouveau"),
            obj.get_statut_display(),
        )

    statut_badge.short_description = "Statut"
    statut_badge.admin_order_field = "statut"

    def lieu_affiche(self, obj):
        return obj.lieu.nom if obj.lieu_id else (obj.lieu_precision or obj.collectivite.nom)

    lieu_affiche.short_description = "Lieu"
    lieu_affiche.admin_order_field = "lieu__nom"

    def type_affiche(self, obj):
        return obj.get_type_collectivite_display()

    type_affiche.short_description = "Type"
    type_affiche.admin_order_field = "type_collectivite"

    def structure(self, obj):
        return obj.direction.structure.sigle if obj.direction_id else "—"

    structure.short_description = "Structure"
    structure.admin_order_field = "direction__structure__sigle"

    def direction_affichee(self, obj):
        return obj.direction.libelle_court if obj.direction_id else "—"

    direction_affichee.short_description = "Direction"
    direction_affichee.admin_order_field = "direction__nom"

    def echeance(self, obj):
        date = obj.echeance_premier_contact.strftime("%d/%m/%Y")
        if obj.est_en_retard:
            return format_html('{} <span class="w-status w-status--label demande-retard">En retard</span>', date)
        if obj.premier_contact_le:
            return format_html('{} <span class="w-status demande-contact">Contactée</span>', date)
        restant = (obj.echeance_premier_contact - timezone.localdate()).days
        if not obj.est_close and 0 <= restant <= JOURS_ALERTE_ECHEANCE:
            libelle = f"J-{restant}" if restant else "Aujourd'hui"
            return format_html('{} <span class="w-status w-status--label demande-proche">{}</span>', date, libelle)
        return date

    echeance.short_description = "Échéance"
    echeance.admin_order_field = "echeance_premier_contact"


modeladmin_register(DemandeAdmin)


@hooks.register("register_admin_urls")
def register_suivi_urls():
    return [
        path("intake/demande/suivi/<int:pk>/statut/", views.changer_statut, name="intake_suivi_statut"),
        path("intake/demande/suivi/<int:pk>/affectation/", views.affecter, name="intake_suivi_affectation"),
        path("intake/demande/suivi/<int:pk>/orientation/", views.orienter, name="intake_suivi_orientation"),
        path(
            "intake/demande/suivi/<int:pk>/premier-contact/", views.premier_contact, name="intake_suivi_premier_contact"
        ),
        path("intake/demande/suivi/<int:pk>/journal/", views.ajouter_journal, name="intake_suivi_journal"),
        path("intake/demande/suivi/<int:pk>/correction/", views.corriger, name="intake_suivi_correction"),
        path("intake/piece-jointe/<int:pk>/", views.telecharger_piece_jointe, name="intake_suivi_piece_jointe"),
    ]


class DemandesPanel(Component):
    """A dashboard panel of the admin home: a short list of demandes with a link to each."""

    template_name = "intake/admin/panel_demandes.html"

    def __init__(self, name, titre, demandes, plus_url, order):
        self.name, self.titre, self.demandes, self.plus_url, self.order = name, titre, demandes, plus_url, order

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        items = [{"demande": d, "visible": permissions.peut_voir_detail(user, d)} for d in self.demandes]
        return {"titre": self.titre, "demandes": items, "plus_url": self.plus_url, "panel_id": self.name}


def _a_traiter(user, queryset):
    """Demandes waiting for this user's move now (by status and role)."""
    S = Demande.Statut
    conditions = []
    if roles.is_administrateur(user):
        conditions.append(Q(statut__in=[S.ATTRIBUE_ADMIN, S.RECEPTIONNE_ADMIN, S.REJETE]))
    chef_ids = roles.directions_chef_de_file_ids(user)
    if chef_ids:
        conditions.append(
            Q(direction_id__in=chef_ids, statut__in=[S.ATTRIBUE_CHEF_DE_FILE, S.RECEPTIONNE_CHEF_DE_FILE])
        )
    conditions.append(Q(expert_referent=user, statut__in=[S.ATTRIBUE_EXPERT, S.RECEPTIONNE_EXPERT]))
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return queryset.filter(condition)


@hooks.register("construct_homepage_panels")
def add_demandes_panels(request, panels):
    user = request.user
    if not permissions.peut_voir_liste(user):
        return
    base = (
        Demande.objects.select_related("collectivite", "direction__structure")
        .prefetch_related("directions_associees", "experts_associes")
        .order_by("echeance_premier_contact")
    )
    mes = base if roles.is_administrateur(user) else base.suivies_par(user)
    index = reverse("intake_demande_modeladmin_index")
    panels.append(
        DemandesPanel(
            "demandes-a-traiter",
            "Demandes à traiter maintenant",
            list(_a_traiter(user, base)[:8]),
            index + "?mes=suivies",
            50,
        )
    )
    panels.append(
        DemandesPanel("demandes-en-retard", "Demandes en retard", list(mes.en_retard()[:8]), index + "?retard=oui", 51)
    )
    recentes = mes.order_by("-updated_at")[:8]
    panels.append(DemandesPanel("demandes-recentes", "Demandes mises à jour récemment", list(recentes), index, 52))
