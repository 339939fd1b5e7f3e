"""Two users act on the same demande at the same moment: one succeeds, the other is told, no lost
update (row lock + optimistic version). Real concurrency needs PostgreSQL's row locks."""

import threading
import time

import pytest
from django.conf import settings

from intake.models import ConflitModification, Demande
from tests.intake.backoffice_support import demande_hgi

S = Demande.Statut
pytestmark = [
    pytest.mark.postgres,
    # Decided before any database set-up, so that SQLite runs do not flush the shared test data.
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrence réelle : PostgreSQL uniquement (verrous de ligne)",
    ),
    # Serialized rollback: restores what the migrations created (root page, groups) afterwards.
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_actions_one_wins_the_other_is_told(organisation, chef_hgi, administrateur, monkeypatch):
    demande = demande_hgi(organisation)
    version = demande.version
    barrier = threading.Barrier(2)
    original = Demande._enregistrer

    def slow_enregistrer(self, locked, **kwargs):
        time.sleep(0.3)  # hold the row lock while the other thread queues behind it
        return original(self, locked, **kwargs)

    monkeypatch.setattr(Demande, "_enregistrer", slow_enregistrer)
    results = {}

    def act(name, user, statut, reason):
        from django.db import connection as thread_connection

        instance = Demande.objects.get(pk=demande.pk)
        barrier.wait()
        try:
            instance.transition_to(statut, by=user, reason=reason, version=version)
            results[name] = "ok"
        except ConflitModification:
            results[name] = "conflit"
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=act, args=("chef", chef_hgi, S.RECEPTIONNE_CHEF_DE_FILE, "")),
        threading.Thread(target=act, args=("admin", administrateur, S.REJETE, "Doublon")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results.values()) == ["conflit", "ok"]
    demande.refresh_from_db()
    gagnant = "chef" if results["chef"] == "ok" else "admin"
    assert demande.statut == (S.RECEPTIONNE_CHEF_DE_FILE if gagnant == "chef" else S.REJETE)
    assert demande.history.count() == 2
