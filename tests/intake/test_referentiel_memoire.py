"""The lists of collectivités and of the network's experts of the forms are read once per
process while nothing they come from changes, and every change (save, deletion) shows at the
next display, in every process (a version in the shared cache, intake.memoire)."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Membre
from intake import memoire
from intake.depot.forms import DemandeForm
from intake.models import Collectivite, Demande
from intake.suivi.forms import AffectationForm
from tests.factories import CollectiviteFactory
from tests.intake.backoffice_support import demande_hgi

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
    memoire.COLLECTIVITES.renouveler()
    assert "Renommée ailleurs" in _liste()


def test_a_collectivite_withdrawn_from_the_referential_leaves_the_list():
    """What the import does to a commune absent from the new referential (active=False)."""
    CollectiviteFactory(nom="Avant import")
    _liste()
    avant = memoire.COLLECTIVITES.version()
    commune = Collectivite.objects.get(nom="Avant import")
    commune.active = False
    commune.save()
    assert memoire.COLLECTIVITES.version() != avant
    assert "Avant import" not in _liste()


# --- The network's members in the affectation form ---------------------------------------------


def _experts(demande):
    return str(AffectationForm(demande=demande)["experts_associes"])


@pytest.mark.parametrize("changement", ["renommer", "desactiver", "fonction", "direction", "structure", "retirer"])
def test_the_experts_list_follows_every_change_of_the_network(organisation, expert_caue, changement):
    demande = demande_hgi(organisation, statut=Demande.Statut.EN_COURS)
    avant = _experts(demande)
    assert expert_caue.get_full_name() in avant or expert_caue.username in avant
    with CaptureQueriesContext(connection) as requetes:
        assert _experts(demande) == avant
    assert not [q for q in requetes.captured_queries if 'FROM "catalogue_membre"' in q["sql"]]
    membre = Membre.objects.get(user=expert_caue)
    if changement == "renommer":
        expert_caue.first_name = "Prénom-Changé"
        expert_caue.save()
        assert "Prénom-Changé" in _experts(demande)
    elif changement == "desactiver":
        expert_caue.is_active = False
        expert_caue.save()
        assert f'value="{expert_caue.pk}"' not in _experts(demande)
    elif changement == "fonction":
        membre.fonction = "Urbaniste-conseil"
        membre.save()
        assert "Urbaniste-conseil" in _experts(demande)
    elif changement == "direction":
        membre.direction.nom = "Direction-Renommée"
        membre.direction.save()
        assert "Direction-Renommée" in _experts(demande)
    elif changement == "structure":
        membre.direction.structure.nom = "Structure-Renommée"
        membre.direction.structure.save()
        assert "Structure-Renommée" in _experts(demande)
    else:
        membre.delete()
        assert f'value="{expert_caue.pk}"' not in _experts(demande)


def test_a_save_never_fails_because_the_cache_cannot_be_written(monkeypatch, organisation):
    """A cache table not created yet (`manage.py migrate` without `createcachetable`) or a
    Redis down: the user, member or collectivité is saved all the same."""

    def en_panne(*args, **kwargs):
        raise DatabaseError("no such table: cache_plateforme")

    monkeypatch.setattr(memoire.cache, "set", en_panne)
    commune = CollectiviteFactory(nom="Enregistrée malgré tout")
    commune.nom = "Renommée malgré tout"
    commune.save()
    assert Collectivite.objects.get(pk=commune.pk).nom == "Renommée malgré tout"
    assert Collectivite.objects.count() == 1
