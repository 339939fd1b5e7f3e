"""Actualités: the news index at /actualites/ and its articles, "projets exemplaires" included."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from actualites.blocks import CorpsBlock
from actualites.models.mixins import FiltresListe, paginer
from actualites.serializers import (
    CollectiviteResumeSerializer,
    PageResumeSerializer,
    StructureResumeSerializer,
    ThematiqueResumeSerializer,
)
from catalogue.visibilite import RestrictionsEnMemoireMixin


class ActualiteIndexPage(RestrictionsEnMemoireMixin, Page):
    """The list of actualités, newest first, filtered by thématique, structure and kind."""

    introduction = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])
    par_page = models.PositiveSmallIntegerField("articles par page", default=10)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("par_page")]
    api_fields = [APIField("introduction")]
    parent_page_types = ["actualites.HomePage"]
    subpage_types = ["actualites.ActualitePage"]
    max_count = 1

    class Meta:
        verbose_name = "liste des actualités"
        verbose_name_plural = "listes des actualités"

    def articles(self):
        return (
            ActualitePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("image")
            .prefetch_related("thematiques", "structures")
            .order_by("-date_publication", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filtres = FiltresListe(request, types=ActualitePage.Genre.choices)
        context["filtres"] = filtres
        context["articles"] = paginer(request, filtres.appliquer(self.articles(), champ_type="genre"), self.par_page)
        return context


class ActualitePage(RestrictionsEnMemoireMixin, Page):
    """A news article; a "projet exemplaire" tells the story of one collectivité's project."""

    class Genre(models.TextChoices):
        ACTUALITE = "actualite", "Actualité"
        PROJET_EXEMPLAIRE = "projet_exemplaire", "Projet exemplaire"

    date_publication = models.DateField("date de publication", default=timezone.localdate)
    genre = models.CharField("type d'article", max_length=20, choices=Genre.choices, default=Genre.ACTUALITE)
    collectivite = models.ForeignKey(
        "intake.Collectivite",
        verbose_name="collectivité concernée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projets_exemplaires",
        help_text="Obligatoire pour un projet exemplaire.",
    )
    chapo = models.TextField("chapô", max_length=600, help_text="En deux ou trois phrases : l'essentiel de l'article.")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_texte_alternatif = models.CharField(
        "texte alternatif de l'image",
        max_length=250,
        blank=True,
        help_text="Ce que l'image montre d'utile au lecteur. Laisser vide si elle est purement décorative.",
    )
    corps = StreamField(CorpsBlock(), verbose_name="corps", blank=True)
    thematiques = ParentalManyToManyField(
        "catalogue.Thematique", verbose_name="thématiques", blank=True, related_name="actualites"
    )
    structures = ParentalManyToManyField(
        "catalogue.Structure", verbose_name="structures partenaires", blank=True, related_name="actualites"
    )
    fiches = ParentalManyToManyField(
        "catalogue.FichePage", verbose_name="fiches du catalogue", blank=True, related_name="actualites"
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("date_publication"), FieldPanel("genre"), FieldPanel("collectivite")], heading="Article"
        ),
        FieldPanel("chapo"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_texte_alternatif")], heading="Image"),
        FieldPanel("corps"),
        MultiFieldPanel(
            [
                FieldPanel("thematiques", widget=forms.CheckboxSelectMultiple),
                FieldPanel("structures", widget=forms.CheckboxSelectMultiple),
                FieldPanel("fiches"),
            ],
            heading="Liens",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("chapo"),
        index.SearchField("corps"),
        index.FilterField("date_publication"),
        index.FilterField("genre"),
    ]
    api_fields = [
        APIField("date_publication"),
        APIField("genre"),
        APIField("chapo"),
        APIField("image"),
        APIField("image_vignette", serializer=ImageRenditionField("fill-800x450", source="image")),
        APIField("image_texte_alternatif"),
        APIField("corps"),
        APIField("collectivite", serializer=CollectiviteResumeSerializer()),
        APIField("thematiques", serializer=ThematiqueResumeSerializer(many=True)),
        APIField("structures", serializer=StructureResumeSerializer(many=True)),
        APIField("fiches", serializer=PageResumeSerializer(many=True)),
    ]
    parent_page_types = ["actualites.ActualiteIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"

    def clean(self):
        super().clean()
        if self.genre == self.Genre.PROJET_EXEMPLAIRE and not self.collectivite_id:
            raise ValidationError({"collectivite": "Un projet exemplaire indique la collectivité concernée."})

    @property
    def est_projet_exemplaire(self):
        return self.genre == self.Genre.PROJET_EXEMPLAIRE

    def fiches_publiees(self):
        return self.fiches.live().public()
