"""CPU of the public pages on a page-cache miss, in one process: what a worker spends to build
them when the anonymous page cache does not hold them.

    DATABASE_URL=postgres://postgres@127.0.0.1:PORT/plateforme \\
        .venv/bin/python bench/profil_pages.py [-n 30] [--profil 25] [--page accueil ...]

Settings config.settings.bench (DEBUG off, cached template loader, manifest static files) on the
database of DATABASE_URL, prepared as `make bench` does (migrate, load_initial_data,
generer_donnees; README « Jeu de données »). STATIC_ROOT, MEDIA_ROOT, PRIVATE_ROOT,
PAGE_CACHE_DIR and EMAIL_FILE_PATH default to a folder of /tmp, as bench/outils.Projet sets them;
the static files are collected there once if their manifest is missing.

The page cache's two middlewares are removed (override_settings), so every request builds its
page. Each page is requested a few times first (--echauffement: per-worker caches such as
renditions and compiled templates, as in a worker in service), then `-n` times with Django's
test client. Printed per page: CPU ms per request (time.process_time: this process only, so
PostgreSQL's own work is not counted), wall ms, SQL queries per request; with --sql the last
request's queries, with --profil N the N first lines of cProfile's lists (CPU time), with
--pyinstrument pyinstrument's tree if it is installed (not a dependency of the project).
The load average is printed before and after: the machine may be shared, say it with any figure.
--toutes adds the search (?q=plu), a plain Wagtail page (/mentions-legales/) and the constant
view /bench/plafond/ (the floor of the middleware and the test client).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
if "DATABASE_URL" not in os.environ:
    sys.exit("DATABASE_URL manquante : la base du jeu de données (README « Jeu de données »).")
_VAR = Path(os.environ.get("PROFIL_VAR", Path(tempfile.gettempdir()) / "profil-pages"))
for _nom, _dossier in (
    ("STATIC_ROOT", "static"),
    ("MEDIA_ROOT", "media"),
    ("PRIVATE_ROOT", "private"),
    ("PAGE_CACHE_DIR", "cache-pages"),
    ("EMAIL_FILE_PATH", "emails"),
):
    os.environ.setdefault(_nom, str(_VAR / _dossier))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.models import FichePage  # noqa: E402

MIDDLEWARE_SANS_CACHE = [m for m in settings.MIDDLEWARE if not m.startswith("config.cache.")]

# (name, path): the four pages of the page-cache-miss budget; {fiche_url} is a generated fiche.
PAGES = [
    ("accueil", "/"),
    ("catalogue", "/catalogue/"),
    ("fiche", "{fiche_url}"),
    ("api_fiches", "/api/v2/pages/?type=catalogue.FichePage&fields=thematique,chef_de_file,nature&limit=20"),
]
PAGES_EN_PLUS = [
    ("recherche", "/catalogue/?q=plu"),
    # The floor: a constant view behind the same middleware and test client (bench/urls.py).
    ("plafond", "/bench/plafond/"),
    ("mentions", "/mentions-legales/"),
]


def url_fiche():
    fiche = (
        FichePage.objects.live().filter(slug__startswith="fiche-generee-", demande_en_ligne=True).order_by("pk").first()
        or FichePage.objects.live().order_by("pk").first()
    )
    return fiche.url if fiche else None


def statiques():
    manifeste = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifeste.exists():
        print(f"(collectstatic dans {settings.STATIC_ROOT})", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)


def mesurer(client, chemin, n):
    """n requests: CPU ms and wall ms of each, its query count, the statuses, the last one's SQL."""
    cpu, mur, requetes, statuts, dernieres = [], [], [], set(), []
    for _ in range(n):
        with CaptureQueriesContext(connection) as sql:
            t0, c0 = time.perf_counter(), time.process_time()
            reponse = client.get(chemin)
            c1, t1 = time.process_time(), time.perf_counter()
        cpu.append((c1 - c0) * 1000)
        mur.append((t1 - t0) * 1000)
        requetes.append(len(sql))
        statuts.add(reponse.status_code)
        dernieres = [q["sql"] for q in sql.captured_queries]
    return cpu, mur, requetes, statuts, dernieres


def profil_pyinstrument(client, chemin, n):
    """pyinstrument's tree (statistical, little overhead), when it is installed."""
    from pyinstrument import Profiler

    profileur = Profiler(interval=0.0005)
    profileur.start()
    for _ in range(n):
        client.get(chemin)
    profileur.stop()
    return profileur.output_text(unicode=True, show_all=False)


def profil(client, chemin, n, lignes):
    # CPU time of this process, not wall time: waiting for PostgreSQL is not counted.
    profileur = cProfile.Profile(time.process_time)
    profileur.enable()
    for _ in range(n):
        client.get(chemin)
    profileur.disable()
    sortie = io.StringIO()
    stats = pstats.Stats(profileur, stream=sortie)
    stats.sort_stats("cumulative").print_stats(lignes)
    stats.sort_stats("tottime").print_stats(lignes)
    return sortie.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=30, help="requêtes mesurées par page (défaut 30)")
    parser.add_argument("--echauffement", type=int, default=3, help="requêtes avant la mesure (défaut 3)")
    parser.add_argument("--profil", type=int, default=0, metavar="N", help="imprimer les N premières fonctions")
    parser.add_argument("--pyinstrument", action="store_true", help="arbre de pyinstrument (s'il est installé)")
    parser.add_argument("--page", action="append", help="ne mesurer que ces pages (nom)")
    parser.add_argument(
        "--toutes", action="store_true", help="ajouter la recherche ?q=plu et la vue constante /bench/plafond/"
    )
    parser.add_argument("--sql", action="store_true", help="imprimer les requêtes SQL de la dernière requête")
    parser.add_argument("--sql-largeur", type=int, default=300, help="caractères imprimés par requête SQL")
    args = parser.parse_args()

    statiques()
    contexte = {"fiche_url": url_fiche()}
    pages = PAGES + (PAGES_EN_PLUS if args.toutes else [])
    if args.page:
        pages = [page for page in pages if page[0] in args.page]
    print(f"Charge : {Path('/proc/loadavg').read_text().strip()} · base : {connection.vendor}", flush=True)
    resultats = []
    with override_settings(MIDDLEWARE=MIDDLEWARE_SANS_CACHE):
        client = Client(HTTP_HOST="127.0.0.1")
        for nom, modele in pages:
            chemin = modele.format(**contexte)
            for _ in range(args.echauffement):
                client.get(chemin)
            cpu, mur, requetes, statuts, dernieres = mesurer(client, chemin, args.n)
            resultats.append((nom, chemin, cpu, mur, requetes, statuts))
            if args.sql:
                print(f"\n=== SQL : {nom} ({chemin}) ===")
                for numero, texte in enumerate(dernieres, 1):
                    print(f"{numero:>3}. {texte[: args.sql_largeur]}")
            if args.pyinstrument:
                print(f"\n=== pyinstrument : {nom} ({chemin}), {args.n} requêtes ===")
                print(profil_pyinstrument(client, chemin, args.n))
            if args.profil:
                print(f"\n=== cProfile : {nom} ({chemin}), {args.n} requêtes ===")
                print(profil(client, chemin, args.n, args.profil))
    print(f"\n{'page':<12} {'statut':<7} {'CPU ms/req (médiane)':>21} {'moyenne':>8} {'mur ms':>7} {'SQL/req':>8}")
    for nom, _chemin, cpu, mur, requetes, statuts in resultats:
        sql = f"{min(requetes)}" if min(requetes) == max(requetes) else f"{min(requetes)}–{max(requetes)}"
        print(
            f"{nom:<12} {','.join(map(str, sorted(statuts))):<7} {statistics.median(cpu):>21.1f}"
            f" {statistics.mean(cpu):>8.1f} {statistics.median(mur):>7.1f} {sql:>8}"
        )
    print(f"Charge : {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
