"""The lists of collectivités of the forms are read once per process while no collectivité
changes, and every change (save, deletion, import) shows at the next display, in every process
(a version in the shared cache)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake import referentiel
from intake.depot.forms import DemandeForm
from intake.models import Collectivite
from tests.factories import CollectiviteFactory

pytestmark = pytest.mark.django_db


def _liste():
    return str(DemandeForm()["collectivite"])


def _requetes_collectivites(requetes):
    return [q for q in requetes.captured_queries if 'FROM "intake_collectivite"' in q["sql"]]


def test_the_list_is_read_once_then_kept():
    CollectiviteFactory(nom="Muré-sur-Loire")
    with CaptureQueriesContext(connection) as premiere:
        assert "Muré-sur-Loire" in _liste()
    assert len(_requetes_collectivites(premiere)) == 1
    with CaptureQueriesContext(connection) as seconde:
        assert "Muré-sur-Loire" in _liste()
    assert _requetes_collectivites(seconde) == []


def test_a_renamed_added_or_deleted_collectivite_shows_at_the_next_display():
    commune = CollectiviteFactory(nom="Ancien-Nom")
    assert "Ancien-Nom" in _liste()
    commune.nom = "Nouveau-Nom"
    commune.save()
    assert "Nouveau-Nom" in _liste() and "Ancien-Nom" not in _liste()
    CollectiviteFactory(nom="Ajoutée")
    assert "Ajoutée" in _liste()
    commune.delete()
    assert "Nouveau-Nom" not in _liste()


def test_another_process_sees_the_change(settings):
    """A process that kept the rows of an older version reads them again: the version lives in
    the shared cache, not in the process."""
    CollectiviteFactory(nom="Première")
    assert "Première" in _liste()
    # What another worker's save does to this process: only the shared version changes.
    Collectivite.objects.filter(nom="Première").update(nom="Renommée ailleurs")
    assert "Première" in _liste()  # no signal for a bare UPDATE: still the kept rows
    referentiel.renouveler_version()
    assert "Renommée ailleurs" in _liste()


def test_a_collectivite_withdrawn_from_the_referential_leaves_the_list():
    """What the import does to a commune absent from the new referential (active=False)."""
    CollectiviteFactory(nom="Avant import")
    _liste()
    avant = referentiel.version()
    commune = Collectivite.objects.get(nom="Avant import")
    commune.active = False
    commune.save()
    assert referentiel.version() != avant
    assert "Avant import" not in _liste()
