"""Large exports of the demandes list, built outside the web workers and kept a short while."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.storage import private_storage


def chemin_export(instance, filename):
    # A random folder: the name alone never leads to someone else's file.
    return f"exports/{uuid.uuid4().hex}/{filename}"


class Export(models.Model):
    """An export asked from the demandes list, too large to build during the request: the
    `generer_exports` command builds it in the user's scope at build time; only its owner
    downloads it, until it expires (INTAKE_EXPORT_CONSERVATION_HEURES)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En préparation"
        EN_COURS = "en_cours", "En préparation"
        PRET = "pret", "Prêt"
        ECHEC = "echec", "Échec"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="exports"
    )
    format = models.CharField("format", max_length=4, choices=Format.choices)
    filtres = models.TextField(
        "filtres de la liste", blank=True, help_text="Paramètres de la liste au moment de la demande."
    )
    statut = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE, db_index=True)
    fichier = models.FileField("fichier", storage=private_storage, upload_to=chemin_export, blank=True, max_length=255)
    nombre = models.PositiveIntegerField("nombre de demandes", null=True, blank=True)
    erreur = models.CharField("erreur", max_length=300, blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now, db_index=True)
    commence_le = models.DateTimeField("commencé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "export de demandes"
        verbose_name_plural = "exports de demandes"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export {self.get_format_display()} de {self.user} du {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def en_preparation(self):
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)

    @property
    def expire_le(self):
        heures = settings.INTAKE_EXPORT_CONSERVATION_HEURES
        return (self.termine_le or self.created_at) + timedelta(hours=heures)

    def nom_telechargement(self):
        return f"demandes-{timezone.localtime(self.created_at):%Y-%m-%d-%H%M}.{self.format}"
