from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class EncadreBlock(blocks.StructBlock):
    titre = blocks.CharBlock(label="Titre")
    texte = blocks.RichTextBlock(label="Texte", features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "pick"
        label = "Encadré"
        template = "catalogue/blocks/encadre.html"


class ContenuFicheBlock(blocks.StreamBlock):
    """Body of a fiche: objectifs, contenu, modalités, conditions as titled sections."""

    intertitre = blocks.CharBlock(
        label="Intertitre", form_classname="title", template="catalogue/blocks/intertitre.html"
    )
    paragraphe = blocks.RichTextBlock(
        label="Paragraphe", features=["bold", "italic", "link", "document-link", "ul", "ol", "h3", "h4"]
    )
    encadre = EncadreBlock()
    document = DocumentChooserBlock(label="Document", template="catalogue/blocks/document.html")
