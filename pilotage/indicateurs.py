"""Indicators fed automatically from the platform: each source is a figure of one calendar year
computed by intake's statistics or read from the catalogue. Adding a source is one entry here."""

from catalogue.models import FichePage
from intake.models import Demande
from intake.statistiques import calculs as statistiques


def _filtres(annee):
    return statistiques.Filtres.annee(annee)


def _lignes(annee):
    return statistiques.lignes(_filtres(annee))


def demandes_deposees(annee):
    return statistiques.demandes_filtrees(_filtres(annee)).count()


def part_premier_contact_delais(annee):
    return statistiques.indicateurs_delais(_lignes(annee))["global"]["part"]


def demandes_terminees(annee):
    return statistiques.demandes_filtrees(_filtres(annee)).filter(statut=Demande.Statut.TERMINE).count()


def collectivites_accompagnees(annee):
    return len({row["collectivite_id"] for row in _lignes(annee) if row["collectivite_id"]})


def fiches_publiees(annee):
    """Fiches live at the end of the year (today for the current year)."""
    return FichePage.objects.live().filter(first_published_at__year__lte=annee).count()


def satisfaction_moyenne(annee):
    return statistiques.satisfaction(_filtres(annee))["moyenne"]


# key: (label shown in the form, unit, function of the year)
SOURCES = {
    "demandes_deposees": ("Nombre de demandes déposées dans l'année", "demandes", demandes_deposees),
    "part_premier_contact_delais": ("Part des premiers contacts dans les délais", "%", part_premier_contact_delais),
    "demandes_terminees": ("Nombre de demandes déposées dans l'année et terminées", "demandes", demandes_terminees),
    "collectivites_accompagnees": (
        "Nombre de collectivités ayant déposé une demande",
        "collectivités",
        collectivites_accompagnees,
    ),
    "fiches_publiees": ("Nombre de fiches publiées au catalogue", "fiches", fiches_publiees),
    "satisfaction_moyenne": ("Note moyenne de satisfaction (sur 5)", "/ 5", satisfaction_moyenne),
}
CHOIX = [(cle, libelle) for cle, (libelle, _unite, _fonction) in SOURCES.items()]


def calculer(cle, annee, cache=None):
    """The value of one automatic source for one year; `cache` (a dict) spares a page that shows
    several indicators of the same source from computing it twice."""
    if cle not in SOURCES:
        return None
    if cache is not None and (cle, annee) in cache:
        return cache[(cle, annee)]
    valeur = SOURCES[cle][2](annee)
    if cache is not None:
        cache[(cle, annee)] = valeur
    return valeur
