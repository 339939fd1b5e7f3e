"""The commune's answer to the satisfaction survey sent when its demande is finished."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Satisfaction(models.Model):
    """One answer per demande (score 1 to 5 and an optional comment), given from the tracking link."""

    NOTES = [
        (1, "1 — Pas du tout satisfait"),
        (2, "2 — Peu satisfait"),
        (3, "3 — Moyennement satisfait"),
        (4, "4 — Satisfait"),
        (5, "5 — Très satisfait"),
    ]

    demande = models.OneToOneField(
        "intake.Demande", verbose_name="demande", on_delete=models.CASCADE, related_name="satisfaction"
    )
    note = models.PositiveSmallIntegerField(
        "note", choices=NOTES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    commentaire = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("répondu le", default=timezone.now)

    class Meta:
        verbose_name = "réponse à l'enquête de satisfaction"
        verbose_name_plural = "réponses à l'enquête de satisfaction"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(note__gte=1, note__lte=5), name="satisfaction_note_1_a_5"),
        ]

    def __str__(self):
        return f"Satisfaction {self.note}/5 — demande n°{self.demande.numero}"
