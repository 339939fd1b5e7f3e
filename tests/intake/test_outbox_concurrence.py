"""Two email senders and concurrent filings on one SQLite FILE database (the
`make run` set-up): every email leaves exactly once, and no process dies on "database is locked".

Real processes, not threads: pytest's in-memory database cannot be shared. The schema is copied
from the test database (already migrated) into a temporary file; the processes run with the
development settings and the file email backend, as `make run` does."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# No open transaction: the schema is copied from the connection (a backup waits on its write lock).
pytestmark = pytest.mark.django_db(transaction=True)

DEPOTS = 6

DONNEES = """
from django.contrib.auth import get_user_model
from catalogue.enums import TypeCollectivite
from intake.models import Collectivite

get_user_model().objects.create_superuser("admin.concurrence", "admin@exemple.test", "mot-de-passe-long-123")
Collectivite.objects.create(code="31232", nom="Grenade", type=TypeCollectivite.COMMUNE, departement="31")
"""

DEPOSANT = f"""
from catalogue.enums import TypeCollectivite
from intake.models import Collectivite
from intake.depot.services import deposer_demande

grenade = Collectivite.objects.get(code="31232")
for n in range({DEPOTS}):
    deposer_demande(
        source="formulaire", demandeur_nom="Durand", demandeur_prenom="Claire",
        demandeur_email=f"maire{{n}}@grenade.test", demandeur_telephone="05 61 82 61 00",
        collectivite=grenade, type_collectivite=TypeCollectivite.COMMUNE,
        message=f"Besoin d'un appui n°{{n}}.", consentement=True,
    )
print("depots termines")
"""


def _copier_schema(cible):
    """The migrated (and still empty) test database, written to a file."""
    connection.ensure_connection()
    with sqlite3.connect(cible) as fichier:
        connection.connection.backup(fichier)
    fichier.close()


def _messages_par_notification(dossier):
    compte = {}
    for chemin in Path(dossier).glob("*"):
        for pk in re.findall(r"^X-Plateforme-Notification: (\d+)$", chemin.read_text(errors="replace"), re.M):
            compte[int(pk)] = compte.get(int(pk), 0) + 1
    return compte


@pytest.mark.skipif(connection.vendor != "sqlite", reason="le scénario make run (SQLite en fichier)")
def test_two_senders_and_concurrent_filings_send_every_email_exactly_once(tmp_path):
    base = tmp_path / "db.sqlite3"
    courriels = tmp_path / "emails"
    _copier_schema(base)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{base}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(courriels),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_ROOT": str(tmp_path / "private"),
        "PAGE_CACHE_DIR": str(tmp_path / "cache"),
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "shell", "-c", DONNEES], env=env, cwd=settings.BASE_DIR, check=True, timeout=600)
    journaux = {nom: open(tmp_path / f"{nom}.log", "w+") for nom in ("envoi1", "envoi2", "depots1", "depots2")}
    envois = [
        subprocess.Popen(
            [*manage, "tache", "envoyer_notifications", "--boucle", "1"],
            env=env,
            stdout=journaux[nom],
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
        )
        for nom in ("envoi1", "envoi2")
    ]
    try:
        # Two web processes file at the same time; like production, the first leaves the sending
        # to the senders, the second also sends right after its commit (a third sender racing).
        depots = [
            subprocess.Popen(
                [*manage, "shell", "-c", DEPOSANT],
                env={**env, "INTAKE_ENVOI_APRES_COMMIT": apres_commit},
                stdout=journaux[nom],
                stderr=subprocess.STDOUT,
                cwd=settings.BASE_DIR,
            )
            for nom, apres_commit in (("depots1", "0"), ("depots2", "1"))
        ]
        for nom, processus in zip(("depots1", "depots2"), depots):
            processus.wait(timeout=600)
            journaux[nom].seek(0)
            assert processus.returncode == 0, journaux[nom].read()
        # Wait (bounded, to never hang the suite) until the senders have drained the outbox.
        lecture = sqlite3.connect(f"file:{base}?mode=ro", uri=True, timeout=20)
        limite = time.monotonic() + 300
        while time.monotonic() < limite:
            restant = lecture.execute("SELECT COUNT(*) FROM intake_notification WHERE sent_at IS NULL").fetchone()[0]
            if restant == 0:
                break
            time.sleep(0.5)
        lignes = lecture.execute("SELECT id, attempts, last_error FROM intake_notification ORDER BY id").fetchall()
        lecture.close()
        for processus in envois:
            assert processus.poll() is None, "an email sender died"
    finally:
        for processus in envois:
            processus.send_signal(signal.SIGINT)
        for processus in envois:
            try:
                processus.wait(timeout=30)
            except subprocess.TimeoutExpired:
                processus.kill()
                processus.wait()
    journal = ""
    for fichier in journaux.values():
        fichier.seek(0)
        journal += fichier.read()
        fichier.close()

    assert len(lignes) == 2 * 2 * DEPOTS  # the accusé (with its PDF) and the notice to the administrator
    assert all(attempts == 1 and not erreur for _, attempts, erreur in lignes), lignes
    envoyes = _messages_par_notification(courriels)
    assert envoyes == {pk: 1 for pk, _, _ in lignes}, "every email exactly once"
    assert "database is locked" not in journal and "Traceback" not in journal
    # The loop senders did take part (not only the filing process sending after its commit).
    assert journal.count("evenement=courriel_envoye") == 2 * 2 * DEPOTS
