from django.db import models
from django.utils import timezone


class ExecutionTache(models.Model):
    """One run of a scheduled job (outbox sender, reminders, anonymisation…), for monitoring."""

    tache = models.CharField("tâche", max_length=60, db_index=True)
    debut = models.DateTimeField("début", default=timezone.now)
    fin = models.DateTimeField("fin", null=True, blank=True)
    succes = models.BooleanField("succès", default=False)
    message = models.TextField("message", blank=True)

    class Meta:
        verbose_name = "exécution de tâche"
        verbose_name_plural = "exécutions de tâches"
        ordering = ["-debut"]
        # The table was created by the intake app, which owned this model first.
        db_table = "intake_executiontache"
        indexes = [models.Index(fields=["tache", "-debut"], name="execution_tache_recente")]

    def __str__(self):
        return f"{self.tache} — {self.debut:%d/%m/%Y %H:%M}"
