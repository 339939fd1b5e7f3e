"""The bilan annuel: a PDF report of one year built from the platform's figures, with text parts
written by the editors; published on the public site when an administrator chooses to."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel


class Bilan(models.Model):
    annee = models.PositiveSmallIntegerField("année", unique=True)
    introduction = models.TextField("introduction", blank=True)
    faits_marquants = models.TextField("faits marquants", blank=True)
    perspectives = models.TextField("perspectives", blank=True)
    publie = models.BooleanField("publié", default=False, editable=False)
    publie_le = models.DateTimeField("publié le", null=True, blank=True, editable=False)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="document publié",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    panels = [
        FieldPanel("annee"),
        FieldPanel("introduction"),
        FieldPanel("faits_marquants"),
        FieldPanel("perspectives"),
    ]

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["-annee"]

    def __str__(self):
        return f"Bilan {self.annee}"

    def clean(self):
        super().clean()
        if self.annee is not None and not 2000 <= self.annee <= timezone.localdate().year:
            raise ValidationError({"annee": "Indiquez une année écoulée ou l'année en cours."})

    @property
    def nom_fichier(self):
        return f"bilan-annuel-{self.annee}.pdf"
