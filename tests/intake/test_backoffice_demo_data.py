"""The demo demandes: about sixty, spread over statuses, some overdue, idempotent."""

import pytest

from intake.models import Demande, EntreeJournal
from operations.donnees_initiales.demonstration import NOMBRE, load_demo_demandes
from tests.factories import CollectiviteFactory

pytestmark = pytest.mark.django_db


def test_demo_demandes_are_lived_in_and_not_duplicated(organisation, chef_hgi, expert_hgi, chef_caue):
    CollectiviteFactory.create_batch(5)
    assert load_demo_demandes() == NOMBRE
    assert load_demo_demandes() == 0
    assert Demande.objects.count() == NOMBRE
    assert Demande.objects.values("statut").distinct().count() == len(Demande.Statut)
    assert Demande.objects.en_retard().exists()
    assert EntreeJournal.objects.exists()
    assert Demande.history.exclude(history_change_reason=None).count() > NOMBRE


def test_demo_demandes_need_the_referential(organisation, chef_hgi):
    assert load_demo_demandes() == 0
