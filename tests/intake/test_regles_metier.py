"""Rules of the guide that no test pinned down: the deadline day, routing to another
direction, what associated experts see, and which directions may be associated."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Direction
from intake.models import Demande, Notification, TransitionInvalide
from intake.notifications import relances
from intake.suivi.forms import AffectationForm
from tests.intake.backoffice_support import demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"


def _jours(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# --- the deadline day -------------------------------------------------------------------


def test_a_demande_due_today_is_not_yet_overdue_in_python(organisation):
    due_aujourdhui = demande_hgi(organisation, echeance_premier_contact=_jours(0))
    due_hier = demande_hgi(organisation, echeance_premier_contact=_jours(-1))
    assert due_aujourdhui.est_en_retard is False
    assert due_hier.est_en_retard is True
    # The form used on rows read with values() (list, exports).
    assert Demande.retard(S.ATTRIBUE_CHEF_DE_FILE, None, _jours(0)) is False
    assert Demande.retard(S.ATTRIBUE_CHEF_DE_FILE, None, _jours(-1)) is True


def test_a_demande_due_today_is_not_yet_overdue_in_sql(organisation):
    due_aujourdhui = demande_hgi(organisation, echeance_premier_contact=_jours(0))
    due_hier = demande_hgi(organisation, echeance_premier_contact=_jours(-1))
    assert list(Demande.objects.en_retard()) == [due_hier]
    assert due_aujourdhui not in Demande.objects.en_retard(today=_jours(0))
    assert due_aujourdhui in Demande.objects.en_retard(today=_jours(1))


def test_the_overdue_filter_of_the_list_leaves_out_a_demande_due_today(client, organisation, chef_hgi):
    due_aujourdhui = demande_hgi(organisation, echeance_premier_contact=_jours(0))
    due_hier = demande_hgi(organisation, echeance_premier_contact=_jours(-1))
    client.force_login(chef_hgi)
    content = client.get(LIST_URL + "?retard=oui").content.decode()
    assert f"n°{due_hier.numero}" in content
    assert f"n°{due_aujourdhui.numero}" not in content


# --- routing to another direction -------------------------------------------------------


def test_routing_to_another_direction_clears_the_old_referent_and_chef_de_file(
    organisation, administrateur, chef_hgi, expert_hgi, chef_caue
):
    demande = demande_hgi(
        organisation,
        statut=S.REJETE,
        chef_de_file=chef_hgi,
        expert_referent=expert_hgi,
        motif="Hors compétence",
    )
    demande.router(by=administrateur, direction=organisation["caue_direction"], reason="Relève du CAUE")
    demande.refresh_from_db()
    assert demande.direction == organisation["caue_direction"]
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE
    assert demande.chef_de_file is None
    assert demande.expert_referent is None
    # The former référent and chef de file no longer follow it; the new chef de file does.
    assert demande not in Demande.objects.suivies_par(expert_hgi)
    assert demande not in Demande.objects.suivies_par(chef_hgi)
    assert demande in Demande.objects.suivies_par(chef_caue)


# --- associated experts -----------------------------------------------------------------


@pytest.fixture
def associee(organisation, expert_hgi, expert_caue):
    """An HGI demande the CAUE expert was invited on, and an HGI demande it was not."""
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    demande.experts_associes.add(expert_caue)
    autre = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    return demande, autre


def test_an_associated_expert_sees_the_demande_under_mes_demandes(client, associee, expert_caue):
    demande, autre = associee
    client.force_login(expert_caue)
    content = client.get(LIST_URL + "?mes=suivies").content.decode()
    assert f"n°{demande.numero}" in content
    assert f"n°{autre.numero}" not in content


def test_an_associated_expert_gets_the_demande_in_the_weekly_digest(
    associee, expert_caue, mailoutbox, django_capture_on_commit_callbacks
):
    demande, autre = associee
    assert list(relances.demandes_du_recapitulatif(expert_caue)) == [demande]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("envoyer_recapitulatif", stdout=open("/dev/null", "w"))
    call_command("envoyer_notifications", stdout=open("/dev/null", "w"))
    (courriel,) = [message for message in mailoutbox if message.to == [expert_caue.email]]
    assert f"n°{demande.numero}" in courriel.body
    assert f"n°{autre.numero}" not in courriel.body
    destinataires = [n.to for n in Notification.objects.filter(kind="recapitulatif")]
    assert destinataires.count([expert_caue.email]) == 1


# --- associating a direction ------------------------------------------------------------


@pytest.fixture
def direction_inactive(organisation):
    return Direction.objects.create(structure=organisation["caue"], nom="Ancienne mission paysage", active=False)


def test_an_inactive_direction_cannot_be_associated(organisation, chef_hgi, direction_inactive):
    demande = demande_hgi(organisation)
    with pytest.raises(TransitionInvalide, match="active"):
        demande.affecter(by=chef_hgi, directions_associees=[direction_inactive])
    assert not demande.directions_associees.exists()


def test_an_inactive_direction_is_not_offered_and_a_forged_post_is_refused(
    client, organisation, chef_hgi, direction_inactive
):
    demande = demande_hgi(organisation)
    offertes = AffectationForm(demande=demande).fields["directions_associees"].queryset
    assert direction_inactive not in offertes
    assert organisation["caue_direction"] in offertes
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {"version": demande.version, "directions_associees": [direction_inactive.pk]},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Le formulaire contient des erreurs." in content or "Une direction associée doit être active." in content
    assert not demande.directions_associees.exists()
