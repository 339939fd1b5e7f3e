"""Vocabularies shared by the catalogue and the intake."""

from django.db import models


class TypeCollectivite(models.TextChoices):
    COMMUNE = "commune", "Commune"
    CC = "cc", "Communauté de communes"
    CA = "ca", "Communauté d'agglomération"
    CU = "cu", "Communauté urbaine"
    METROPOLE = "metropole", "Métropole"
    SYNDICAT = "syndicat", "Syndicat"
    PETR = "petr", "PETR / pays"
    AUTRE = "autre", "Autre"

    @classmethod
    def epci(cls):
        return [cls.CC, cls.CA, cls.CU, cls.METROPOLE]


class NatureFiche(models.TextChoices):
    """The guide's two promises: call back within 3 days (urgent) or 10 days (complex)."""

    URGENTE = "urgente", "Assistance urgente"
    COMPLEXE = "complexe", "Accompagnement complexe"

    @property
    def delai_rappel_jours(self):
        return delai_rappel_jours(self)


DELAI_RAPPEL_JOURS = {NatureFiche.URGENTE: 3, NatureFiche.COMPLEXE: 10}
# A free request has no fiche: the guide's default delay for complex projects applies.
DELAI_RAPPEL_PAR_DEFAUT = DELAI_RAPPEL_JOURS[NatureFiche.COMPLEXE]


def delai_rappel_jours(nature):
    """The one rule for the callback delay: 3 days for an urgent fiche, 10 otherwise
    (complex fiche, or no nature at all: a demande libre)."""
    if not nature:
        return DELAI_RAPPEL_PAR_DEFAUT
    return DELAI_RAPPEL_JOURS[NatureFiche(nature)]


class CoutFiche(models.TextChoices):
    GRATUIT = "gratuit", "Gratuit"
    ADHESION = "adhesion", "Compris dans l'adhésion"
    SUR_DEVIS = "sur_devis", "Sur devis"
    PARTICIPATION = "participation", "Participation forfaitaire"
