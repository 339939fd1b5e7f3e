"""Production settings refuse to start without their secrets and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import env

ROOT = Path(__file__).resolve().parents[1]
SECRETS = {
    "DJANGO_SECRET_KEY": "x" * 20 + "a-very-long-and-random-production-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "collectivites.example.fr",
    "DATABASE_URL": "sqlite:////tmp/plateforme-check-deploy.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://collectivites.example.fr",
}


def run_manage(*args, **variables):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update(variables, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "WAGTAILADMIN_BASE_URL"]
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    variables = {key: value for key, value in SECRETS.items() if key != missing}
    result = run_manage("check", **variables)
    assert result.returncode != 0
    assert f"La variable d'environnement {missing} est obligatoire" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", **{**SECRETS, "DJANGO_SECRET_KEY": "court"})
    assert result.returncode != 0
    assert "au moins 50 caractères" in result.stderr


def test_production_passes_check_deploy_without_any_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **SECRETS)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_env_helper_casts_and_rejects_bad_values(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("PLATEFORME_TEST_INT", "12")
    monkeypatch.setenv("PLATEFORME_TEST_BOOL", "oui")
    monkeypatch.setenv("PLATEFORME_TEST_LIST", "a.fr, b.fr,")
    assert env("PLATEFORME_TEST_INT", cast=int) == 12
    assert env("PLATEFORME_TEST_BOOL", cast=bool) is True
    assert env("PLATEFORME_TEST_LIST", cast=list) == ["a.fr", "b.fr"]
    assert env("PLATEFORME_TEST_ABSENT", "défaut") == "défaut"
    monkeypatch.setenv("PLATEFORME_TEST_INT", "douze")
    with pytest.raises(ImproperlyConfigured, match="Valeur invalide"):
        env("PLATEFORME_TEST_INT", cast=int)


def _settings_dev(monkeypatch, **variables):
    import importlib

    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "config.settings.dev", raising=False)
    return importlib.import_module("config.settings.dev")


def test_dev_links_follow_the_port_make_run_serves_on(monkeypatch):
    dev = _settings_dev(monkeypatch, PORT="8123")
    assert dev.WAGTAILADMIN_BASE_URL == dev.WAGTAILAPI_BASE_URL == "http://127.0.0.1:8123"
    assert _settings_dev(monkeypatch).WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8000"
    explicit = _settings_dev(monkeypatch, PORT="8123", WAGTAILADMIN_BASE_URL="http://plateforme.local")
    assert explicit.WAGTAILADMIN_BASE_URL == "http://plateforme.local"


def test_make_run_passes_its_port_to_the_server_and_the_sender_loop():
    recette = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "export PORT=$(PORT);" in recette.splitlines()[1]
    assert "envoyer_notifications" in recette and "runserver 127.0.0.1:$(PORT)" in recette
