from actualites.models.agenda import AgendaPage, EvenementPage
from actualites.models.articles import ActualiteIndexPage, ActualitePage
from actualites.models.pages import HomePage, StandardPage
from actualites.models.reglages import ParametresSite
from actualites.models.ressources import RessourceIndexPage, RessourcePage, collection_reservee

__all__ = [
    "ActualiteIndexPage",
    "ActualitePage",
    "AgendaPage",
    "EvenementPage",
    "HomePage",
    "ParametresSite",
    "RessourceIndexPage",
    "RessourcePage",
    "StandardPage",
    "collection_reservee",
]
