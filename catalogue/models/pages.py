"""The public catalogue: index → partner pages → fiches d'accompagnement."""

from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from catalogue import recherche_texte
from catalogue.blocks import ContenuFicheBlock
from catalogue.enums import CoutFiche, NatureFiche, TypeCollectivite, delai_rappel_jours
from catalogue.fields import TypesCollectiviteField
from catalogue.visibilite import RestrictionsEnMemoireMixin


class CatalogueIndexPage(RestrictionsEnMemoireMixin, Page):
    """The catalogue's front door (/catalogue/): every fiche, by thématique."""

    introduction = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["actualites.HomePage"]
    subpage_types = ["catalogue.StructurePage"]
    max_count = 1

    class Meta:
        verbose_name = "catalogue des accompagnements"

    def redirection_criteres_vides(self, request):
        """The filters form sends every field, even empty: a redirect to the short URL that holds
        only the chosen criteria, so that the address bar is clean and shareable (None if it is)."""
        if any(value.strip() == "" for value in request.GET.values()):
            query = request.GET.copy()
            for key in [key for key, value in request.GET.items() if value.strip() == ""]:
                del query[key]
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return None

    def route(self, request, path_components):
        """A partner page or a fiche found by its url_path in one query, its related rows joined,
        instead of Wagtail's two queries per level (the child, then its specific page). Anything
        else (another page type, an unknown path) goes through Wagtail's walk, which decides."""
        if 1 <= len(path_components) <= 2:
            modele = StructurePage if len(path_components) == 1 else FichePage
            pages = modele.objects.filter(
                url_path=f"{self.url_path}{'/'.join(path_components)}/",
                depth=self.depth + len(path_components),
                path__startswith=self.path,
            )
            if modele is FichePage:
                # What the fiche's page shows: its thématique, its chef de file's structure and
                # that structure's page (a reverse one-to-one, joined too).
                pages = pages.select_related("thematique", "chef_de_file__structure__page")
            page = pages.first()
            if page is not None:
                if modele is StructurePage:
                    page._cached_parent_obj = self
                else:
                    page.catalogue_index_parcouru = self
                return page.route(request, [])
        return super().route(request, path_components)

    # Its search, results and partner list are built by catalogue.recherche.contexte_catalogue, through
    # Wagtail's on_serve_page hook (catalogue/wagtail_hooks.py): the search reads these models.


class StructurePage(RestrictionsEnMemoireMixin, Page):
    """A partner's own page, maintained by the partner, parent of the fiches it leads."""

    structure = models.OneToOneField(
        "catalogue.Structure", verbose_name="structure", on_delete=models.PROTECT, related_name="page"
    )
    presentation = RichTextField("présentation", blank=True, features=["bold", "italic", "link", "ul", "ol", "h3"])
    missions = RichTextField("missions", blank=True, features=["bold", "italic", "link", "ul", "ol", "h3"])
    contacts = RichTextField("contacts", blank=True, features=["bold", "italic", "link", "ul"])
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Par défaut, le logo de la structure.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("structure", permission="catalogue.change_structure"),
        FieldPanel("logo"),
        FieldPanel("presentation"),
        FieldPanel("missions"),
        FieldPanel("contacts"),
    ]
    search_fields = Page.search_fields + [index.SearchField("presentation"), index.SearchField("missions")]
    api_fields = [
        APIField("structure"),
        APIField("logo"),
        APIField("presentation"),
        APIField("missions"),
        APIField("contacts"),
    ]
    parent_page_types = ["catalogue.CatalogueIndexPage"]
    subpage_types = ["catalogue.FichePage"]

    class Meta:
        verbose_name = "page partenaire"
        verbose_name_plural = "pages partenaires"

    @property
    def logo_affiche(self):
        return self.logo or self.structure.logo

    def fiches(self):
        """Live fiches this structure leads or co-leads, wherever they sit in the tree."""
        return (
            FichePage.objects.live()
            .public()
            .filter(Q(chef_de_file__structure=self.structure_id) | Q(co_chefs_de_file__structure=self.structure_id))
            .distinct()
            .select_related("thematique", "chef_de_file__structure")
            .order_by("thematique__ordre", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        fiches = list(self.fiches())
        context["fiches_pilotees"] = [
            fiche for fiche in fiches if fiche.chef_de_file and fiche.chef_de_file.structure_id == self.structure_id
        ]
        context["fiches_copilotees"] = [fiche for fiche in fiches if fiche not in context["fiches_pilotees"]]
        return context


class ThematiqueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nom = serializers.CharField()
    slug = serializers.CharField()


class StructureSerializer(serializers.Serializer):
    """A partner structure, as every API field shows it (fiches, actualités, agenda, ressources)."""

    id = serializers.IntegerField()
    nom = serializers.CharField()
    sigle = serializers.CharField()
    slug = serializers.CharField()


class ChefDeFileSerializer(serializers.Serializer):
    """A direction with its structure, as the API shows who leads a fiche."""

    id = serializers.IntegerField()
    nom = serializers.CharField()
    sigle = serializers.CharField()
    structure = StructureSerializer()


class FicheMotCle(TaggedItemBase):
    content_object = ParentalKey("catalogue.FichePage", on_delete=models.CASCADE, related_name="mots_cles_items")


class FichePage(RestrictionsEnMemoireMixin, Page):
    """A fiche d'accompagnement: one kind of support a commune can ask for."""

    thematique = models.ForeignKey(
        "catalogue.Thematique", verbose_name="thématique", on_delete=models.PROTECT, null=True, related_name="fiches"
    )
    chapo = models.TextField("chapô", max_length=600, help_text="En une ou deux phrases : ce que la fiche apporte.")
    description = StreamField(ContenuFicheBlock(), verbose_name="description", blank=True)
    beneficiaires = TypesCollectiviteField("bénéficiaires", default=list, blank=True)
    nature = models.CharField(
        "nature",
        max_length=20,
        choices=NatureFiche.choices,
        default=NatureFiche.COMPLEXE,
        help_text="Assistance urgente : premier contact sous 3 jours ; accompagnement complexe : sous 10 jours.",
    )
    cout = models.CharField("coût", max_length=20, choices=CoutFiche.choices, default=CoutFiche.GRATUIT)
    cout_precision = models.CharField("précision sur le coût", max_length=250, blank=True)
    chef_de_file = models.ForeignKey(
        "catalogue.Direction", verbose_name="chef de file", on_delete=models.PROTECT, null=True, related_name="fiches"
    )
    co_chefs_de_file = ParentalManyToManyField(
        "catalogue.Direction", verbose_name="co-chefs de file", blank=True, related_name="fiches_co_pilotees"
    )
    directions_associees = ParentalManyToManyField(
        "catalogue.Direction", verbose_name="directions souvent associées", blank=True, related_name="fiches_associees"
    )
    contact_nom = models.CharField("contact", max_length=150, blank=True)
    contact_courriel = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=30, blank=True)
    mots_cles = ClusterTaggableManager("mots-clés", through=FicheMotCle, blank=True)
    millesime = models.PositiveSmallIntegerField(
        "millésime", null=True, blank=True, help_text="Année de la dernière validation."
    )
    demande_en_ligne = models.BooleanField("demande en ligne possible", default=True)

    content_panels = Page.content_panels + [
        FieldPanel("thematique"),
        FieldPanel("chapo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("beneficiaires"), FieldPanel("nature"), FieldPanel("cout"), FieldPanel("cout_precision")],
            heading="Pour qui, à quel coût, dans quel délai",
        ),
        MultiFieldPanel(
            [FieldPanel("chef_de_file"), FieldPanel("co_chefs_de_file"), FieldPanel("directions_associees")],
            heading="Pilotage",
        ),
        MultiFieldPanel(
            [FieldPanel("contact_nom"), FieldPanel("contact_courriel"), FieldPanel("contact_telephone")],
            heading="Contact",
        ),
        InlinePanel("documents", label="Documents"),
        FieldPanel("mots_cles"),
        MultiFieldPanel(
            [FieldPanel("millesime", read_only=True), FieldPanel("demande_en_ligne")], heading="Publication"
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("chapo"),
        index.SearchField("description"),
        index.RelatedFields("mots_cles", [index.SearchField("name")]),
        index.SearchField("texte_recherche"),
        index.FilterField("thematique"),
        index.FilterField("chef_de_file"),
        index.FilterField("nature"),
        index.FilterField("millesime"),
        index.FilterField("demande_en_ligne"),
    ]
    api_fields = [
        APIField("thematique", serializer=ThematiqueSerializer()),
        APIField("chapo"),
        APIField("description"),
        APIField("beneficiaires"),
        APIField("beneficiaires_libelles"),
        APIField("nature"),
        APIField("delai_rappel_jours"),
        APIField("cout"),
        APIField("cout_precision"),
        APIField("chef_de_file", serializer=ChefDeFileSerializer()),
        APIField("co_chefs_de_file", serializer=ChefDeFileSerializer(many=True)),
        APIField("directions_associees", serializer=ChefDeFileSerializer(many=True)),
        APIField("contact_nom"),
        APIField("contact_courriel"),
        APIField("contact_telephone"),
        APIField("mots_cles"),
        APIField("millesime"),
        APIField("demande_en_ligne"),
    ]
    parent_page_types = ["catalogue.StructurePage"]
    subpage_types = []

    class Meta:
        verbose_name = "fiche d'accompagnement"
        verbose_name_plural = "fiches d'accompagnement"

    @property
    def delai_rappel_jours(self):
        return delai_rappel_jours(self.nature)

    @property
    def beneficiaires_libelles(self):
        libelles = dict(TypeCollectivite.choices)
        return [libelles.get(code, code) for code in self.beneficiaires]

    def texte_recherche(self):
        """Stems of the title, chapô, description, thématique and mots-clés, with their synonyms
        (catalogue.recherche_texte): what a plain French query is matched against."""
        description = self._meta.get_field("description").get_searchable_content(self.description)
        etiquettes = [mot.name for mot in self.mots_cles.all()]
        if self.thematique_id:
            etiquettes.append(self.thematique.nom)
        return recherche_texte.texte_indexe(titre=self.title, etiquettes=etiquettes, autres=[self.chapo, *description])

    def page_structure_chef_de_file(self):
        """The live partner page of the chef de file's structure, if any (joined by the route)."""
        if not self.chef_de_file_id:
            return None
        try:
            page = self.chef_de_file.structure.page
        except StructurePage.DoesNotExist:
            return None
        return page if page.live else None

    def est_a_jour(self, millesime):
        return self.millesime is not None and self.millesime >= millesime

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["co_chefs_de_file"] = list(self.co_chefs_de_file.select_related("structure"))
        context["directions_associees"] = list(self.directions_associees.select_related("structure"))
        context["documents"] = list(self.documents.select_related("document"))
        context["mots_cles"] = list(self.mots_cles.all())
        context["structure_page"] = self.page_structure_chef_de_file()
        # The index the request came through (CatalogueIndexPage.route), else looked up.
        index = getattr(self, "catalogue_index_parcouru", None)
        if index is None or not index.live:
            index = CatalogueIndexPage.objects.ancestor_of(self).live().first()
        context["catalogue_index"] = index
        return context


class FicheDocument(Orderable):
    page = ParentalKey(FichePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="document", on_delete=models.CASCADE, related_name="+"
    )
    libelle = models.CharField("libellé", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("libelle")]

    class Meta(Orderable.Meta):
        verbose_name = "document de la fiche"
