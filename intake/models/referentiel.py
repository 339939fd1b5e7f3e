from django.db import models
from simple_history.models import HistoricalRecords

from catalogue.enums import TypeCollectivite


class CollectiviteQuerySet(models.QuerySet):
    def communes(self):
        return self.filter(type=TypeCollectivite.COMMUNE)

    def epci(self):
        return self.filter(type__in=TypeCollectivite.epci())


class Collectivite(models.Model):
    """A commune or an EPCI of the official referential (Etalab découpage administratif)."""

    code = models.CharField(
        "code officiel", max_length=9, unique=True, help_text="Code INSEE pour une commune, SIREN pour un EPCI."
    )
    siren = models.CharField("SIREN", max_length=9, blank=True, db_index=True)
    nom = models.CharField("nom", max_length=200, db_index=True)
    type = models.CharField("type", max_length=20, choices=TypeCollectivite.choices)
    epci = models.ForeignKey(
        "self", verbose_name="EPCI", null=True, blank=True, on_delete=models.SET_NULL, related_name="communes_membres"
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    codes_postaux = models.JSONField("codes postaux", default=list, blank=True)
    departement = models.CharField("département", max_length=3, db_index=True)
    active = models.BooleanField(
        "active", default=True, help_text="Décochée quand la collectivité disparaît du référentiel (fusion…)."
    )

    history = HistoricalRecords()
    objects = CollectiviteQuerySet.as_manager()

    class Meta:
        verbose_name = "collectivité"
        verbose_name_plural = "collectivités"
        ordering = ["nom"]
        indexes = [models.Index(fields=["departement", "type"], name="collectivite_dep_type")]

    def __str__(self):
        return self.libelle(self.nom, self.type, self.codes_postaux)

    @staticmethod
    def libelle(nom, type_, codes_postaux):
        """ "Nom (code postal)" for a commune, the name alone otherwise (lists read with values_list)."""
        if type_ == TypeCollectivite.COMMUNE and codes_postaux:
            return f"{nom} ({codes_postaux[0]})"
        return nom

    @property
    def est_commune(self):
        return self.type == TypeCollectivite.COMMUNE
