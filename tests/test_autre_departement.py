"""Another département runs its own instance with no code change: settings and data only."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from intake.models import Collectivite

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "etalab"

pytestmark = pytest.mark.django_db


@pytest.fixture
def tarn_et_garonne(settings, tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures, ignore=shutil.ignore_patterns("collectivites-*"))
    shutil.copytree(SAMPLE, fixtures / "collectivites-82")
    settings.FIXTURES_DIR = fixtures
    settings.PLATEFORME = {
        **django_settings.PLATEFORME,
        "NOM": "Plateforme d'ingénierie du Tarn-et-Garonne",
        "DEPARTEMENT_NOM": "Département de Tarn-et-Garonne",
        "DEPARTEMENT_CODE": "82",
        "COULEUR_PRINCIPALE": "#7a1f3d",
        "COURRIEL": "ingenierie@tarnetgaronne.test",
    }
    call_command("load_initial_data", stdout=open("/dev/null", "w"))


def test_it_imports_the_referential_of_its_own_departement(tarn_et_garonne):
    assert set(Collectivite.objects.values_list("departement", flat=True)) == {"82"}
    assert Collectivite.objects.communes().count() == 3
    assert Collectivite.objects.epci().filter(nom="CA Grand Montauban").exists()


def test_its_site_shows_its_own_name_colours_and_contact(tarn_et_garonne, client):
    html = client.get("/").content.decode()
    assert "Plateforme d&#x27;ingénierie du Tarn-et-Garonne" in html
    assert "Département de Tarn-et-Garonne" in html
    assert "--couleur-principale: #7a1f3d" in html
    assert "ingenierie@tarnetgaronne.test" in html
    assert "Haute-Garonne</span>" not in html


def test_its_acknowledgment_letter_carries_its_own_presidents_signature(tarn_et_garonne, settings):
    from io import BytesIO

    from pypdf import PdfReader

    from intake.notifications.pdf import rendre_accuse_pdf
    from tests.factories import DemandeFactory

    settings.PLATEFORME = {
        **settings.PLATEFORME,
        "PRESIDENT_NOM": "Valérie Rabault",
        "PRESIDENT_TITRE": "Présidente du Département de Tarn-et-Garonne",
    }
    demande = DemandeFactory(collectivite=Collectivite.objects.communes().first())
    texte = " ".join(page.extract_text() for page in PdfReader(BytesIO(rendre_accuse_pdf(demande))).pages)
    texte = texte.replace("-\n", "-").replace("\n", " ")
    assert "Valérie Rabault" in texte and "Présidente du Département de Tarn-et-Garonne" in texte
    assert "Haute-Garonne" not in texte
