"""The public filing form's page: editors change its texts, the form itself is intake.depot.forms."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from catalogue.visibilite import RestrictionsEnMemoireMixin


class DemandePage(RestrictionsEnMemoireMixin, Page):
    """The page at /demande/ where a commune files a demande (cas 1 of the guide)."""

    introduction = RichTextField("introduction", blank=True, features=["bold", "italic", "link", "ul"])
    donnees_personnelles = RichTextField(
        "information sur les données personnelles", blank=True, features=["bold", "italic", "link", "ul"]
    )
    texte_confirmation = RichTextField(
        "texte de confirmation",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Affiché après l'envoi, sous le numéro de la demande.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("donnees_personnelles"),
        FieldPanel("texte_confirmation"),
    ]
    parent_page_types = ["actualites.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "formulaire de demande"

    # Served by intake.depot.views.servir_formulaire_depot through Wagtail's on_serve_page hook
    # (intake/wagtail_hooks.py): the model knows nothing of the form, the view or the filing.
    def get_template(self, request, *args, **kwargs):
        return "intake/depot_formulaire.html"
