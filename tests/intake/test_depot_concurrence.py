"""Numéros stay unique when demandes are filed at the same moment (PostgreSQL only:
SQLite serialises writers, so it cannot show the race)."""

import threading

import pytest
from django.db import connection

from intake.depot.services import deposer_demande
from intake.models import Demande
from tests.intake.depot_helpers import _cache_vide, collectivites, donnees_service  # noqa: F401

# Skipped at collection on SQLite (no database set up, nothing flushed).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Test de concurrence réservé à PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def deposer_en_parallele(nombre, **kwargs):
    barriere = threading.Barrier(nombre)
    erreurs, resultats = [], []

    def deposer(index):
        from django.db import connection as thread_connection

        try:
            barriere.wait()
            resultats.append(deposer_demande(**kwargs, demandeur_nom=f"Maire {index}").numero)
        except Exception as exc:  # noqa: BLE001
            erreurs.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=deposer, args=(i,)) for i in range(nombre)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return resultats, erreurs


def test_twenty_concurrent_filings_get_twenty_distinct_consecutive_numeros(collectivites, settings):
    settings.INTAKE_NUMERO_DEPART = 500
    kwargs = donnees_service(collectivites)
    kwargs.pop("demandeur_nom")
    numeros, erreurs = deposer_en_parallele(20, **kwargs)
    assert erreurs == []
    assert sorted(numeros) == list(range(500, 520))
    assert Demande.objects.count() == 20


def test_concurrent_retries_with_one_idempotency_key_file_once(collectivites):
    kwargs = donnees_service(collectivites, idempotency_key="api:double-clic")
    kwargs.pop("demandeur_nom")
    numeros, erreurs = deposer_en_parallele(5, **kwargs)
    assert erreurs == []
    assert len(set(numeros)) == 1
    assert Demande.objects.count() == 1
