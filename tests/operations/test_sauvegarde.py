"""Backup a populated instance, restore it into a new database and folders, compare everything."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from intake.models import EntreeJournal, PieceJointe
from operations.donnees_initiales.catalogue import load_catalogue_pages
from operations.donnees_initiales.editorial import load_site
from tests.factories import DemandeFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def instance_peuplee(transactional_db, organisation, expert_hgi, settings):
    home = load_site()
    load_catalogue_pages(home)
    for index in range(5):
        demande = DemandeFactory(direction=organisation["hgi_juridique"], message=f"Projet n°{index} : école")
        demande.statut = "en_cours"
        demande._change_reason = "Prise en charge"
        demande.save()
        demande.experts_associes.add(expert_hgi)
        entree = EntreeJournal.objects.create(demande=demande, auteur=expert_hgi, message=f"Appel du maire {index}")
        piece = PieceJointe(
            demande=demande, entree=entree, nom_original="note.pdf", type_mime="application/pdf", taille=9
        )
        piece.fichier.save("note.pdf", ContentFile(b"%PDF-1.4\n" + bytes([index])), save=True)
    Path(settings.MEDIA_ROOT, "original_images").mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, "original_images", "logo.png").write_bytes(b"\x89PNG fake image")


def _base_cible(tmp_path):
    """A new, empty database of the same engine, as a DATABASE_URL."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restauree.sqlite3'}", None
    name = f"restauration_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{name}", name


def _manage(*args, env):
    variables = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    variables.update(env, DJANGO_SETTINGS_MODULE="config.settings.dev")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=variables, capture_output=True, text=True, timeout=300
    )


def test_a_backup_restored_into_a_new_instance_loses_nothing(instance_peuplee, tmp_path):
    call_command("sauvegarder", destination=str(tmp_path / "archives"), stdout=open(os.devnull, "w"))
    (archive,) = (tmp_path / "archives").glob("plateforme-*.tar.gz")
    attendu = json.loads(_empreinte_locale())

    url, pg_name = _base_cible(tmp_path)
    env = {"DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "m2"), "PRIVATE_ROOT": str(tmp_path / "p2")}
    try:
        restored = _manage("restaurer", str(archive), env=env)
        assert restored.returncode == 0, restored.stderr
        obtenu = json.loads(_manage("empreinte_donnees", env=env).stdout)
        refused = _manage("restaurer", str(archive), env=env)
    finally:
        if pg_name:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{pg_name}"')

    # The restore ran in a fresh process: the run of `sauvegarder` itself was recorded after the dump.
    attendu["tables"].pop("intake_executiontache")
    obtenu["tables"].pop("intake_executiontache")
    assert obtenu == attendu
    assert attendu["tables"]["intake_demande"]["lignes"] == 5
    assert attendu["tables"]["intake_historicaldemande"]["lignes"] >= 10
    assert attendu["tables"]["intake_historicaldemande_experts_associes"]["lignes"] >= 5
    assert attendu["tables"]["wagtailcore_page"]["lignes"] == 5  # root, home, catalogue, 2 partners
    assert len(attendu["private"]) == 5 and "original_images/logo.png" in attendu["media"]
    # Restoring twice would overwrite: it is refused.
    assert refused.returncode != 0 and "n'est pas vide" in refused.stderr


def _empreinte_locale():
    from io import StringIO

    out = StringIO()
    call_command("empreinte_donnees", stdout=out)
    return out.getvalue()


def test_restoring_into_a_non_empty_instance_is_refused(db, tmp_path):
    archive = tmp_path / "plateforme-20260101-000000.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restaurer", str(archive))


def test_restoring_a_missing_archive_gives_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Archive introuvable"):
        call_command("restaurer", str(tmp_path / "absente.tar.gz"))


@pytest.fixture
def base_factice(monkeypatch):
    """The dump itself is covered by the round trip above: here a small file stands for it
    (an SQLite online backup waits forever on the open transaction of a non-transactional test)."""
    from operations import sauvegarde

    def vider(dossier):
        (dossier / "base.sqlite3").write_bytes(b"SQLite format 3\x00")
        return "sqlite"

    monkeypatch.setattr(sauvegarde, "_vider_base_vers", vider)


def _anciennes_archives(dossier, nombre):
    """`nombre` complete archives of January 2025 (older than any new one), named as `sauvegarder` names them."""
    dossier.mkdir(parents=True, exist_ok=True)
    chemins = [dossier / f"plateforme-202501{jour:02d}-030000.tar.gz" for jour in range(1, nombre + 1)]
    for chemin in chemins:
        chemin.write_bytes(b"ancienne")
    return chemins


def test_a_backup_keeps_only_the_most_recent_archives(db, base_factice, tmp_path, settings):
    settings.SAUVEGARDE_CONSERVATION_NOMBRE = 3
    dossier = tmp_path / "archives"
    anciennes = _anciennes_archives(dossier, 5)
    autre = dossier / "notes-de-l-exploitant.txt"
    autre.write_text("à garder")
    call_command("sauvegarder", destination=str(dossier), stdout=open(os.devnull, "w"))
    restantes = sorted(p.name for p in dossier.glob("plateforme-*.tar.gz"))
    assert len(restantes) == 3
    assert restantes[:2] == [anciennes[3].name, anciennes[4].name]
    assert restantes[2].startswith("plateforme-2") and restantes[2] not in {p.name for p in anciennes}
    assert autre.exists()


def test_the_conserver_option_overrides_the_setting_and_zero_keeps_everything(db, base_factice, tmp_path, settings):
    settings.SAUVEGARDE_CONSERVATION_NOMBRE = 1
    dossier = tmp_path / "archives"
    _anciennes_archives(dossier, 4)
    call_command("sauvegarder", destination=str(dossier), conserver=0, stdout=open(os.devnull, "w"))
    assert len(list(dossier.glob("plateforme-*.tar.gz"))) == 5
    call_command("sauvegarder", destination=str(dossier), conserver=2, stdout=open(os.devnull, "w"))
    assert len(list(dossier.glob("plateforme-*.tar.gz"))) == 2


def test_a_negative_number_of_archives_to_keep_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="positif ou nul"):
        call_command("sauvegarder", destination=str(tmp_path), conserver=-1)


def test_a_failed_backup_deletes_no_old_archive(db, tmp_path, settings, monkeypatch):
    from operations import sauvegarde

    settings.SAUVEGARDE_CONSERVATION_NOMBRE = 1
    dossier = tmp_path / "archives"
    anciennes = _anciennes_archives(dossier, 3)

    def panne(dossier):
        raise sauvegarde.SauvegardeError("Moteur de base non pris en charge : test")

    monkeypatch.setattr(sauvegarde, "_vider_base_vers", panne)
    with pytest.raises(CommandError, match="non pris en charge"):
        call_command("sauvegarder", destination=str(dossier))
    assert all(chemin.exists() for chemin in anciennes)
