"""Follow-up of demandes: the reminders already sent, so that each is sent once only."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Relance(models.Model):
    """A reminder sent about a demande (the day before the deadline, overdue, escalation) or a
    weekly digest sent to a user. The unique key makes a second run of the command a no-op."""

    class Type(models.TextChoices):
        VEILLE = "veille", "Échéance demain"
        RETARD = "retard", "Échéance dépassée"
        ESCALADE = "escalade", "Escalade à l'administrateur"
        RECAPITULATIF = "recapitulatif", "Récapitulatif hebdomadaire"
        REVUE_CATALOGUE = "revue_catalogue", "Revue annuelle du catalogue"

    cle = models.CharField("clé", max_length=120, unique=True)
    type = models.CharField("type", max_length=20, choices=Type.choices)
    demande = models.ForeignKey(
        "intake.Demande",
        verbose_name="demande",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relances",
    )
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    destinataires = models.TextField("adresses", blank=True)
    created_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "relance"
        verbose_name_plural = "relances"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_type_display()} ({self.created_at:%d/%m/%Y})"
