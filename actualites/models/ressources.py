"""Ressources: a library of documents (guides, modèles, présentations), some reserved to the network.

A reserved ressource is protected twice, because page privacy does not protect a page's
documents: the page gets a "login" view restriction and its document is kept in the
"Ressources réservées" collection, which has a "login" restriction of its own.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.search import index

from actualites.models.mixins import FiltresListe, paginer
from actualites.serializers import DocumentResumeSerializer, StructureResumeSerializer, ThematiqueResumeSerializer
from catalogue.visibilite import RestrictionsEnMemoireMixin

NOM_COLLECTION_RESERVEE = "Ressources réservées"


def collection_reservee():
    """The collection whose documents only logged-in users may download (created on first use)."""
    collection = Collection.objects.filter(name=NOM_COLLECTION_RESERVEE, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=NOM_COLLECTION_RESERVEE)
    if not CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    ).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def collection_est_restreinte(collection):
    return bool(collection) and collection.get_view_restrictions().exists()


class RessourceIndexPage(RestrictionsEnMemoireMixin, Page):
    """The library: ressources filtered by thématique, structure and type."""

    introduction = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    api_fields = [APIField("introduction")]
    parent_page_types = ["actualites.HomePage"]
    subpage_types = ["actualites.RessourcePage"]
    max_count = 1

    class Meta:
        verbose_name = "bibliothèque de ressources"
        verbose_name_plural = "bibliothèques de ressources"

    def ressources(self, request):
        queryset = RessourcePage.objects.live().descendant_of(self)
        if not request.user.is_authenticated:
            # Reserved ressources carry a login restriction: anonymous visitors never see them listed.
            queryset = queryset.public()
        return (
            queryset.select_related("document")
            .prefetch_related("thematiques", "structures")
            .order_by("-date_publication", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filtres = FiltresListe(request, types=RessourcePage.Type.choices)
        context["filtres"] = filtres
        context["ressources"] = paginer(
            request, filtres.appliquer(self.ressources(request), champ_type="type_ressource"), 20
        )
        return context


class RessourcePage(RestrictionsEnMemoireMixin, Page):
    """One document of the library, described and linked to the catalogue."""

    class Type(models.TextChoices):
        GUIDE = "guide", "Guide"
        MODELE = "modele", "Modèle de document"
        PRESENTATION = "presentation", "Présentation"
        ETUDE = "etude", "Étude, observatoire"
        FICHE_PRATIQUE = "fiche_pratique", "Fiche pratique"
        COMPTE_RENDU = "compte_rendu", "Compte rendu"

    type_ressource = models.CharField("type de ressource", max_length=20, choices=Type.choices, default=Type.GUIDE)
    date_publication = models.DateField("date de publication", default=timezone.localdate)
    resume = models.TextField("résumé", max_length=800)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="document", on_delete=models.PROTECT, related_name="+"
    )
    reservee = models.BooleanField(
        "réservée au réseau",
        default=False,
        help_text=(
            "Visible seulement des utilisateurs connectés. À la publication, la page est protégée par "
            "connexion et le document est rangé dans la collection « Ressources réservées »."
        ),
    )
    thematiques = ParentalManyToManyField(
        "catalogue.Thematique", verbose_name="thématiques", blank=True, related_name="ressources"
    )
    structures = ParentalManyToManyField(
        "catalogue.Structure", verbose_name="structures partenaires", blank=True, related_name="ressources"
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("type_ressource"),
                FieldPanel("date_publication"),
                FieldPanel("document"),
                FieldPanel("reservee"),
            ],
            heading="Document",
        ),
        FieldPanel("resume"),
        MultiFieldPanel(
            [
                FieldPanel("thematiques", widget=forms.CheckboxSelectMultiple),
                FieldPanel("structures", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Liens",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("resume"),
        index.FilterField("type_ressource"),
        index.FilterField("reservee"),
    ]
    api_fields = [
        APIField("type_ressource"),
        APIField("date_publication"),
        APIField("resume"),
        APIField("document", serializer=DocumentResumeSerializer()),
        APIField("thematiques", serializer=ThematiqueResumeSerializer(many=True)),
        APIField("structures", serializer=StructureResumeSerializer(many=True)),
    ]
    parent_page_types = ["actualites.RessourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"

    def clean(self):
        super().clean()
        if self.document_id and not self.reservee and collection_est_restreinte(self.document.collection):
            raise ValidationError(
                {
                    "reservee": "Le document est dans une collection réservée : cochez « réservée au réseau » ou choisissez un autre document."
                }
            )

    @transaction.atomic
    def appliquer_reservation(self):
        """Make page privacy and the document's collection match `reservee` (called on publish)."""
        restrictions = PageViewRestriction.objects.filter(page=self, restriction_type=PageViewRestriction.LOGIN)
        if self.reservee:
            if not restrictions.exists():
                PageViewRestriction.objects.create(page=self, restriction_type=PageViewRestriction.LOGIN)
            document = self.document
            if not collection_est_restreinte(document.collection):
                document.collection = collection_reservee()
                document.save(update_fields=["collection"])
        else:
            restrictions.delete()
