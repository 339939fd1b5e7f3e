"""`manage.py tache`: the one place that records scheduled runs, and the loop beside the server."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from operations.models import ExecutionTache

pytestmark = pytest.mark.django_db


def test_a_scheduled_job_is_recorded_with_the_last_line_it_printed():
    sortie = io.StringIO()
    call_command("tache", "envoyer_notifications", stdout=sortie)
    run = ExecutionTache.objects.get(tache="envoyer_notifications")
    assert run.succes and run.fin is not None
    assert run.message == "Notifications : 0 envoyée(s), 0 en échec (nouvel essai plus tard)."
    assert run.message in sortie.getvalue()


def test_the_command_alone_records_nothing():
    call_command("envoyer_notifications", stdout=io.StringIO())
    assert not ExecutionTache.objects.exists()


def test_a_command_outside_the_scheduled_jobs_runs_without_being_recorded():
    sortie = io.StringIO()
    call_command("tache", "generer_exports", stdout=sortie)
    assert "Exports : 0 préparé(s)" in sortie.getvalue()
    assert not ExecutionTache.objects.exists()


def test_a_failing_job_is_recorded_as_failed_and_fails_the_command(monkeypatch):
    from intake.notifications import relances

    def panne():
        raise RuntimeError("serveur SMTP absent")

    monkeypatch.setattr(relances, "relancer", panne)
    monkeypatch.setattr("intake.management.commands.relancer_demandes.relancer", panne)
    with pytest.raises(RuntimeError):
        call_command("tache", "relancer_demandes", stdout=io.StringIO())
    run = ExecutionTache.objects.get(tache="relancer_demandes")
    assert not run.succes and run.message == "RuntimeError: serveur SMTP absent"


def test_an_unknown_command_or_a_negative_interval_is_refused_in_french():
    with pytest.raises(CommandError, match="Commande inconnue"):
        call_command("tache", "commande_inexistante", stdout=io.StringIO())
    with pytest.raises(CommandError, match="positif ou nul"):
        call_command("tache", "envoyer_notifications", "--boucle", "-1", stdout=io.StringIO())
    assert not ExecutionTache.objects.exists()
