"""Site settings edited in the Wagtail admin: navigation, footer and the contact block."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from catalogue import cache_worker


class LienValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        return page.url if page else self.get("adresse")

    def texte(self):
        page = self.get("page")
        return self.get("libelle") or (page.title if page else self.get("adresse"))


class LienBlock(blocks.StructBlock):
    """A menu entry: a page of the site or an address (e.g. /demande/)."""

    libelle = blocks.CharBlock(label="Libellé", required=False, help_text="Par défaut, le titre de la page.")
    page = blocks.PageChooserBlock(label="Page", required=False)
    adresse = blocks.CharBlock(
        label="Adresse", required=False, help_text="À défaut de page : « /demande/ » ou une adresse complète."
    )
    mise_en_avant = blocks.BooleanBlock(label="Afficher comme un bouton", required=False)

    class Meta:
        icon = "link"
        label = "Lien"
        value_class = LienValue

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("adresse"):
            raise blocks.StructBlockValidationError(
                {"page": ValidationError("Choisir une page ou saisir une adresse.")}
            )
        return value


@register_setting(icon="cog")
class ParametresSite(BaseSiteSetting):
    """Navigation, footer links, the platform team's contact block and the default sharing image."""

    navigation = StreamField([("lien", LienBlock())], verbose_name="navigation principale", blank=True)
    liens_pied = StreamField([("lien", LienBlock())], verbose_name="liens du pied de page", blank=True)
    contact_intitule = models.CharField(
        "intitulé du contact", max_length=200, blank=True, help_text="Par défaut, le nom de la plateforme."
    )
    contact_adresse = models.TextField(
        "adresse postale", blank=True, help_text="Par défaut, celle des réglages du serveur."
    )
    contact_courriel = models.EmailField("courriel", blank=True)
    contact_telephone = models.CharField("téléphone", max_length=30, blank=True)
    image_partage = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image de partage par défaut",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Montrée par les réseaux sociaux quand une page n'a pas d'image (Open Graph).",
    )

    panels = [
        FieldPanel("navigation"),
        FieldPanel("liens_pied"),
        MultiFieldPanel(
            [
                FieldPanel("contact_intitule"),
                FieldPanel("contact_adresse"),
                FieldPanel("contact_courriel"),
                FieldPanel("contact_telephone"),
            ],
            heading="Contact de l'équipe de la plateforme",
        ),
        FieldPanel("image_partage"),
    ]

    class Meta:
        verbose_name = "paramètres du site"

    @classmethod
    def for_site(cls, site):
        """Wagtail's reading (created when missing), kept by the worker (catalogue.cache_worker:
        a save changes the page cache's generation); each caller gets its own copy, on which
        for_request sets the request."""
        if site is None:
            return super().for_site(site)
        parametres = cache_worker.memoriser(
            ("parametres_site", site.pk), lambda: super(ParametresSite, cls).for_site(site)
        )
        return cache_worker.copie(parametres)

    @property
    def contact(self):
        """The contact block, each blank field falling back to settings.PLATEFORME."""
        plateforme = settings.PLATEFORME
        return {
            "intitule": self.contact_intitule or plateforme["NOM"],
            "adresse": self.contact_adresse or plateforme["ADRESSE"],
            "courriel": self.contact_courriel or plateforme["COURRIEL"],
            "telephone": self.contact_telephone or plateforme["TELEPHONE"],
        }
