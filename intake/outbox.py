"""Every email goes through here: a Notification row written in the caller's transaction,
sent after commit, retried with backoff by `manage.py envoyer_notifications` until delivered."""

import base64
import datetime
import logging
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone

from intake.models import Notification

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failure; the last value repeats (never give up).
BACKOFF_MINUTES = [1, 2, 5, 10, 30, 60]


def enqueue(*, to, subject, body, html="", demande=None, kind="", attachments=None) -> Notification:
    """Write an email in the current transaction; it is sent once the transaction commits."""
    notification = Notification.objects.create(
        to=[address for address in to if address],
        subject=subject[:255],
        body=body,
        html=html,
        demande=demande,
        kind=kind,
        attachments=[
            {"name": name, "content": base64.b64encode(content).decode("ascii"), "mimetype": mimetype}
            for name, content, mimetype in (attachments or [])
        ],
    )
    if getattr(settings, "INTAKE_ENVOI_APRES_COMMIT", True):
        transaction.on_commit(lambda: _send_quietly(notification.pk))
    return notification


def _send_quietly(pk):
    # After commit, in the request: a failure only leaves the row for the retry command.
    try:
        send(pk)
    except Exception:  # noqa: BLE001
        logger.exception("Envoi de la notification %s reporté", pk)


def _build_message(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=notification.to,
        headers={"X-Plateforme-Notification": str(notification.pk)},
    )
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    for attachment in notification.attachments:
        message.attach(attachment["name"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    if notification.kind == Notification.Kind.ACCUSE_RECEPTION and notification.demande_id:
        from intake.pdf import nom_fichier_accuse, rendre_accuse_pdf

        message.attach(nom_fichier_accuse(notification.demande), rendre_accuse_pdf(notification.demande), "application/pdf")
    return message


def _numero(notification):
    return notification.demande.numero if notification.demande_id else "-"


def send(pk) -> bool:
    """Send one pending notification, holding its row so that two senders never both send it.
    Returns True when sent; on failure records the error and schedules the next attempt."""
    with transaction.atomic():
        queryset = Notification.objects.filter(pk=pk, sent_at__isnull=True)
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        else:
            queryset = queryset.select_for_update()
        notification = queryset.first()
        if notification is None:
            return False
        notification.attempts += 1
        try:
            if not notification.to:
                raise ValueError("Aucun destinataire.")
            _build_message(notification).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any SMTP/rendering error is retried later
            delay = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            notification.next_attempt_at = timezone.now() + datetime.timedelta(minutes=delay)
            notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            # The exception text may quote addresses: its type only, and the numéro.
            logger.warning(
                "evenement=courriel_echec notification=%s numero=%s nature=%s tentative=%s erreur=%s",
                pk, _numero(notification), notification.kind or "-", notification.attempts, type(exc).__name__,
            )
            return False
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "last_error", "sent_at"])
        logger.info(
            "evenement=courriel_envoye notification=%s numero=%s nature=%s tentative=%s",
            pk, _numero(notification), notification.kind or "-", notification.attempts,
        )
        return True


def pending(now=None):
    now = now or timezone.now()
    return Notification.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")


def send_pending(batch=200, budget_seconds=45):
    """Send everything due, by batches in creation order, until nothing due is left or the time
    budget is spent (the timer starts the sender every minute; a burst of filings is drained in
    one run, not 200 a minute). Each row is tried at most once per run. Returns (sent, failed)."""
    sent = failed = 0
    last_pk = 0
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        pks = list(pending().filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch])
        if not pks:
            break
        for pk in pks:
            last_pk = pk
            if send(pk):
                sent += 1
            else:
                failed += 1
            if time.monotonic() >= deadline:
                break
    return sent, failed
