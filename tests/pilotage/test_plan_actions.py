"""Plan d'actions: actions, lateness, indicators typed or computed from the
platform's statistics, the dashboard and the admin forms."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from pilotage.indicateurs import SOURCES, calculer
from pilotage.models import Action, Axe, Indicateur
from pilotage.plan import plan_d_actions, synthese
from tests.factories import DemandeFactory
from tests.pilotage.helpers import AUJOURD_HUI, plan

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def deposee_le(annee, mois, jour, **extra):
    return DemandeFactory(
        created_at=datetime.datetime(annee, mois, jour, 10, tzinfo=PARIS),
        echeance_premier_contact=datetime.date(annee, mois, jour) + datetime.timedelta(days=10),
        **extra,
    )


def test_an_action_whose_deadline_passed_and_not_done_is_late(organisation):
    actions = plan(organisation)
    assert actions["en_retard"].est_en_retard(AUJOURD_HUI)
    assert not actions["a_temps"].est_en_retard(AUJOURD_HUI)
    assert not actions["realisee"].est_en_retard(AUJOURD_HUI)


def test_an_abandoned_action_is_never_late(organisation):
    action = plan(organisation)["en_retard"]
    action.statut = Action.Statut.ABANDONNEE
    action.save()
    assert not action.est_en_retard(AUJOURD_HUI)


def test_a_finished_action_is_complete(organisation):
    assert plan(organisation)["realisee"].avancement == 100


def test_an_action_needs_a_pilote(organisation):
    axe = Axe.objects.create(titre="Axe", ordre=1)
    with pytest.raises(ValidationError) as erreur:
        Action(axe=axe, titre="Sans pilote").full_clean()
    assert "pilote_direction" in erreur.value.message_dict


def test_progress_is_a_percentage(organisation):
    axe = Axe.objects.create(titre="Axe", ordre=1)
    with pytest.raises(ValidationError) as erreur:
        Action(axe=axe, titre="Trop", pilote_structure=organisation["hgi"], avancement=140).full_clean()
    assert "avancement" in erreur.value.message_dict


def test_an_automatic_indicator_needs_a_source(organisation):
    action = plan(organisation)["a_temps"]
    with pytest.raises(ValidationError) as erreur:
        Indicateur(action=action, libelle="?", source=Indicateur.Source.AUTOMATIQUE).full_clean()
    assert "source_automatique" in erreur.value.message_dict


def test_a_typed_indicator_keeps_its_value_and_shows_its_share_of_the_target(organisation):
    indicateur = plan(organisation)["en_retard"].indicateurs.get()
    assert indicateur.valeur() == Decimal("20")
    assert indicateur.progression() == 40


def test_an_automatic_indicator_counts_the_demandes_filed_in_its_year(organisation):
    plan(organisation)
    deposee_le(2026, 2, 1)
    deposee_le(2026, 5, 3)
    deposee_le(2025, 12, 31)
    indicateur = Indicateur.objects.get(source_automatique="demandes_deposees")
    assert indicateur.valeur(AUJOURD_HUI) == 2
    assert indicateur.progression(2) == 50


def test_the_share_of_first_contacts_in_time_comes_from_the_statistics(organisation):
    deposee_le(2025, 3, 1, premier_contact_le=datetime.date(2025, 3, 5))
    deposee_le(2025, 3, 1, premier_contact_le=datetime.date(2025, 3, 20))
    assert calculer("part_premier_contact_delais", 2025) == 50.0


def test_every_automatic_source_computes_on_an_empty_platform(db):
    for cle in SOURCES:
        calculer(cle, 2026)
    assert calculer("inconnue", 2026) is None


def test_the_command_stores_the_automatic_values(organisation):
    deposee_le(2026, 2, 1)
    plan(organisation)
    call_command("actualiser_indicateurs", stdout=open("/dev/null", "w"))
    indicateur = Indicateur.objects.get(source_automatique="demandes_deposees")
    assert indicateur.valeur_mesuree == 1
    assert indicateur.mesure_le is not None
    assert Indicateur.objects.get(libelle="Secrétaires formés").valeur_mesuree == 20


def test_the_plan_summary_counts_late_actions_and_average_progress(organisation):
    plan(organisation)
    donnees = plan_d_actions(AUJOURD_HUI)
    resume = synthese(donnees)
    assert resume["total"] == 3
    assert resume["en_retard"] == 1
    assert resume["avancement"] == round((40 + 0 + 100) / 3)
    assert donnees[0]["avancement"] == resume["avancement"]


def test_the_dashboard_shows_actions_progress_lateness_and_indicators(client, administrateur, organisation):
    plan(organisation)
    client.force_login(administrateur)
    response = client.get(reverse("pilotage_tableau_de_bord"))
    assert response.status_code == 200
    contenu = response.content.decode()
    assert "Former les secrétaires de mairie" in contenu
    assert "en retard" in contenu
    assert 'value="40"' in contenu
    assert "Secrétaires formés" in contenu and "<strong>20</strong> / 50 personnes" in contenu
    assert "(automatique, 2026)" in contenu


def test_the_administrator_creates_an_action_with_an_indicator(client, administrateur, organisation):
    axe = Axe.objects.create(titre="Garantir des services pour tous", ordre=3)
    client.force_login(administrateur)
    response = client.post(
        reverse("pilotage_action_modeladmin_create"),
        {
            "axe": axe.pk,
            "numero": 1,
            "statut": "en_cours",
            "avancement": 10,
            "titre": "Créer des permanences",
            "description": "",
            "pilote_direction": organisation["hgi_juridique"].pk,
            "pilote_structure": "",
            "partenaires": [organisation["caue"].pk],
            "echeance": "2026-12-31",
            "indicateurs-TOTAL_FORMS": 1,
            "indicateurs-INITIAL_FORMS": 0,
            "indicateurs-MIN_NUM_FORMS": 0,
            "indicateurs-MAX_NUM_FORMS": 1000,
            "indicateurs-0-libelle": "Permanences ouvertes",
            "indicateurs-0-cible": "12",
            "indicateurs-0-unite": "",
            "indicateurs-0-source": "saisie",
            "indicateurs-0-source_automatique": "",
            "indicateurs-0-annee": "",
            "indicateurs-0-valeur_mesuree": "3",
            "indicateurs-0-ORDER": 1,
            "indicateurs-0-DELETE": "",
            "indicateurs-0-id": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    action = Action.objects.get(titre="Créer des permanences")
    assert list(action.partenaires.all()) == [organisation["caue"]]
    assert action.indicateurs.get().cible == 12
    assert action.history.first().history_user == administrateur


def test_the_action_form_refuses_an_action_without_pilote_with_a_french_message(client, administrateur, organisation):
    axe = Axe.objects.create(titre="Axe", ordre=1)
    client.force_login(administrateur)
    response = client.post(
        reverse("pilotage_action_modeladmin_create"),
        {
            "axe": axe.pk,
            "numero": 1,
            "statut": "a_lancer",
            "avancement": 0,
            "titre": "Sans pilote",
            "indicateurs-TOTAL_FORMS": 0,
            "indicateurs-INITIAL_FORMS": 0,
            "indicateurs-MIN_NUM_FORMS": 0,
            "indicateurs-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert "Indiquez la direction ou la structure qui pilote l&#x27;action." in response.content.decode()
    assert not Action.objects.exists()
