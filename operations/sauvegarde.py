"""Backup and restore of a whole instance: database, media and private files.

An archive is a .tar.gz holding `base.sqlite3` (SQLite online backup API) or `base.dump`
(pg_dump custom format), the `media/` and `private/` folders, and a manifest with the
checksum of every file. Restoring goes into an empty instance only, and checks checksums.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - pg_dump/pg_restore with fixed arguments, no shell
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone


class SauvegardeError(Exception):
    """A backup or restore that cannot proceed (message in French)."""


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def empreintes_dossier(folder):
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {str(path.relative_to(folder)): sha256(path) for path in sorted(folder.rglob("*")) if path.is_file()}


def _pg_env(settings_dict):
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return environment


def _pg_args(settings_dict):
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    return args


def _vider_base_vers(dossier):
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        cible = sqlite3.connect(dossier / "base.sqlite3")
        with cible:
            connection.connection.backup(cible)
        cible.close()
        return "sqlite"
    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        subprocess.run(  # nosec B603 B607
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *_pg_args(settings_dict),
                "--file",
                str(dossier / "base.dump"),
                settings_dict["NAME"],
            ],
            check=True,
            env=_pg_env(settings_dict),
            capture_output=True,
        )
        return "postgresql"
    raise SauvegardeError(f"Moteur de base non pris en charge : {vendor}")


def sauvegarder(destination):
    """Write a dated archive of the instance into `destination`; return its path."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    horodatage = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = destination / f"plateforme-{horodatage}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="sauvegarde-") as tmp:
        dossier = Path(tmp)
        moteur = _vider_base_vers(dossier)
        manifeste = {
            "date": timezone.now().isoformat(),
            "moteur": moteur,
            "base": sha256(dossier / ("base.sqlite3" if moteur == "sqlite" else "base.dump")),
            "media": empreintes_dossier(settings.MEDIA_ROOT),
            "private": empreintes_dossier(settings.PRIVATE_ROOT),
        }
        (dossier / "manifeste.json").write_text(json.dumps(manifeste, indent=1, ensure_ascii=False), encoding="utf-8")
        partiel = archive.with_suffix(".partiel")
        with tarfile.open(partiel, "w:gz") as tar:
            for name in ("manifeste.json", "base.sqlite3", "base.dump"):
                if (dossier / name).exists():
                    tar.add(dossier / name, arcname=name)
            for racine, nom in ((settings.MEDIA_ROOT, "media"), (settings.PRIVATE_ROOT, "private")):
                if Path(racine).is_dir():
                    tar.add(racine, arcname=nom)
        partiel.rename(archive)  # never leave a truncated archive under its final name
    return archive


def elaguer(destination, conserver=None):
    """Delete the oldest archives of `destination`, keeping the `conserver` most recent
    (default SAUVEGARDE_CONSERVATION_NOMBRE; 0 keeps everything). Only complete archives
    named by `sauvegarder` are touched; their timestamped names sort by date. Returns the deleted paths."""
    conserver = settings.SAUVEGARDE_CONSERVATION_NOMBRE if conserver is None else conserver
    if conserver < 0:
        raise SauvegardeError("Le nombre d'archives à conserver doit être positif ou nul.")
    if not conserver:
        return []
    archives = sorted(Path(destination).glob("plateforme-*.tar.gz"), key=lambda chemin: chemin.name, reverse=True)
    supprimees = []
    for archive in archives[conserver:]:
        archive.unlink(missing_ok=True)
        supprimees.append(archive)
    return supprimees


def _dossier_vide(path):
    path = Path(path)
    return not path.exists() or not any(path.iterdir())


def _base_vide():
    return not connection.introspection.table_names()


def restaurer(archive):
    """Restore `archive` into this (empty) instance; refuse to overwrite anything."""
    archive = Path(archive)
    if not archive.is_file():
        raise SauvegardeError(f"Archive introuvable : {archive}")
    if not _base_vide():
        raise SauvegardeError(
            "La base de données cible n'est pas vide : la restauration se fait dans une instance vide."
        )
    for racine in (settings.MEDIA_ROOT, settings.PRIVATE_ROOT):
        if not _dossier_vide(racine):
            raise SauvegardeError(
                f"Le dossier {racine} n'est pas vide : la restauration se fait dans une instance vide."
            )
    with tempfile.TemporaryDirectory(prefix="restauration-") as tmp:
        dossier = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(dossier, filter="data")
        manifeste = json.loads((dossier / "manifeste.json").read_text(encoding="utf-8"))
        if manifeste["moteur"] != connection.vendor:
            raise SauvegardeError(
                f"Archive {manifeste['moteur']} : elle ne peut pas être restaurée dans une base {connection.vendor}."
            )
        fichier_base = dossier / ("base.sqlite3" if manifeste["moteur"] == "sqlite" else "base.dump")
        if sha256(fichier_base) != manifeste["base"]:
            raise SauvegardeError("L'empreinte de la base ne correspond pas au manifeste : archive corrompue.")
        if connection.vendor == "sqlite":
            connections.close_all()
            shutil.copyfile(fichier_base, connection.settings_dict["NAME"])
        else:
            settings_dict = connection.settings_dict
            connections.close_all()
            subprocess.run(  # nosec B603 B607
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *_pg_args(settings_dict),
                    "--dbname",
                    settings_dict["NAME"],
                    str(fichier_base),
                ],
                check=True,
                env=_pg_env(settings_dict),
                capture_output=True,
            )
        for nom, racine in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_ROOT)):
            if (dossier / nom).is_dir():
                Path(racine).parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(dossier / nom, racine, dirs_exist_ok=True)
            if empreintes_dossier(racine) != manifeste[nom]:
                raise SauvegardeError(f"Les fichiers restaurés de {nom}/ ne correspondent pas au manifeste.")
    return manifeste


def empreinte_donnees():
    """A digest of every table (row count and checksum) and of every file: equal digests, nothing lost."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in model._meta.concrete_fields])
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator(chunk_size=2000):
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())
            count += 1
        tables[model._meta.db_table] = {"lignes": count, "empreinte": digest.hexdigest()}
    return {
        "tables": tables,
        "media": empreintes_dossier(settings.MEDIA_ROOT),
        "private": empreintes_dossier(settings.PRIVATE_ROOT),
    }
