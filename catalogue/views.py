from django.http import FileResponse, JsonResponse
from django.views.decorators.http import require_GET

from catalogue.guide import chemin_guide
from catalogue.models import ReglagesCatalogue
from catalogue.recherche import suggestions as fiches_suggerees


def guide_pdf(request):
    """The printable guide of the published catalogue (rendered once per catalogue change)."""
    chemin = chemin_guide()
    nom = f"guide-plateforme-{ReglagesCatalogue.millesime_en_cours()}.pdf"
    return FileResponse(chemin.open("rb"), content_type="application/pdf", filename=nom, as_attachment=False)


@require_GET
def suggestions(request):
    """Fiche titles for the catalogue's search field while typing (progressive enhancement)."""
    texte = request.GET.get("q", "")[:100]
    return JsonResponse(
        {"suggestions": [{"titre": fiche.title, "url": fiche.url} for fiche in fiches_suggerees(texte)]}
    )
