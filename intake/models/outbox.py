"""The outbox (every email is a row first) and the filing's bookkeeping: numbering, idempotency."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """An email waiting to be sent, or sent: written in the transaction that decided it."""

    class Kind(models.TextChoices):
        ACCUSE_RECEPTION = "accuse_reception", "Accusé de réception"
        NOUVELLE_DEMANDE = "nouvelle_demande", "Nouvelle demande"
        AUTRE = "", "Autre"

    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    kind = models.CharField("nature", max_length=40, blank=True, db_index=True)
    demande = models.ForeignKey(
        "intake.Demande",
        verbose_name="demande",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    to = models.JSONField("destinataires", default=list)
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    html = models.TextField("HTML", blank=True)
    # [{"name", "mimetype", "content" (base64)}]: small files only; the accusé PDF is
    # rendered by the sender from the demande, not stored here.
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True, db_index=True)
    # A sender owns a row while it renders and sends it (see intake.notifications.outbox.send): the claim is
    # taken and released by conditional UPDATEs, and lapses after a lease if the sender dies.
    claimed_by = models.CharField("réservée par", max_length=100, blank=True)
    claimed_until = models.DateTimeField("réservée jusqu'à", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications (courriels)"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def est_envoyee(self):
        return self.sent_at is not None


class CompteurNumero(models.Model):
    """The last numéro given to a demande; one row, locked while a demande is filed."""

    dernier = models.PositiveIntegerField("dernier numéro attribué", default=0)

    class Meta:
        verbose_name = "compteur des numéros"
        verbose_name_plural = "compteur des numéros"

    def __str__(self):
        return f"Dernier numéro : {self.dernier}"


class CleIdempotence(models.Model):
    """A key sent with a filing (API header or form token): the same key never files twice."""

    cle = models.CharField("clé", max_length=200, unique=True)
    demande = models.ForeignKey("intake.Demande", verbose_name="demande", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "clé d'idempotence"
        verbose_name_plural = "clés d'idempotence"

    def __str__(self):
        return self.cle


def numero_depart():
    return settings.INTAKE_NUMERO_DEPART
