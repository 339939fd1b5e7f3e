"""The apps import one another only in the allowed direction (import contracts in pyproject.toml).

config and operations → everything; actualites, reseau and pilotage → intake and catalogue;
intake → catalogue; catalogue → none of the others; actualites, reseau and pilotage read intake
through its models and services, never its back office, views or API. Inside intake, by concern:
statistiques → suivi → depot → donnees_personnelles → notifications → referentiel → models →
permissions, liens, deadlines, storage (never upwards). A forbidden import makes `lint-imports`
fail, and this test with it.
"""

import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent


def lint_imports(*args, cwd=RACINE):
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_les_contrats_d_import_sont_respectes():
    resultat = lint_imports("--no-cache")
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "0 broken" in resultat.stdout


@pytest.mark.parametrize(
    "module, importe",
    [
        ("catalogue", "intake.models"),
        ("catalogue", "config.cache"),
        ("intake", "actualites.models"),
        ("intake", "pilotage"),
        ("reseau", "pilotage"),
        ("pilotage", "actualites"),
        ("actualites", "reseau"),
        ("actualites", "intake.suivi"),
        ("reseau", "intake.depot.views"),
        ("pilotage", "intake.suivi.admin"),
        ("catalogue", "operations"),
        ("intake", "operations.taches"),
        ("pilotage", "operations.sante"),
        ("intake/models", "intake.suivi.views"),
        ("intake/models", "intake.notifications.outbox"),
        ("intake/notifications", "intake.suivi.forms"),
        ("intake/notifications", "intake.depot.services"),
        ("intake/depot", "intake.suivi.public"),
        ("intake/permissions", "intake.models"),
    ],
)
def test_un_import_interdit_fait_echouer_le_contrat(tmp_path, module, importe):
    """The contract really catches a forbidden arrow: the same apps, plus one bad import."""
    for paquet in ("config", "operations", "catalogue", "intake", "actualites", "reseau", "pilotage"):
        (tmp_path / paquet).symlink_to(RACINE / paquet)
    # The app under test is copied (not linked) so that the extra module stays out of the tree.
    app = module.split("/")[0]
    (tmp_path / app).unlink()
    subprocess.run(["cp", "-r", str(RACINE / app), str(tmp_path / app)], check=True)
    if (tmp_path / f"{module}.py").exists():  # a module: its import goes at its end
        fichier, source = tmp_path / f"{module}.py", module.replace("/", ".")
        fichier.write_text(fichier.read_text() + f"\nimport {importe}  # noqa: E402,F401\n")
    else:
        fichier, source = tmp_path / module / "_import_interdit.py", module.replace("/", ".") + "._import_interdit"
        fichier.write_text(f"import {importe}  # noqa: F401\n")
    (tmp_path / "pyproject.toml").write_text((RACINE / "pyproject.toml").read_text())

    resultat = lint_imports("--no-cache", cwd=tmp_path)

    assert resultat.returncode != 0, resultat.stdout
    assert f"{source} -> {importe}" in resultat.stdout


PAQUETS = ("config", "operations", "catalogue", "intake", "actualites", "reseau", "pilotage")
# Heavy libraries loaded only by the code that renders a PDF or an XLSX, or replays a view
# outside a request: the web workers that never do it don't pay for them.
IMPORTS_DIFFERES_PERMIS = {
    "weasyprint",
    "openpyxl",
    "openpyxl.cell",
    "openpyxl.styles",
    "openpyxl.utils",
    "django.test",
}


def _imports_dans_les_fonctions():
    import ast

    for paquet in PAQUETS:
        for chemin in sorted((RACINE / paquet).rglob("*.py")):
            if "migrations" in chemin.parts:
                continue
            arbre = ast.parse(chemin.read_text())
            for noeud in ast.walk(arbre):
                if not isinstance(noeud, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if chemin.name == "apps.py" and noeud.name == "ready":
                    continue  # Django's place for wiring signals once every app is loaded
                for sous in ast.walk(noeud):
                    if isinstance(sous, ast.ImportFrom):
                        yield chemin.relative_to(RACINE), sous.lineno, sous.module or ""
                    elif isinstance(sous, ast.Import):
                        for nom in sous.names:
                            yield chemin.relative_to(RACINE), sous.lineno, nom.name


def test_aucun_import_dans_une_fonction_pour_contourner_un_cycle():
    """Imports sit at the top of their module: an import hidden in a function is how a cycle
    hides. The only exceptions are AppConfig.ready() and a few heavy third-party libraries."""
    fautifs = [
        f"{chemin}:{ligne} import {module}"
        for chemin, ligne, module in _imports_dans_les_fonctions()
        if module not in IMPORTS_DIFFERES_PERMIS
    ]
    assert fautifs == []
