"""The outbox: rows written in the filing transaction, sent after commit, retried with
backoff after an SMTP failure, never lost; the accusé de réception and its PDF."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from intake import outbox
from intake.models import Notification
from intake.pdf import rendre_accuse_pdf
from intake.services import deposer_demande
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


def test_enqueue_writes_a_row_and_sends_only_after_commit(django_capture_on_commit_callbacks):
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


def test_attachments_given_to_enqueue_are_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(to=["a@exemple.test"], subject="Objet", body="Texte", attachments=[("a.txt", b"bonjour", "text/plain")])
    assert mail.outbox[0].attachments == [("a.txt", "bonjour", "text/plain")]


def test_an_smtp_outage_keeps_the_demande_and_its_emails(collectivites, smtp_en_panne, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demande = deposer_demande(**donnees_service(collectivites))
    assert demande.pk
    rows = Notification.objects.filter(demande=demande)
    assert rows.count() == 2
    for row in rows:
        assert row.sent_at is None
        assert row.attempts == 1
        assert "SMTPConnectError" in row.last_error
        assert row.next_attempt_at > timezone.now()


def test_failed_emails_are_retried_by_the_command_once_smtp_is_back(collectivites, settings, django_capture_on_commit_callbacks):
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


def test_the_accuse_de_reception_says_what_the_guide_promises(collectivites, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
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
    accuse = next(m for m in mail.outbox if m.to == ["maire@grenade.test"])
    assert "demande libre" in accuse.body
    assert "dans un délai de 10 jours" in accuse.body


def test_the_pdf_letter_carries_the_presidents_signature_block(collectivites, catalogue, settings):
    settings.PLATEFORME = {**settings.PLATEFORME, "PRESIDENT_NOM": "Camille Exemple", "PRESIDENT_TITRE": "Présidente du Département de Test"}
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


def test_the_acknowledgment_speaks_of_working_days_when_so_configured(collectivites, catalogue, settings, django_capture_on_commit_callbacks):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = True
    with django_capture_on_commit_callbacks(execute=True):
        deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    accuse = next(m for m in mail.outbox if m.to == ["maire@grenade.test"])
    assert "dans un délai de 3 jours ouvrés" in accuse.body
