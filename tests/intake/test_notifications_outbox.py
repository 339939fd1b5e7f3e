"""The outbox: rows written in the filing transaction, sent after commit, retried with
backoff after an SMTP failure, never lost; the accusé de réception and its PDF."""

import datetime
import io
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from intake.depot.services import deposer_demande
from intake.models import Notification
from intake.notifications import outbox
from intake.notifications.pdf import rendre_accuse_pdf
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    donnees_service,
    thematiques,
)

pytestmark = pytest.mark.django_db


class PanneSMTP:
    """Stands for an SMTP server that refuses connections."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Service indisponible")


@pytest.fixture
def smtp_en_panne(settings):
    settings.EMAIL_BACKEND = "tests.intake.test_notifications_outbox.PanneSMTP"


@pytest.fixture
def envoi_apres_commit(settings):
    """The option that also tries to send from the request, right after the commit."""
    settings.INTAKE_ENVOI_APRES_COMMIT = True


def test_by_default_a_request_only_writes_rows_and_the_sender_sends(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte")
    assert callbacks == [] and mail.outbox == []
    assert outbox.send_pending() == (1, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@exemple.test"]
    notification.refresh_from_db()
    assert notification.sent_at is not None


def test_enqueue_writes_a_row_and_sends_only_after_commit(envoi_apres_commit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notification = outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte", html="<p>Texte</p>")
            assert Notification.objects.filter(pk=notification.pk).exists()
            assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte")
                raise RuntimeError("échec du dépôt")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_attachments_given_to_enqueue_are_sent(envoi_apres_commit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(
            to=["a@exemple.test"], subject="Objet", body="Texte", attachments=[("a.txt", b"bonjour", "text/plain")]
        )
    assert mail.outbox[0].attachments == [("a.txt", "bonjour", "text/plain")]


def test_an_smtp_outage_keeps_the_demande_and_its_emails(
    collectivites, smtp_en_panne, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demande = deposer_demande(**donnees_service(collectivites))
    assert demande.pk
    assert outbox.send_pending() == (0, 2)
    rows = Notification.objects.filter(demande=demande)
    assert rows.count() == 2
    for row in rows:
        assert row.sent_at is None
        assert row.attempts == 1
        assert "SMTPConnectError" in row.last_error
        assert row.next_attempt_at > timezone.now()


def test_failed_emails_are_retried_by_the_command_once_smtp_is_back(
    collectivites, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.intake.test_notifications_outbox.PanneSMTP"
    with django_capture_on_commit_callbacks(execute=True):
        deposer_demande(**donnees_service(collectivites))
    # Not due yet: the command waits for the backoff delay.
    call_command("envoyer_notifications", stdout=io.StringIO())
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2
    assert Notification.objects.filter(attempts=1).count() == 2
    Notification.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("envoyer_notifications", stdout=out)
    assert "2 envoyée(s)" in out.getvalue()
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 2
    # Nothing is sent twice.
    call_command("envoyer_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_backoff_grows_with_each_failure(smtp_en_panne):
    notification = outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte")
    delais = []
    for _ in range(3):
        avant = timezone.now()
        assert outbox.send(notification.pk) is False
        notification.refresh_from_db()
        delais.append((notification.next_attempt_at - avant).total_seconds())
    assert notification.attempts == 3
    assert delais[0] < delais[1] < delais[2]


def test_one_run_drains_a_burst_larger_than_a_batch_and_tries_a_failure_once(settings):
    for n in range(7):
        outbox.enqueue(to=[f"elu{n}@exemple.test"], subject=f"Objet {n}", body="Texte")
    settings.EMAIL_BACKEND = "tests.intake.test_notifications_outbox.PanneSMTP"
    assert outbox.send_pending(batch=3) == (0, 7)
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}  # once each, not retried in the run
    Notification.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_pending(batch=3) == (7, 0)
    assert sorted(m.subject for m in mail.outbox) == [f"Objet {n}" for n in range(7)]
    assert outbox.send_pending(batch=3) == (0, 0)


def test_a_run_stops_at_its_time_budget_and_leaves_the_rest_due(settings):
    for n in range(3):
        outbox.enqueue(to=[f"elu{n}@exemple.test"], subject=f"Objet {n}", body="Texte")
    assert outbox.send_pending(budget_seconds=0) == (0, 0)
    assert outbox.pending().count() == 3


def test_the_accuse_de_reception_says_what_the_guide_promises(
    collectivites, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    outbox.send_pending()
    accuse = next(m for m in mail.outbox if m.to == ["maire@grenade.test"])
    assert accuse.subject == f"Accusé de réception de votre demande n°{demande.numero}"
    assert str(demande.numero) in accuse.body
    assert "Conseil juridique urgent" in accuse.body
    assert "dans un délai de 3 jours" in accuse.body
    assert f"http://testserver/suivi/{demande.jeton_suivi}/" in accuse.body
    html = accuse.alternatives[0][0]
    assert f"/suivi/{demande.jeton_suivi}/" in html
    nom, contenu, mimetype = accuse.attachments[0]
    assert nom == f"accuse-reception-demande-{demande.numero}.pdf"
    assert mimetype == "application/pdf"
    assert contenu.startswith(b"%PDF")


def test_a_free_request_acknowledgment_says_demande_libre(collectivites, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deposer_demande(**donnees_service(collectivites))
    outbox.send_pending()
    accuse = next(m for m in mail.outbox if m.to == ["maire@grenade.test"])
    assert "demande libre" in accuse.body
    assert "dans un délai de 10 jours" in accuse.body


def test_the_pdf_letter_carries_the_presidents_signature_block(collectivites, catalogue, settings):
    settings.PLATEFORME = {
        **settings.PLATEFORME,
        "PRESIDENT_NOM": "Camille Exemple",
        "PRESIDENT_TITRE": "Présidente du Département de Test",
    }
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendre_accuse_pdf(demande))).pages)
    texte = " ".join(texte.split())
    assert f"demande n°{demande.numero}" in texte
    assert "Camille Exemple" in texte
    assert "Présidente du Département de Test" in texte
    assert "Conseil juridique urgent" in texte
    assert "Grenade" in texte


def test_a_fiche_request_notifies_the_direction_chefs_de_file_and_its_address(
    collectivites, catalogue, chef_hgi, expert_hgi, chef_caue, administrateur
):
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    avis = Notification.objects.get(demande=demande, kind=Notification.Kind.NOUVELLE_DEMANDE)
    assert avis.to == sorted(["chef.hgi@exemple.test", "dajf@hgi.test"])
    assert "Durand" not in avis.body, "the notice carries no personal data"


def test_a_free_request_notifies_the_administrators(collectivites, chef_hgi, administrateur):
    demande = deposer_demande(**donnees_service(collectivites))
    avis = Notification.objects.get(demande=demande, kind=Notification.Kind.NOUVELLE_DEMANDE)
    assert avis.to == ["admin.plateforme@exemple.test"]


def test_administrators_see_the_outbox_and_others_do_not(client, administrateur, chef_hgi):
    outbox.enqueue(to=["a@exemple.test"], subject="Objet visible", body="Texte")
    client.force_login(administrateur)
    response = client.get("/admin/intake/notification/")
    assert response.status_code == 200
    assert "Objet visible" in response.content.decode()
    client.force_login(chef_hgi)
    assert client.get("/admin/intake/notification/").status_code in (302, 403)
    assert client.get("/admin/intake/notification/create/").status_code in (302, 403, 404)


def test_the_acknowledgment_speaks_of_working_days_when_so_configured(
    collectivites, catalogue, settings, django_capture_on_commit_callbacks
):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = True
    with django_capture_on_commit_callbacks(execute=True):
        deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    outbox.send_pending()
    accuse = next(m for m in mail.outbox if m.to == ["maire@grenade.test"])
    assert "dans un délai de 3 jours ouvrés" in accuse.body


# --- Claim, send outside any transaction, mark sent; the loop never dies ------


def test_a_row_another_sender_holds_is_not_sent_until_its_claim_lapses():
    notification = outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte")
    Notification.objects.filter(pk=notification.pk).update(
        claimed_by="autre-hote:42:abc", claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert outbox.send(notification.pk) is False
    assert outbox.send_pending() == (0, 0)  # skipped, not counted as a failure
    assert mail.outbox == []
    # The other sender died: once its lease is over, the row is sent, once.
    Notification.objects.filter(pk=notification.pk).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert outbox.send_pending() == (1, 0)
    assert outbox.send_pending() == (0, 0)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None and notification.claimed_by == "" and notification.claimed_until is None


def test_a_second_sender_arriving_during_a_send_sends_nothing():
    """While one sender is talking to SMTP, another one (other host, or the web process after
    commit) tries the same row: it is refused by the claim, the email leaves once."""
    from django.core.mail.backends.locmem import EmailBackend

    notification = outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte")
    Notification.objects.filter(pk=notification.pk).update(sent_at=None, attempts=0)
    mail.outbox.clear()
    concurrent = []
    vrai_envoi = EmailBackend.send_messages

    def envoi_lent(self, messages):
        concurrent.append(outbox.send(notification.pk))
        concurrent.append(outbox.send_pending())
        return vrai_envoi(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", envoi_lent):
        assert outbox.send(notification.pk) is True
    assert concurrent == [False, (0, 0)]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1 and notification.sent_at is not None


def test_rendering_and_smtp_happen_outside_any_transaction(collectivites, django_capture_on_commit_callbacks):
    """A PDF rendered (or an SMTP server waited for) inside a write transaction holds SQLite's
    lock for seconds: every filing then fails with "database is locked"."""
    from django.db import connection

    settings_profondeur = len(connection.atomic_blocks)  # pytest's own transaction
    vues = []
    vrai = outbox._build_message

    def espion(notification):
        vues.append(len(connection.atomic_blocks))
        return vrai(notification)

    demande = deposer_demande(**donnees_service(collectivites))
    with mock.patch("intake.notifications.outbox._build_message", espion):
        assert outbox.send_pending() == (2, 0)
    assert vues == [settings_profondeur, settings_profondeur]
    assert Notification.objects.filter(demande=demande, sent_at__isnull=False).count() == 2


def test_a_row_whose_rendering_raises_does_not_stop_the_others(collectivites, catalogue):
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    autres = [outbox.enqueue(to=[f"elu{n}@exemple.test"], subject=f"Objet {n}", body="Texte") for n in range(2)]
    mail.outbox.clear()
    Notification.objects.update(sent_at=None, attempts=0, next_attempt_at=timezone.now())
    with mock.patch("intake.notifications.pdf.rendre_accuse_pdf", side_effect=RuntimeError("gabarit PDF cassé")):
        sent, failed = outbox.send_pending()
    assert (sent, failed) == (3, 1)
    accuse = Notification.objects.get(demande=demande, kind=Notification.Kind.ACCUSE_RECEPTION)
    assert accuse.sent_at is None and "gabarit PDF cassé" in accuse.last_error
    assert accuse.claimed_by == "" and accuse.next_attempt_at > timezone.now()  # released, retried later
    assert all(Notification.objects.get(pk=n.pk).sent_at for n in autres)


def test_a_database_error_on_one_row_does_not_stop_the_pass(caplog):
    from django.db import OperationalError

    rows = [outbox.enqueue(to=[f"elu{n}@exemple.test"], subject=f"Objet {n}", body="Texte") for n in range(3)]
    Notification.objects.update(sent_at=None, attempts=0)
    mail.outbox.clear()
    vrai = outbox._reserver

    def reserver(pk, *args, **kwargs):
        if pk == rows[0].pk:
            raise OperationalError("database is locked")
        return vrai(pk, *args, **kwargs)

    with mock.patch("intake.notifications.outbox._reserver", reserver):
        assert outbox.send_pending() == (2, 1)
    assert sorted(m.subject for m in mail.outbox) == ["Objet 1", "Objet 2"]
    assert "evenement=courriel_erreur" in caplog.text
    assert outbox.send_pending() == (1, 0)  # the next pass sends it


class ArretBoucle(BaseException):
    """Stands for Ctrl+C, to leave the endless loop in a test."""


def test_the_loop_logs_a_database_error_and_keeps_going(caplog):
    from django.db import OperationalError

    from operations.models import ExecutionTache

    err = io.StringIO()
    with (
        mock.patch(
            "intake.management.commands.envoyer_notifications.send_pending",
            side_effect=[OperationalError("database is locked"), (2, 0), (0, 0)],
        ) as passe,
        mock.patch("operations.management.commands.tache.time.sleep", side_effect=[None, None, ArretBoucle()]),
    ):
        with pytest.raises(ArretBoucle):
            call_command("tache", "envoyer_notifications", boucle=1, stdout=io.StringIO(), stderr=err)
    assert passe.call_count == 3  # it went on after the error
    assert "Passage de envoyer_notifications interrompu (OperationalError)" in err.getvalue()
    assert "statut=erreur_boucle" in caplog.text
    runs = list(
        ExecutionTache.objects.filter(tache="envoyer_notifications")
        .order_by("debut", "pk")
        .values_list("succes", flat=True)
    )
    assert runs == [False, True, True]


def test_without_loop_a_failed_pass_fails_the_command():
    from django.db import OperationalError

    with mock.patch(
        "intake.management.commands.envoyer_notifications.send_pending",
        side_effect=OperationalError("database is locked"),
    ):
        with pytest.raises(OperationalError):
            call_command("tache", "envoyer_notifications", stdout=io.StringIO(), stderr=io.StringIO())
