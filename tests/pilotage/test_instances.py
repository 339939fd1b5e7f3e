"""Governance instances: members, meetings on the dashboard, invitations by
e-mail with the event attached, comptes rendus and decisions linked to actions."""

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intake.models import Notification
from pilotage.ical import evenement
from pilotage.models import Decision, Instance, Invitation, Reunion
from pilotage.services import inviter
from tests.conftest import make_user
from tests.pilotage.helpers import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def comite(chef_hgi, chef_caue, organisation):
    instance = Instance.objects.create(nom="Comité de suivi de la plateforme", type=Instance.Type.COMITE_SUIVI)
    instance.membres.add(chef_hgi, chef_caue)
    instance.structures.add(organisation["hgi"], organisation["caue"])
    return instance


def reunion(instance, jours=10, **extra):
    valeurs = {"lieu": "Hôtel du Département, salle 2", "ordre_du_jour": "Bilan; perspectives, 2026", **extra}
    return Reunion.objects.create(
        instance_gouvernance=instance, debut=timezone.now() + datetime.timedelta(days=jours), **valeurs
    )


def test_invitations_reach_each_member_once_with_the_event(comite, chef_hgi, chef_caue):
    r = reunion(comite)
    assert inviter(r) == 2
    assert inviter(r) == 0
    notifications = Notification.objects.filter(kind="invitation_reunion")
    assert sorted(n.to[0] for n in notifications) == sorted([chef_hgi.email, chef_caue.email])
    notification = notifications.first()
    assert "Invitation : Comité de suivi de la plateforme" in notification.subject
    assert "Hôtel du Département, salle 2" in notification.body
    (piece,) = notification.attachments
    assert piece["mimetype"] == "text/calendar"
    ics = base64.b64decode(piece["content"]).decode()
    assert "BEGIN:VEVENT" in ics and f"UID:reunion-{r.pk}@" in ics
    assert "DESCRIPTION:Bilan\\; perspectives\\, 2026" in ics


def test_a_member_added_later_is_invited_alone(comite):
    r = reunion(comite)
    inviter(r)
    nouveau = make_user("nouveau.membre")
    comite.membres.add(nouveau)
    assert inviter(r) == 1
    assert Invitation.objects.filter(reunion=r).count() == 3


def test_a_member_without_address_is_not_invited(comite, chef_caue):
    chef_caue.email = ""
    chef_caue.save()
    assert inviter(reunion(comite)) == 1


def test_the_event_uses_utc_and_folds_long_lines(comite):
    r = reunion(comite, ordre_du_jour="x" * 200)
    ics = evenement(r).decode()
    assert all(len(ligne.encode()) <= 75 for ligne in ics.split("\r\n"))
    assert f"DTSTART:{r.debut.astimezone(datetime.timezone.utc):%Y%m%dT%H%M%SZ}" in ics


def test_the_end_must_follow_the_start(comite):
    from django.core.exceptions import ValidationError

    debut = timezone.now()
    with pytest.raises(ValidationError) as erreur:
        Reunion(instance_gouvernance=comite, debut=debut, fin=debut - datetime.timedelta(hours=1)).full_clean()
    assert "fin" in erreur.value.message_dict


def test_the_administrator_sends_the_invitations_from_the_meeting_page(client, administrateur, comite):
    r = reunion(comite)
    client.force_login(administrateur)
    assert "Envoyer les invitations" in client.get(reverse("pilotage_reunion", args=[r.pk])).content.decode()
    response = client.post(reverse("pilotage_reunion_inviter", args=[r.pk]), follow=True)
    assert "2 invitations envoyées." in response.content.decode()
    assert "Envoyer les invitations" not in response.content.decode()


def test_no_invitation_for_a_past_meeting(client, administrateur, comite):
    r = reunion(comite, jours=-1)
    client.force_login(administrateur)
    assert "Envoyer les invitations" not in client.get(reverse("pilotage_reunion", args=[r.pk])).content.decode()
    response = client.post(reverse("pilotage_reunion_inviter", args=[r.pk]), follow=True)
    assert "déjà eu lieu" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_member_cannot_send_invitations(client, chef_hgi, comite):
    r = reunion(comite)
    client.force_login(chef_hgi)
    assert "Envoyer les invitations" not in client.get(reverse("pilotage_reunion", args=[r.pk])).content.decode()
    assert client.post(reverse("pilotage_reunion_inviter", args=[r.pk])).status_code in (302, 403)
    assert not Notification.objects.exists()


def test_a_member_reads_the_compte_rendu_and_decisions_of_its_instance(client, chef_hgi, comite, organisation):
    actions = plan(organisation)
    r = reunion(
        comite,
        jours=-3,
        compte_rendu="Le comité a validé le guide.",
        compte_rendu_fichier=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 cr", content_type="application/pdf"),
    )
    decision = Decision.objects.create(reunion=r, texte="Lancer la formation en septembre.")
    decision.actions.add(actions["en_retard"])
    decision.save()  # modelcluster writes the relation on save
    client.force_login(chef_hgi)
    contenu = client.get(reverse("pilotage_reunion", args=[r.pk])).content.decode()
    assert "Le comité a validé le guide." in contenu
    assert "Lancer la formation en septembre." in contenu and "Former les secrétaires de mairie" in contenu
    response = client.get(reverse("pilotage_reunion_compte_rendu", args=[r.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 cr"
    # The decision is shown beside its action on the dashboard.
    assert "Lancer la formation en septembre." in client.get(reverse("pilotage_tableau_de_bord")).content.decode()


def test_a_member_of_another_instance_reads_neither_meeting_nor_decisions(client, expert_caue, comite, organisation):
    actions = plan(organisation)
    r = reunion(
        comite,
        jours=-3,
        compte_rendu="Confidentiel",
        compte_rendu_fichier=SimpleUploadedFile("cr.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    decision = Decision.objects.create(reunion=r, texte="Décision réservée.")
    decision.actions.add(actions["en_retard"])
    decision.save()
    client.force_login(expert_caue)
    assert client.get(reverse("pilotage_reunion", args=[r.pk])).status_code in (302, 403)
    assert client.get(reverse("pilotage_reunion_compte_rendu", args=[r.pk])).status_code in (302, 403)
    assert client.get(reverse("pilotage_instances")).status_code in (302, 403)
    tableau = client.get(reverse("pilotage_tableau_de_bord")).content.decode()
    assert "Décision réservée." not in tableau
    assert reverse("pilotage_instances") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_upcoming_meetings_of_the_members_instances_are_on_the_dashboard(client, chef_hgi, expert_caue, comite):
    autre = Instance.objects.create(nom="Groupe de travail outils", type=Instance.Type.GROUPE_TRAVAIL)
    reunion(comite, jours=5)
    reunion(autre, jours=6)
    reunion(comite, jours=-5)
    client.force_login(chef_hgi)
    contenu = client.get(reverse("pilotage_tableau_de_bord")).content.decode()
    assert contenu.count("Comité de suivi de la plateforme</a>") == 1
    assert "Groupe de travail outils" not in contenu


def test_the_instances_page_lists_the_members_instances(client, chef_hgi, comite):
    reunion(comite, jours=-2)
    client.force_login(chef_hgi)
    contenu = client.get(reverse("pilotage_instances")).content.decode()
    assert "Comité de suivi de la plateforme" in contenu and "À rédiger" in contenu
    assert "Programmer une réunion" not in contenu


def test_the_administrator_records_a_compte_rendu_with_decisions(client, administrateur, comite, organisation):
    actions = plan(organisation)
    r = reunion(comite, jours=-1)
    client.force_login(administrateur)
    debut = timezone.localtime(r.debut)
    response = client.post(
        reverse("pilotage_reunion_modeladmin_edit", args=[r.pk]),
        {
            "instance_gouvernance": comite.pk,
            "debut": debut.strftime("%Y-%m-%d %H:%M"),
            "fin": "",
            "lieu": r.lieu,
            "ordre_du_jour": r.ordre_du_jour,
            "compte_rendu": "Compte rendu validé.",
            "compte_rendu_fichier": SimpleUploadedFile("cr.pdf", b"%PDF-1.4", content_type="application/pdf"),
            "decisions-TOTAL_FORMS": 1,
            "decisions-INITIAL_FORMS": 0,
            "decisions-MIN_NUM_FORMS": 0,
            "decisions-MAX_NUM_FORMS": 1000,
            "decisions-0-texte": "Reporter l'échéance à décembre.",
            "decisions-0-actions": [actions["en_retard"].pk],
            "decisions-0-id": "",
            "decisions-0-ORDER": 1,
            "decisions-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    r.refresh_from_db()
    assert r.compte_rendu == "Compte rendu validé." and r.compte_rendu_fichier
    assert list(actions["en_retard"].decisions.values_list("texte", flat=True)) == ["Reporter l'échéance à décembre."]
