from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalogue.enums import TypeCollectivite
from intake.models import Collectivite

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "etalab"
FIXTURE_31 = Path(__file__).resolve().parents[2] / "fixtures" / "collectivites-31"

pytestmark = pytest.mark.django_db


def test_it_imports_the_communes_and_epci_of_one_departement():
    call_command("importer_collectivites", "31", source=str(SAMPLE))

    assert Collectivite.objects.communes().count() == 5  # the délégée commune is left out
    assert not Collectivite.objects.filter(departement="82").exists()
    toulouse = Collectivite.objects.get(code="31555")
    assert toulouse.type == TypeCollectivite.COMMUNE
    assert toulouse.siren == "213105554"
    assert toulouse.epci.nom == "Toulouse Métropole"
    assert toulouse.epci.type == TypeCollectivite.METROPOLE
    assert "31000" in toulouse.codes_postaux
    assert toulouse.population > 400_000
    grenade = Collectivite.objects.get(nom="Grenade")
    assert grenade.epci.nom == "CC des Hauts-Tolosans"


def test_importing_twice_updates_rather_than_duplicates():
    call_command("importer_collectivites", "31", source=str(SAMPLE))
    first = Collectivite.objects.count()
    history_rows = Collectivite.history.count()
    Collectivite.objects.filter(code="31232").update(nom="Ancien nom", population=1)

    call_command("importer_collectivites", "31", source=str(SAMPLE))

    assert Collectivite.objects.count() == first
    assert Collectivite.objects.get(code="31232").nom == "Grenade"
    # Only the corrected commune left a new history row.
    assert Collectivite.history.count() == history_rows + 1


def test_an_unknown_departement_gives_a_clear_error():
    with pytest.raises(CommandError, match="Département inconnu : « 99 »"):
        call_command("importer_collectivites", "99", source=str(SAMPLE))
    assert Collectivite.objects.count() == 0


def test_a_missing_source_folder_gives_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("importer_collectivites", "31", source=str(tmp_path))


def test_the_committed_haute_garonne_referential_has_586_communes_and_18_epci():
    call_command("importer_collectivites", "31", source=str(FIXTURE_31))

    assert Collectivite.objects.communes().filter(departement="31").count() == 586
    assert Collectivite.objects.epci().count() == 18
    assert not Collectivite.objects.communes().filter(epci__isnull=True).exists()
