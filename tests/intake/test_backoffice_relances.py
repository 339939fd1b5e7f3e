"""Reminders and weekly digest: who receives what, once only."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake.models import Demande, Relance
from intake.notifications import relances
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db


@pytest.fixture
def envois(monkeypatch):
    sent = []
    monkeypatch.setattr(relances, "envoyer_courriel", lambda **kwargs: sent.append(kwargs))
    return sent


def _jours(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_day_before_deadline_reminds_the_referent_once(organisation, expert_hgi, chef_hgi, envois):
    demande = demande_hgi(
        organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi, echeance_premier_contact=_jours(1)
    )
    call_command("relancer_demandes")
    call_command("relancer_demandes")
    assert len(envois) == 1
    assert envois[0]["to"] == sorted([expert_hgi.email, chef_hgi.email])
    assert "demain" in envois[0]["subject"]
    assert Relance.objects.get().demande == demande


def test_overdue_reminder_goes_to_referent_and_chef_de_file_once(organisation, expert_hgi, chef_hgi, envois, settings):
    settings.DEMANDES_DELAI_ESCALADE_JOURS = 5
    demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi, echeance_premier_contact=_jours(-1))
    relances.relancer()
    relances.relancer()
    assert [e["subject"] for e in envois] == [envois[0]["subject"]]
    assert "en retard" in envois[0]["subject"]
    assert set(envois[0]["to"]) == {expert_hgi.email, chef_hgi.email}


def test_escalation_to_administrators_after_the_configured_delay(
    organisation, chef_hgi, administrateur, envois, settings
):
    settings.DEMANDES_DELAI_ESCALADE_JOURS = 3
    demande_hgi(organisation, echeance_premier_contact=_jours(-3))
    relances.relancer()
    relances.relancer()
    sujets = [e["subject"] for e in envois]
    assert len(sujets) == 2
    escalade = [e for e in envois if e["subject"].startswith("Escalade")]
    assert escalade[0]["to"] == [administrateur.email]


def test_no_reminder_once_contacted_or_closed(organisation, chef_hgi, envois):
    demande_hgi(organisation, echeance_premier_contact=_jours(-2), premier_contact_le=_jours(-3))
    demande_hgi(organisation, statut=S.TERMINE, echeance_premier_contact=_jours(-2))
    assert relances.relancer() == {"veille": 0, "retard": 0, "escalade": 0}
    assert envois == []


def test_free_request_reminders_go_to_administrators(organisation, administrateur, chef_hgi, envois):
    DemandeFactory(statut=S.ATTRIBUE_ADMIN, echeance_premier_contact=_jours(1))
    relances.relancer()
    assert envois[0]["to"] == [administrateur.email]


def test_weekly_digest_once_per_week_and_only_own_demandes(organisation, expert_hgi, expert_caue, envois):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    call_command("envoyer_recapitulatif")
    call_command("envoyer_recapitulatif")
    destinataires = [e["to"] for e in envois]
    assert [expert_hgi.email] in destinataires
    assert [expert_caue.email] not in destinataires
    digest = next(e for e in envois if e["to"] == [expert_hgi.email])
    assert f"n°{demande.numero}" in digest["body"]
    assert destinataires.count([expert_hgi.email]) == 1


def test_reminders_really_reach_the_outbox_and_the_mailbox(
    organisation, expert_hgi, chef_hgi, mailoutbox, django_capture_on_commit_callbacks
):
    """No stub: the command writes Notification rows, which the outbox sender sends."""
    from intake.models import Notification

    demande = demande_hgi(
        organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi, echeance_premier_contact=_jours(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relancer_demandes", stdout=open("/dev/null", "w"))
    notification = Notification.objects.get(demande=demande)
    assert notification.kind == "relance_veille"
    assert sorted(notification.to) == sorted([expert_hgi.email, chef_hgi.email])
    assert notification.sent_at is None and mailoutbox == []
    call_command("envoyer_notifications", stdout=open("/dev/null", "w"))
    notification.refresh_from_db()
    assert notification.sent_at is not None
    (courriel,) = mailoutbox
    assert sorted(courriel.to) == sorted([expert_hgi.email, chef_hgi.email])
    assert courriel.subject == notification.subject and "demain" in courriel.subject
    assert f"/admin/intake/demande/inspect/{demande.pk}/" in courriel.body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("relancer_demandes", stdout=open("/dev/null", "w"))
    assert Notification.objects.filter(demande=demande).count() == 1
    assert len(mailoutbox) == 1
