"""Structured logs: one line per filing, transition and email, with the numéro and no personal data."""

import logging
import smtplib
from unittest import mock

import pytest

from intake.depot.services import deposer_demande
from intake.models import Demande
from intake.notifications import outbox
from tests.factories import CollectiviteFactory

pytestmark = pytest.mark.django_db

EMAIL = "maire.secret@commune.test"


def _deposer():
    return deposer_demande(
        source=Demande.Source.FORMULAIRE,
        demandeur_nom="Secretnom",
        demandeur_prenom="Camille",
        demandeur_email=EMAIL,
        demandeur_telephone="0561000000",
        collectivite=CollectiviteFactory(),
        type_collectivite="commune",
        message="Projet confidentiel de la commune",
        consentement=True,
    )


def _lines(caplog):
    return [record.getMessage() for record in caplog.records]


def _assert_no_personal_data(lines):
    for line in lines:
        assert EMAIL not in line and "Secretnom" not in line and "confidentiel" not in line


def test_a_filing_logs_one_line_with_its_numero(caplog, settings):
    with caplog.at_level(logging.INFO):
        demande = _deposer()
    (line,) = [line for line in _lines(caplog) if "evenement=depot" in line]
    assert f"numero={demande.numero}" in line and "statut=attribue_admin" in line
    _assert_no_personal_data(_lines(caplog))


def test_a_transition_logs_who_from_and_to(caplog, settings, administrateur):
    demande = _deposer()
    with caplog.at_level(logging.INFO):
        demande.transition_to(Demande.Statut.RECEPTIONNE_ADMIN, by=administrateur)
    (line,) = [line for line in _lines(caplog) if "evenement=transition" in line]
    assert f"numero={demande.numero}" in line and "de=attribue_admin vers=receptionne_admin" in line
    assert f"par={administrateur.pk}" in line


def test_sent_and_failed_emails_are_logged_without_addresses(caplog, settings):
    demande = _deposer()
    pending = list(outbox.pending())
    assert pending
    refus = smtplib.SMTPRecipientsRefused({EMAIL: (550, b"unknown user")})
    with caplog.at_level(logging.INFO), mock.patch("django.core.mail.EmailMessage.send", side_effect=refus):
        outbox.send(pending[0].pk)
    with caplog.at_level(logging.INFO):
        outbox.send_pending()
    lines = _lines(caplog)
    assert any("evenement=courriel_echec" in line and f"numero={demande.numero}" in line for line in lines)
    assert any("evenement=courriel_envoye" in line and f"numero={demande.numero}" in line for line in lines)
    _assert_no_personal_data(lines)
