"""Profile of the back office as a chef de file sees it: list, filtered list and detail.

    DATABASE_URL=postgres://… .venv/bin/python bench/profil_backoffice.py [-n 30] [--echauffement 3]
        [--utilisateur gen.u0001] [--demande 123] [--explain 2] [--json]

Runs in-process with Django's test Client (settings `config.settings.bench` unless
DJANGO_SETTINGS_MODULE says otherwise) on the database of DATABASE_URL, usually filled with
`manage.py generer_donnees`. Signs in (force_login) a generated chef de file — by default the
one of the direction with the most demandes — then, for each page, requests it a few times to
warm up, then N times in a row, and prints per request:

- wall ms (p50/p95) and this process's CPU ms (p50/p95, `time.process_time`);
- the PostgreSQL backend's CPU ms per request (mean, from /proc/<backend pid>/stat: only when
  the server runs on this machine and /proc is readable; clock ticks, so a mean over N);
- the number of SQL queries (one more request, under CaptureQueriesContext);
- the slowest SQL queries of that request, each with EXPLAIN (ANALYZE, BUFFERS).

Nothing is written but what the pages themselves write (the detail's access log rows).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.models import Membre  # noqa: E402
from intake import permissions  # noqa: E402
from intake.models import Demande  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
PREFIXE_UTILISATEURS = "gen."


def choisir_chef_de_file(username=None):
    """The chef de file to sign in: the one named, else a generated chef de file of the
    direction with the most demandes (not an administrator)."""
    membres = Membre.objects.filter(role=Membre.Role.CHEF_DE_FILE, user__is_active=True).select_related("user")
    if username:
        return membres.get(user__username=username).user
    membres = membres.filter(user__username__startswith=PREFIXE_UTILISATEURS)
    direction_id = (
        Demande.objects.filter(direction_id__in=membres.values("direction_id"))
        .values("direction_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "direction_id")
        .values_list("direction_id", flat=True)
        .first()
    )
    if direction_id is None:
        raise SystemExit("Aucun chef de file généré : lancez « manage.py generer_donnees ».")
    return membres.filter(direction_id=direction_id).order_by("user__username").first().user


def choisir_demande(user, pk=None):
    """A demande the chef de file may open, with a journal: the most recent of his direction."""
    if pk:
        return Demande.objects.get(pk=pk)
    visibles = permissions.demandes_visibles_en_detail(user, Demande.objects.all())
    avec_journal = visibles.filter(Q(journal__isnull=False)).order_by("-numero").values_list("pk", flat=True)
    pk = avec_journal.first() or visibles.order_by("-numero").values_list("pk", flat=True).first()
    if pk is None:
        raise SystemExit("Ce chef de file ne voit aucune demande en détail.")
    return Demande.objects.get(pk=pk)


def cpu_backend_ms():
    """CPU time (user + system) of this connection's PostgreSQL backend so far, or None."""
    connection.ensure_connection()
    pid = getattr(getattr(connection.connection, "info", None), "backend_pid", None)
    try:
        with open(f"/proc/{pid}/stat") as stat:
            champs = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(champs[11]) + int(champs[12])) * TICK_MS  # utime, stime (fields 14 and 15)


def pourcentile(valeurs, p):
    ordonnees = sorted(valeurs)
    if not ordonnees:
        return 0.0
    rang = max(0, min(len(ordonnees) - 1, round(p / 100 * len(ordonnees) + 0.5) - 1))
    return ordonnees[rang]


def obtenir(client, chemin):
    reponse = client.get(chemin)
    if reponse.status_code != 200:
        raise SystemExit(f"{chemin} : réponse {reponse.status_code}")
    if getattr(reponse, "streaming", False):
        for _ in reponse.streaming_content:
            pass
    return reponse


def expliquer(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(ligne[0] for ligne in cursor.fetchall())


def mesurer(client, nom, chemin, n, echauffement, explain):
    for _ in range(echauffement):
        obtenir(client, chemin)
    murs, cpus = [], []
    backend_avant = cpu_backend_ms()
    for _ in range(n):
        debut_mur, debut_cpu = time.perf_counter(), time.process_time()
        obtenir(client, chemin)
        murs.append((time.perf_counter() - debut_mur) * 1000)
        cpus.append((time.process_time() - debut_cpu) * 1000)
    backend_apres = cpu_backend_ms()
    backend = (backend_apres - backend_avant) / n if None not in (backend_avant, backend_apres) else None
    with CaptureQueriesContext(connection) as requetes:
        obtenir(client, chemin)
    lentes = sorted(requetes.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:explain]
    return {
        "page": nom,
        "chemin": chemin,
        "n": n,
        "mur_p50": pourcentile(murs, 50),
        "mur_p95": pourcentile(murs, 95),
        "cpu_p50": pourcentile(cpus, 50),
        "cpu_p95": pourcentile(cpus, 95),
        "cpu_postgres_moyen": backend,
        "sql": len(requetes.captured_queries),
        "sql_ms": sum(float(q["time"]) for q in requetes.captured_queries) * 1000,
        "lentes": [
            {
                "ms": float(q["time"]) * 1000,
                "sql": q["sql"],
                "plan": expliquer(q["sql"]) if connection.vendor == "postgresql" else "",
            }
            for q in lentes
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=30, help="requêtes mesurées par page (30)")
    parser.add_argument("--echauffement", type=int, default=3, help="requêtes d'échauffement par page (3)")
    parser.add_argument("--utilisateur", help="identifiant du chef de file (défaut : un chef de file généré)")
    parser.add_argument("--demande", type=int, help="id de la demande du détail")
    parser.add_argument("--explain", type=int, default=2, help="requêtes SQL les plus lentes expliquées (2)")
    parser.add_argument(
        "--pages",
        help="pages mesurées, séparées par des virgules (liste, liste_statut, liste_toutes, liste_retard, detail, accueil_admin)",
    )
    parser.add_argument("--json", action="store_true", help="une ligne JSON au lieu du texte")
    args = parser.parse_args()

    user = choisir_chef_de_file(args.utilisateur)
    demande = choisir_demande(user, args.demande)
    pages = [
        ("liste", "/admin/intake/demande/"),
        ("liste_statut", "/admin/intake/demande/?statut__exact=en_cours"),
        ("liste_toutes", "/admin/intake/demande/?mes=toutes"),
        ("liste_retard", "/admin/intake/demande/?retard=oui"),
        ("detail", f"/admin/intake/demande/inspect/{demande.pk}/"),
        ("accueil_admin", "/admin/"),
    ]
    if args.pages:
        pages = [page for page in pages if page[0] in args.pages.split(",")]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    charge = Path("/proc/loadavg").read_text().split()[:3]
    resultats = [mesurer(client, nom, chemin, args.n, args.echauffement, args.explain) for nom, chemin in pages]
    contexte = {
        "demandes": Demande.objects.count(),
        "utilisateur": user.username,
        "directions_chef_de_file": sorted(
            Membre.objects.filter(user=user, role="chef_de_file").values_list("direction_id", flat=True)
        ),
        "demande": demande.pk,
        "base": connection.vendor,
        "charge_avant": charge,
        "charge_apres": Path("/proc/loadavg").read_text().split()[:3],
    }
    if args.json:
        print(json.dumps({"contexte": contexte, "pages": resultats}))
        return
    print(
        f"{contexte['demandes']} demandes ({contexte['base']}), chef de file {user.username} "
        f"(directions {contexte['directions_chef_de_file']}), détail de la demande {demande.pk}, "
        f"charge {' '.join(charge)} → {' '.join(contexte['charge_apres'])}"
    )
    print(f"{'page':<14}{'mur p50':>9}{'p95':>8}{'cpu p50':>9}{'p95':>8}{'cpu PG':>8}{'SQL':>5}{'ms SQL':>8}")
    for r in resultats:
        pg = f"{r['cpu_postgres_moyen']:.1f}" if r["cpu_postgres_moyen"] is not None else "—"
        print(
            f"{r['page']:<14}{r['mur_p50']:>9.1f}{r['mur_p95']:>8.1f}{r['cpu_p50']:>9.1f}{r['cpu_p95']:>8.1f}"
            f"{pg:>8}{r['sql']:>5}{r['sql_ms']:>8.1f}"
        )
    for r in resultats:
        for lente in r["lentes"]:
            print(f"\n--- {r['page']} : requête de {lente['ms']:.1f} ms\n{lente['sql']}\n{lente['plan']}")


if __name__ == "__main__":
    main()
