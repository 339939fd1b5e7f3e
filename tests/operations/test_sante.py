from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from operations.models import ExecutionTache
from operations.taches import TACHES_PAR_COMMANDE, execution

pytestmark = pytest.mark.django_db


def test_a_healthy_instance_answers_200_with_its_checks(client):
    with execution("envoyer_notifications"):
        pass
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["statut"] == "ok"
    assert body["controles"]["base_de_donnees"]["ok"] and body["controles"]["cache"]["ok"]
    assert body["controles"]["taches"]["envoyer_notifications"]["en_retard"] is False
    assert body["controles"]["taches"]["anonymiser_demandes"]["en_retard"] is True
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_an_unreachable_database_answers_503(client):
    with mock.patch("operations.sante.connection.cursor", side_effect=OperationalError("connexion refusée")):
        response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["statut"] == "degrade"
    assert body["controles"]["base_de_donnees"] == {"ok": False, "erreur": "OperationalError"}


def test_only_get_is_allowed(client):
    assert client.post("/sante/").status_code == 405


def test_a_job_is_late_after_twice_its_period():
    tache = TACHES_PAR_COMMANDE["relancer_demandes"]
    assert tache.en_retard()
    with execution("relancer_demandes"):
        pass
    assert not tache.en_retard()
    ExecutionTache.objects.update(debut=timezone.now() - timedelta(days=2, minutes=1))
    assert tache.en_retard()


def test_a_failed_run_is_recorded_and_does_not_count_as_success():
    with pytest.raises(RuntimeError):
        with execution("relancer_demandes"):
            raise RuntimeError("SMTP indisponible")
    run = ExecutionTache.objects.get()
    assert run.succes is False and "SMTP indisponible" in run.message and run.fin is not None
    assert TACHES_PAR_COMMANDE["relancer_demandes"].en_retard()


def test_administrators_see_the_scheduled_jobs_with_late_ones_flagged(client, administrateur):
    with execution("envoyer_notifications"):
        pass
    client.force_login(administrateur)
    assert "/admin/exploitation/taches/" in client.get("/admin/").content.decode()
    html = client.get("/admin/exploitation/taches/").content.decode()
    assert "manage.py envoyer_notifications" in html and "manage.py anonymiser_demandes" in html
    assert html.count("En retard") == len(TACHES_PAR_COMMANDE) - 1  # every job but the one that just ran


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_caue", "editeur"])
def test_other_users_neither_see_nor_open_the_scheduled_jobs(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert "/admin/exploitation/taches/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/exploitation/taches/").status_code in (302, 403)  # Wagtail redirects a refusal


def test_a_stuck_outbox_answers_503_with_its_backlog(client, settings):
    from intake.models import Notification

    settings.SANTE_OUTBOX_AGE_MAX_MINUTES = 30
    Notification.objects.create(to=["a@exemple.test"], subject="Accusé", body="…")
    assert client.get("/sante/").status_code == 200  # a fresh email is not a stuck outbox
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=2))
    response = client.get("/sante/")
    assert response.status_code == 503
    courriels = response.json()["controles"]["courriels"]
    assert courriels["ok"] is False and courriels["en_attente"] == 1 and courriels["plus_ancien_minutes"] >= 119


# --- A stopped email sender turns /sante/ to 503 ----------------------------


def test_a_sender_silent_for_five_minutes_answers_503(client):
    with execution("envoyer_notifications"):
        pass
    ExecutionTache.objects.update(
        debut=timezone.now() - timedelta(minutes=4), fin=timezone.now() - timedelta(minutes=4)
    )
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json()["controles"]["envoi_courriels"]["ok"] is True
    ExecutionTache.objects.update(
        debut=timezone.now() - timedelta(minutes=6), fin=timezone.now() - timedelta(minutes=6)
    )
    response = client.get("/sante/")
    assert response.status_code == 503
    envoi = response.json()["controles"]["envoi_courriels"]
    assert envoi["ok"] is False and envoi["minutes"] >= 6
    # One pass later it is healthy again.
    with execution("envoyer_notifications"):
        pass
    assert client.get("/sante/").status_code == 200


def test_a_failed_pass_is_not_a_heartbeat(client):
    with execution("envoyer_notifications"):
        pass
    ExecutionTache.objects.update(
        debut=timezone.now() - timedelta(minutes=10), fin=timezone.now() - timedelta(minutes=10)
    )
    with pytest.raises(RuntimeError):
        with execution("envoyer_notifications"):
            raise RuntimeError("database is locked")
    assert client.get("/sante/").status_code == 503


def test_before_its_first_pass_the_sender_is_late_only_once_an_email_waits(client):
    """A fresh install (nothing sent yet, nothing to send) is healthy; an email waiting for
    more than five minutes with no sender ever run is not."""
    from intake.models import Notification

    assert client.get("/sante/").json()["controles"]["envoi_courriels"] == {
        "ok": True,
        "derniere_passe": None,
        "minutes": None,
    }
    Notification.objects.create(to=["a@exemple.test"], subject="Accusé", body="…")
    assert client.get("/sante/").status_code == 200
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["controles"]["envoi_courriels"]["ok"] is False
