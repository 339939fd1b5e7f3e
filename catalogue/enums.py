"""Vocabularies shared by the catalogue and the intake (DESIGN.md §2)."""

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
        return DELAI_RAPPEL_JOURS[self]


DELAI_RAPPEL_JOURS = {NatureFiche.URGENTE: 3, NatureFiche.COMPLEXE: 10}
# A free request has no fiche: the guide's default delay for complex projects applies.
DELAI_RAPPEL_PAR_DEFAUT = DELAI_RAPPEL_JOURS[NatureFiche.COMPLEXE]


class CoutFiche(models.TextChoices):
    GRATUIT = "gratuit", "Gratuit"
    ADHESION = "adhesion", "Compris dans l'adhésion"
    SUR_DEVIS = "sur_devis", "Sur devis"
    PARTICIPATION = "participation", "Participation forfaitaire"
