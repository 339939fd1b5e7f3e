"""What articles, events and ressources share: their links to the catalogue, and list filters."""

from django.core.paginator import Paginator

from catalogue.models import Structure, Thematique


class FiltresListe:
    """Filters of a list page read from the query string (?thematique=, ?structure=, ?type=)."""

    def __init__(self, request, types=None):
        self.thematique = Thematique.objects.filter(slug=request.GET.get("thematique") or None).first()
        self.structure = Structure.objects.filter(slug=request.GET.get("structure") or None).first()
        self.types = types or []
        valeur_type = request.GET.get("type", "")
        self.type = valeur_type if valeur_type in dict(self.types) else ""
        self.thematiques = Thematique.objects.order_by("ordre", "nom")
        self.structures = Structure.objects.order_by("ordre", "nom")

    @property
    def actifs(self):
        return bool(self.thematique or self.structure or self.type)

    def appliquer(self, queryset, champ_type=None):
        if self.thematique:
            queryset = queryset.filter(thematiques=self.thematique)
        if self.structure:
            queryset = queryset.filter(structures=self.structure)
        if self.type and champ_type:
            queryset = queryset.filter(**{champ_type: self.type})
        return queryset.distinct()

    def query_string(self):
        """The active filters, to keep them in pagination links."""
        parts = []
        if self.thematique:
            parts.append(f"thematique={self.thematique.slug}")
        if self.structure:
            parts.append(f"structure={self.structure.slug}")
        if self.type:
            parts.append(f"type={self.type}")
        return "&".join(parts)


def paginer(request, queryset, par_page):
    return Paginator(queryset, par_page).get_page(request.GET.get("page"))
