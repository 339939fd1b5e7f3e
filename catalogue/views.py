from django.http import FileResponse

from catalogue.guide import chemin_guide
from catalogue.models import ReglagesCatalogue


def guide_pdf(request):
    """The printable guide of the published catalogue (rendered once per catalogue change)."""
    chemin = chemin_guide()
    nom = f"guide-plateforme-{ReglagesCatalogue.millesime_en_cours()}.pdf"
    return FileResponse(chemin.open("rb"), content_type="application/pdf", filename=nom, as_attachment=False)
