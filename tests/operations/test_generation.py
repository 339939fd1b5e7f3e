"""The benchmark's data generator, at a small scale."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.models import CatalogueIndexPage, FichePage, Membre, Structure
from intake.models import Collectivite, Demande, EntreeJournal
from operations.generation import DOMAINE_COURRIEL, creer_session
from tests.conftest import publish

PETITE_ECHELLE = ["--structures", "2", "--directions", "4", "--utilisateurs", "12", "--fiches", "3", "--demandes", "60"]


@pytest.fixture
def catalogue(home_page):
    return publish(home_page, CatalogueIndexPage(title="Catalogue", slug="catalogue"))


def generer(*args):
    call_command("generer_donnees", *PETITE_ECHELLE, *args, stdout=open("/dev/null", "w"))


def generees():
    return Demande.objects.filter(demandeur_email__endswith="@" + DOMAINE_COURRIEL)


def test_generation_creates_the_requested_scale_with_history(catalogue):
    generer()
    assert Structure.objects.filter(sigle__startswith="GEN").count() == 2
    assert Membre.objects.filter(user__username__startswith="gen.u").count() == 12
    fiches = FichePage.objects.live().filter(slug__startswith="fiche-generee-")
    assert fiches.count() == 3
    assert all(fiche.chef_de_file_id for fiche in fiches)
    assert generees().count() == 60
    # Every demande has its creation history row, dated at filing, and numéros are unique.
    assert Demande.history.filter(history_type="+").count() == 60
    demande = generees().order_by("numero").first()
    assert demande.history.get().history_date == demande.created_at
    assert len(set(generees().values_list("numero", flat=True))) == 60
    assert EntreeJournal.objects.filter(demande__in=generees()).count() == EntreeJournal.history.count()
    # Demandes spread over the years asked, from the oldest to the newest.
    dates = list(generees().order_by("numero").values_list("created_at", flat=True))
    assert dates == sorted(dates)
    assert (dates[-1] - dates[0]).days > 365


def test_generation_twice_changes_nothing(catalogue):
    generer()
    avant = (generees().count(), Demande.history.count(), get_user_model().objects.count(), FichePage.objects.count())
    generer()
    assert (
        generees().count(),
        Demande.history.count(),
        get_user_model().objects.count(),
        FichePage.objects.count(),
    ) == avant


def test_larger_scale_only_adds_what_is_missing(catalogue):
    generer()
    numeros = set(generees().values_list("numero", flat=True))
    call_command("generer_donnees", *PETITE_ECHELLE[:-1], "90", stdout=open("/dev/null", "w"))
    assert generees().count() == 90
    assert numeros <= set(generees().values_list("numero", flat=True))


def test_vider_removes_generated_data_only(catalogue, organisation):
    collectivite = Collectivite.objects.create(code="31555", nom="Toulouse", type="commune", departement="31")
    reelle = Demande.objects.create(
        numero=1,
        demandeur_nom="Réel",
        demandeur_prenom="A",
        demandeur_email="maire@commune.fr",
        demandeur_telephone="0561000000",
        type_collectivite="commune",
        collectivite=collectivite,
        message="x",
        statut=Demande.Statut.ATTRIBUE_ADMIN,
        echeance_premier_contact="2026-01-10",
    )
    generer()
    call_command("generer_donnees", "--seulement-vider", stdout=open("/dev/null", "w"))
    assert list(Demande.objects.all()) == [reelle]
    assert not Structure.objects.filter(sigle__startswith="GEN").exists()
    assert not get_user_model().objects.filter(username__startswith="gen.").exists()
    assert not FichePage.objects.filter(slug__startswith="fiche-generee-").exists()
    assert Structure.objects.filter(sigle="HGI").exists()


def test_generation_is_refused_where_fictional_data_is_forbidden(catalogue, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match="interdites"):
        generer()
    assert not generees().exists()


def test_generation_needs_the_catalogue(home_page):
    with pytest.raises(CommandError, match="load_initial_data"):
        generer()


def test_benchmark_session_signs_in_the_generated_administrator(catalogue, client):
    generer()
    client.cookies["sessionid"] = creer_session("gen.administrateur")
    assert client.get("/admin/").status_code == 200
