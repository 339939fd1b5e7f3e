"""Every email goes through here: a Notification row written in the caller's transaction,
sent after commit, retried with backoff by `manage.py envoyer_notifications` until delivered.

Sending is claim → render and send (no transaction open) → mark sent: any number of senders
(the web process after commit, `envoyer_notifications` on several hosts) send each row once."""

import base64
import datetime
import logging
import os
import socket
import time
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from intake.models import Notification
from intake.notifications import pdf

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failure; the last value repeats (never give up).
BACKOFF_MINUTES = [1, 2, 5, 10, 30, 60]


def rendre(gabarit, contexte):
    """An e-mail's bodies from its templates: `<gabarit>.txt`, and `<gabarit>.html` when there is one.
    Every e-mail body lives in a template, never in Python."""
    texte = render_to_string(f"{gabarit}.txt", contexte).strip() + "\n"
    try:
        html = render_to_string(f"{gabarit}.html", contexte)
    except TemplateDoesNotExist:
        html = ""
    return texte, html


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
    if settings.INTAKE_ENVOI_APRES_COMMIT:
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
        message.attach(
            pdf.nom_fichier_accuse(notification.demande), pdf.rendre_accuse_pdf(notification.demande), "application/pdf"
        )
    return message


def _numero(notification):
    return notification.demande.numero if notification.demande_id else "-"


# A claim lapses after this long, so the rows of a sender that died are retried. It must
# exceed the longest send (PDF rendering + EMAIL_TIMEOUT), or a slow send could be repeated.
BAIL_RESERVATION = datetime.timedelta(minutes=10)

ENVOYEE, ECHEC, IGNOREE = "envoyee", "echec", "ignoree"


def _jeton():
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _reserver(pk, jeton, now, due_only):
    """Claim the row in one conditional UPDATE (its own tiny transaction): 1 row means it is ours.
    Works alike on SQLite and PostgreSQL; never held while rendering or talking to SMTP."""
    libre = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    rows = Notification.objects.filter(libre, pk=pk, sent_at__isnull=True)
    if due_only:
        rows = rows.filter(next_attempt_at__lte=now)
    return rows.update(claimed_by=jeton, claimed_until=now + BAIL_RESERVATION, attempts=F("attempts") + 1) == 1


def _ecrire(action, essais=5):
    """Run a short write, retrying while SQLite says "database is locked": after an email left,
    losing its "sent" mark would send it again once the claim lapses."""
    for essai in range(essais):
        try:
            return action()
        except OperationalError:
            if essai == essais - 1:
                raise
            time.sleep(0.2 * (essai + 1))


def send(pk, *, due_only=False) -> bool:
    """Send one pending notification. Returns True when this call sent it."""
    return envoyer(pk, due_only=due_only) == ENVOYEE


def envoyer(pk, *, due_only=False) -> str:
    """Claim, render and send, then mark sent: each step outside any long transaction, so that
    two senders (or a sender and the web server) never both send a row and a slow PDF never
    holds the database's write lock. Returns ENVOYEE, ECHEC (error recorded, next attempt
    scheduled, claim released) or IGNOREE (already sent, claimed by another sender, not due)."""
    jeton = _jeton()
    if not _reserver(pk, jeton, timezone.now(), due_only):
        return IGNOREE
    notification = Notification.objects.select_related("demande").get(pk=pk)
    try:
        if not notification.to:
            raise ValueError("Aucun destinataire.")
        _build_message(notification).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any SMTP/rendering error is retried later
        delay = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
        erreur = f"{type(exc).__name__}: {exc}"[:2000]
        _ecrire(
            lambda: Notification.objects.filter(pk=pk, claimed_by=jeton, sent_at__isnull=True).update(
                last_error=erreur,
                next_attempt_at=timezone.now() + datetime.timedelta(minutes=delay),
                claimed_by="",
                claimed_until=None,
            )
        )
        # The exception text may quote addresses: its type only, and the numéro.
        logger.warning(
            "evenement=courriel_echec notification=%s numero=%s nature=%s tentative=%s erreur=%s",
            pk,
            _numero(notification),
            notification.kind or "-",
            notification.attempts,
            type(exc).__name__,
        )
        return ECHEC
    marque = dict(sent_at=timezone.now(), last_error="", claimed_by="", claimed_until=None)
    if not _ecrire(lambda: Notification.objects.filter(pk=pk, claimed_by=jeton).update(**marque)):
        # Our claim lapsed during the send and another sender took the row: the email did leave.
        logger.warning("evenement=courriel_reservation_perdue notification=%s", pk)
        _ecrire(lambda: Notification.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=marque["sent_at"]))
    logger.info(
        "evenement=courriel_envoye notification=%s numero=%s nature=%s tentative=%s",
        pk,
        _numero(notification),
        notification.kind or "-",
        notification.attempts,
    )
    return ENVOYEE


def pending(now=None):
    now = now or timezone.now()
    return Notification.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")


def send_pending(batch=200, budget_seconds=45):
    """Send everything due, by batches in creation order, until nothing due is left or the time
    budget is spent (the timer starts the sender every minute; a burst of filings is drained in
    one run, not 200 a minute). Each row is tried at most once per run; a row that raises
    anything (even the database) is logged and skipped, never stopping the pass. Rows another
    sender holds are skipped without counting. Returns (sent, failed)."""
    sent = failed = 0
    last_pk = 0
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        pks = list(pending().filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch])
        if not pks:
            break
        for pk in pks:
            last_pk = pk
            try:
                resultat = envoyer(pk, due_only=True)
            except Exception:  # noqa: BLE001 - e.g. the database stayed locked: the claim lapses, retried later
                logger.exception("evenement=courriel_erreur notification=%s", pk)
                resultat = ECHEC
            if resultat == ENVOYEE:
                sent += 1
            elif resultat == ECHEC:
                failed += 1
            if time.monotonic() >= deadline:
                break
    return sent, failed
