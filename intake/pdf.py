"""The accusé de réception as a PDF letter (WeasyPrint): a filing is an official referral
to the Président du Département, so the letter carries the Président's signature block."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def nom_fichier_accuse(demande):
    return f"accuse-reception-demande-{demande.numero}.pdf"


def rendre_accuse_pdf(demande) -> bytes:
    from weasyprint import HTML

    from intake.services import lien_suivi

    html = render_to_string(
        "intake/depot_accuse_pdf.html",
        {
            "demande": demande,
            "plateforme": settings.PLATEFORME,
            "lien_suivi": lien_suivi(demande),
            "date_depot": timezone.localtime(demande.created_at),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
