from catalogue.models.organisation import Direction, Membre, Structure
from catalogue.models.pages import CatalogueIndexPage, FicheDocument, FicheMotCle, FichePage, StructurePage
from catalogue.models.reglages import ReglagesCatalogue
from catalogue.models.snippets import Thematique

__all__ = [
    "CatalogueIndexPage",
    "Direction",
    "FicheDocument",
    "FicheMotCle",
    "FichePage",
    "Membre",
    "ReglagesCatalogue",
    "Structure",
    "StructurePage",
    "Thematique",
]
