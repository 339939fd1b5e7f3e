"""The agenda: salon des maires, journée de l'ingénierie, formations, comités…"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from actualites.blocks import CorpsBlock
from actualites.models.mixins import FiltresListe, paginer
from actualites.serializers import StructureResumeSerializer, ThematiqueResumeSerializer
from catalogue.visibilite import RestrictionsEnMemoireMixin


def evenements_publics():
    return EvenementPage.objects.live().public().prefetch_related("thematiques", "structures")


def a_venir(queryset, maintenant=None):
    """Events not yet over (an event without an end is over when it starts)."""
    maintenant = maintenant or timezone.now()
    return (
        queryset.annotate(fin_effective=Coalesce("date_fin", "date_debut"))
        .filter(fin_effective__gte=maintenant)
        .order_by("date_debut", "pk")
    )


def passes(queryset, maintenant=None):
    maintenant = maintenant or timezone.now()
    return (
        queryset.annotate(fin_effective=Coalesce("date_fin", "date_debut"))
        .filter(fin_effective__lt=maintenant)
        .order_by("-date_debut", "-pk")
    )


class AgendaPage(RestrictionsEnMemoireMixin, Page):
    """The agenda: upcoming events first, then past ones, and the iCalendar export."""

    introduction = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    api_fields = [APIField("introduction")]
    parent_page_types = ["actualites.HomePage"]
    subpage_types = ["actualites.EvenementPage"]
    max_count = 1

    class Meta:
        verbose_name = "agenda"
        verbose_name_plural = "agendas"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filtres = FiltresListe(request, types=EvenementPage.Type.choices)
        evenements = filtres.appliquer(evenements_publics().descendant_of(self), champ_type="type_evenement")
        context["filtres"] = filtres
        context["a_venir"] = a_venir(evenements)
        context["passes"] = paginer(request, passes(evenements), 10)
        return context


class EvenementPage(RestrictionsEnMemoireMixin, Page):
    """An event of the network, with its date, place and registration link."""

    class Type(models.TextChoices):
        SALON = "salon", "Salon"
        JOURNEE = "journee", "Journée, rencontre"
        FORMATION = "formation", "Formation, atelier"
        COMITE = "comite", "Comité, instance"
        WEBINAIRE = "webinaire", "Webinaire"
        AUTRE = "autre", "Autre"

    type_evenement = models.CharField("type d'événement", max_length=20, choices=Type.choices, default=Type.JOURNEE)
    date_debut = models.DateTimeField("début")
    date_fin = models.DateTimeField("fin", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200, help_text="Nom du lieu, ou « En ligne ».")
    adresse = models.CharField("adresse", max_length=250, blank=True)
    lien_inscription = models.URLField("lien d'inscription", blank=True)
    inscription_close_le = models.DateField("inscriptions jusqu'au", null=True, blank=True)
    chapo = models.TextField("chapô", max_length=600)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_texte_alternatif = models.CharField("texte alternatif de l'image", max_length=250, blank=True)
    corps = StreamField(CorpsBlock(), verbose_name="programme et informations", blank=True)
    thematiques = ParentalManyToManyField(
        "catalogue.Thematique", verbose_name="thématiques", blank=True, related_name="evenements"
    )
    structures = ParentalManyToManyField(
        "catalogue.Structure", verbose_name="organisé par", blank=True, related_name="evenements"
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("type_evenement"),
                FieldRowPanel([FieldPanel("date_debut"), FieldPanel("date_fin")]),
                FieldPanel("lieu"),
                FieldPanel("adresse"),
                FieldRowPanel([FieldPanel("lien_inscription"), FieldPanel("inscription_close_le")]),
            ],
            heading="Quand, où, comment s'inscrire",
        ),
        FieldPanel("chapo"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_texte_alternatif")], heading="Image"),
        FieldPanel("corps"),
        MultiFieldPanel(
            [
                FieldPanel("thematiques", widget=forms.CheckboxSelectMultiple),
                FieldPanel("structures", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Liens",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("chapo"),
        index.SearchField("lieu"),
        index.SearchField("corps"),
        index.FilterField("date_debut"),
        index.FilterField("type_evenement"),
    ]
    api_fields = [
        APIField("type_evenement"),
        APIField("date_debut"),
        APIField("date_fin"),
        APIField("lieu"),
        APIField("adresse"),
        APIField("lien_inscription"),
        APIField("inscription_close_le"),
        APIField("chapo"),
        APIField("image"),
        APIField("image_vignette", serializer=ImageRenditionField("fill-800x450", source="image")),
        APIField("image_texte_alternatif"),
        APIField("corps"),
        APIField("thematiques", serializer=ThematiqueResumeSerializer(many=True)),
        APIField("structures", serializer=StructureResumeSerializer(many=True)),
    ]
    parent_page_types = ["actualites.AgendaPage"]
    subpage_types = []

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"

    def clean(self):
        super().clean()
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La fin ne peut pas précéder le début."})

    @property
    def fin(self):
        return self.date_fin or self.date_debut

    @property
    def est_passe(self):
        return self.fin < timezone.now()

    @property
    def inscriptions_ouvertes(self):
        if not self.lien_inscription or self.est_passe:
            return False
        return not self.inscription_close_le or self.inscription_close_le >= timezone.localdate()
