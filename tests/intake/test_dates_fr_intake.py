"""The accusé e-mail and the tracking page write French dates: « 1er décembre 2026 »."""

import datetime

import pytest
from django.utils import timezone

from intake.models import Notification
from intake.notifications.depot import envoyer_accuse_reception
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demande_du_1er():
    return DemandeFactory(
        created_at=timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 30)),
        echeance_premier_contact=datetime.date(2027, 1, 1),
    )


def test_the_accuse_email_writes_the_first_of_the_month_as_1er(demande_du_1er, settings):
    envoyer_accuse_reception(demande_du_1er)
    accuse = Notification.objects.get(demande=demande_du_1er, kind=Notification.Kind.ACCUSE_RECEPTION)
    for contenu in (accuse.body, accuse.html):
        assert "1er décembre 2026 à 9h30" in contenu
        assert "au plus tard le" in contenu and "1er janvier 2027" in contenu
        assert "1 décembre" not in contenu and "1 janvier" not in contenu


def test_the_tracking_page_writes_the_first_of_the_month_as_1er(client, demande_du_1er):
    demande_du_1er.premier_contact_le = datetime.date(2026, 12, 1)
    demande_du_1er.save()
    contenu = client.get(f"/suivi/{demande_du_1er.jeton_suivi}/").content.decode()
    assert "déposée le 1er décembre 2026" in contenu
    assert "effectué le 1er décembre 2026" in contenu
    assert "1 décembre" not in contenu
