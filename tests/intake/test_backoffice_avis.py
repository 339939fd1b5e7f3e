"""Hand-over emails (routing by the administrator, designation by the chef de file): written to
the outbox with the change, to the newly designated people only, never to the actor, without
the demandeur's personal data; nothing is written when the change is refused."""

import pytest
from django.core import mail

from catalogue.models import Membre
from intake.models import ActionRefusee, Demande, Notification
from intake.notifications import outbox
from intake.suivi import circuit
from tests.conftest import add_membre, make_user
from tests.intake.backoffice_support import demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db


def _avis(demande, kind):
    return list(Notification.objects.filter(demande=demande, kind=kind))


def test_routing_tells_the_direction_s_chefs_de_file(
    organisation, administrateur, chef_hgi, django_capture_on_commit_callbacks
):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None, demandeur_nom="Dupuy-Secret")
    with django_capture_on_commit_callbacks(execute=True):
        circuit.orienter(demande, by=administrateur, direction=organisation["hgi_juridique"])
    [avis] = _avis(demande, "orientation")
    assert avis.to == sorted([chef_hgi.email, "dajf@hgi.test"])
    assert avis.subject == f"Demande n°{demande.numero} orientée vers {organisation['hgi_juridique']}"
    assert f"/admin/intake/demande/inspect/{demande.pk}/" in avis.body
    assert "Dupuy-Secret" not in avis.body and demande.demandeur_email not in avis.body
    assert outbox.send_pending()[1] == 0
    avis.refresh_from_db()
    assert avis.sent_at is not None
    assert avis.to in [m.to for m in mail.outbox]  # the commune is told too (its own e-mail)


def test_refused_routing_writes_no_email(organisation, chef_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    with pytest.raises(ActionRefusee):
        circuit.orienter(demande, by=chef_hgi, direction=organisation["hgi_juridique"])
    assert Notification.objects.count() == 0


def test_designation_tells_each_new_person_why_and_not_the_actor(
    organisation, chef_hgi, expert_hgi, expert_caue, chef_caue
):
    demande = demande_hgi(organisation)
    circuit.affecter(
        demande,
        by=chef_hgi,
        referent=expert_hgi,
        experts_associes=[expert_caue, chef_hgi],
        directions_associees=[organisation["caue_direction"]],
    )
    [referent] = _avis(demande, "designation_referent")
    assert referent.to == [expert_hgi.email]
    assert "expert référent" in referent.body and "Chef Hgi" not in referent.to
    [experts] = _avis(demande, "designation_expert")
    assert experts.to == [expert_caue.email]  # the chef de file does not write to himself
    [direction] = _avis(demande, "designation_direction")
    assert chef_caue.email in direction.to
    assert "associé votre direction" in direction.body


def test_a_second_assignment_tells_only_the_newcomers(organisation, chef_hgi, expert_hgi, expert_caue):
    demande = demande_hgi(organisation)
    circuit.affecter(demande, by=chef_hgi, referent=expert_hgi, experts_associes=[expert_caue])
    autre = add_membre(make_user("expert.deux"), organisation["hgi_juridique"], Membre.Role.EXPERT)
    Notification.objects.all().delete()
    circuit.affecter(demande, by=chef_hgi, referent=expert_hgi, experts_associes=[expert_caue, autre])
    assert [n.to for n in Notification.objects.all()] == [[autre.email]]


def test_refused_designation_writes_no_email(organisation, expert_hgi, chef_caue):
    demande = demande_hgi(organisation)
    with pytest.raises(ActionRefusee):
        circuit.affecter(demande, by=chef_caue, referent=expert_hgi)
    assert Notification.objects.count() == 0


def test_the_detail_view_says_who_was_told(client, organisation, chef_hgi, expert_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {"expert_referent": expert_hgi.pk, "version": demande.version, "motif": ""},
        follow=True,
    )
    assert "prévenues par courriel" in response.content.decode()
    assert _avis(demande, "designation_referent")[0].to == [expert_hgi.email]
