"""StreamField blocks of the editorial pages (articles, events, standard pages)."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class IntertitreBlock(blocks.StructBlock):
    texte = blocks.CharBlock(label="Texte")
    niveau = blocks.ChoiceBlock(
        label="Niveau", choices=[("h2", "Intertitre (niveau 2)"), ("h3", "Sous-intertitre (niveau 3)")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "Intertitre"
        template = "actualites/blocks/intertitre.html"


class CitationBlock(blocks.StructBlock):
    citation = blocks.TextBlock(label="Citation")
    source = blocks.CharBlock(label="Source", required=False, help_text="Nom et fonction de la personne citée.")

    class Meta:
        icon = "openquote"
        label = "Citation"
        template = "actualites/blocks/citation.html"


class ImageLegendeeBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Image")
    texte_alternatif = blocks.CharBlock(
        label="Texte alternatif",
        required=False,
        help_text="Ce que l'image apporte au lecteur qui ne la voit pas. Laisser vide si elle est décorative.",
    )
    legende = blocks.CharBlock(label="Légende", required=False)

    class Meta:
        icon = "image"
        label = "Image"
        template = "actualites/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    libelle = blocks.CharBlock(label="Libellé", required=False, help_text="Par défaut, le titre du document.")

    class Meta:
        icon = "doc-full"
        label = "Document"
        template = "actualites/blocks/document.html"


class CorpsBlock(blocks.StreamBlock):
    """Body of an article, an event or a standard page."""

    intertitre = IntertitreBlock()
    paragraphe = blocks.RichTextBlock(
        label="Paragraphe", features=["bold", "italic", "link", "document-link", "ul", "ol", "h3", "h4"]
    )
    citation = CitationBlock()
    image = ImageLegendeeBlock()
    document = DocumentBlock()
    video = EmbedBlock(
        label="Vidéo ou contenu intégré", help_text="Adresse d'une vidéo (YouTube, Dailymotion, Vimeo…)."
    )
