"""The deployment files reference commands, settings and variables that exist."""

import configparser
import re
from pathlib import Path

from django.core.management import get_commands

from operations.taches import TACHES

ROOT = Path(__file__).resolve().parents[1]
SYSTEMD = ROOT / "deploy" / "systemd"


def _unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def test_every_scheduled_job_has_a_timer_running_an_existing_command():
    commands = get_commands()
    for tache in TACHES:
        timer = _unit(SYSTEMD / f"plateforme-{tache.commande}.timer")
        assert timer["Timer"]["Unit"] == f"plateforme-tache@{tache.commande}.service"
        assert timer["Timer"]["OnCalendar"]
        assert tache.commande in commands, tache.commande
    timers = {path.name.removeprefix("plateforme-").removesuffix(".timer") for path in SYSTEMD.glob("*.timer")}
    assert timers == {tache.commande for tache in TACHES}


def test_the_services_use_the_production_settings_and_existing_entry_points():
    web = _unit(SYSTEMD / "plateforme-web.service")["Service"]
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in web["Environment"]
    assert "config.wsgi:application" in web["ExecStart"]
    assert (ROOT / "config" / "settings" / "production.py").exists()
    tache = _unit(SYSTEMD / "plateforme-tache@.service")["Service"]
    # Every timer goes through the wrapper that records the run (etat_taches, /sante/).
    assert tache["ExecStart"].endswith("manage.py tache %i")
    exports = _unit(SYSTEMD / "plateforme-exports.service")["Service"]
    assert exports["ExecStart"].endswith("manage.py tache generer_exports --boucle 5")


def test_every_variable_the_settings_read_is_documented_in_env_example():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = set()
    for path in (ROOT / "config").rglob("*.py"):
        if path.name in ("bench.py", "test.py"):  # the benchmark's and the tests' own knobs
            continue
        read |= set(re.findall(r'env\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    assert read - documented == set()
