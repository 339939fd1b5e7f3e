"""make bench: what the platform's pages cost, measured with wrk against true ceilings.

Serves the site with gunicorn (2 sync workers, bench.wsgi, config.settings.bench) on a
throwaway PostgreSQL 15 (or DATABASE_URL), generates 1,000 then 100,000 demandes, and
measures each page with wrk (1 thread, 4 connections, on loopback):

- ceilings: a constant body answered by bench/wsgi.py before Django (`plafond`, the ceiling:
  what this gunicorn serves on this machine), a constant Django view without middleware, a
  static file served by whitenoise, and a constant view behind the whole middleware;
- public pages as page-cache hits (the production settings) and as misses (BENCH_CACHE_PAGES=0:
  the page cache's middleware removed, every other cache as in production);
- the back office as a chef de file at concurrency 1 (wrk -c1), at 1,000 and 100,000 demandes;
- three concurrent exports of the whole list under the deploy unit's gunicorn (bench/exports.py).

Per page: req/s, p50/p99, CPU ms per request of gunicorn (master + workers) and of PostgreSQL
(every process of the cluster), both read from /proc/<pid>/stat over the run and divided by
the requests wrk completed, the ratio to the ceiling and the load average before/during.
Targets are printed PASS/FAIL; the CPU targets compare with bench/reference.json, written by
`--reference <commit>` (the same measurements on that commit's code, same database).

Options: --reduit (or BENCH_REDUIT=1): 1,000 then 5,000 demandes, 3-second runs;
--reference REV: also measure REV (git archive in a temporary folder) and write
bench/reference.json; --sans-exports: skip the exports.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import exports  # noqa: E402
from bench.outils import (  # noqa: E402
    RACINE,
    Postgres,
    Projet,
    charge_systeme,
    machine,
    mesurer_wrk,
    reduit,
    requete,
    texte_charge,
    titre,
    verifier_wrk,
    version_wrk,
    wrk,
)

API = "/api/v2/pages/?type=catalogue.FichePage&fields=thematique,chef_de_file,nature&limit=20"
# (name, path, description). {statique}, {fiche_url}, {demande_id} come from bench/sonde.py.
PLAFONDS = [
    ("plafond", "/bench/plafond/", "corps constant écrit par bench/wsgi.py avant Django : le plafond"),
    ("sans_intergiciel", "/bench/sans-intergiciel/", "vue Django constante, sans aucun intergiciel"),
    ("statique", "{statique}", "fichier statique (css/site.css) servi par whitenoise"),
    ("vue_constante", "/bench/vue-constante/", "vue Django constante derrière tous les intergiciels"),
]
# (name, path, has a CPU target against the reference)
PUBLIQUES = [
    ("accueil", "/", True),
    ("catalogue", "/catalogue/", True),
    ("fiche", "{fiche_url}", True),
    ("api_fiches", API, True),
    ("recherche", "/catalogue/?q=plu", False),
]
BACK_OFFICE = [
    ("liste_bo", "/admin/intake/demande/"),
    ("detail_bo", "/admin/intake/demande/inspect/{demande_id}/"),
]
# wrk sends no User-Agent: the page-view counter (reseau) would take it for a robot and skip its work.
NAVIGATEUR = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) bench"}
FICHIER_REFERENCE = RACINE / "bench" / "reference.json"
# Files of this harness copied over the reference checkout (its code, our way of serving and measuring).
HARNAIS = ["bench/__init__.py", "bench/wsgi.py", "bench/urls.py", "config/settings/bench.py"]

REDUIT = reduit()
PETITE = {"demandes": 1000, "fiches": 30}
GRANDE = {"demandes": 5000, "fiches": 60} if REDUIT else {"demandes": 100_000, "fiches": 300}
UTILISATEURS = 200 if REDUIT else 1000
DUREE, DUREE_BO, CHAUFFE = (3, 4, 1) if REDUIT else (10, 15, 2)
CONNEXIONS = 4
WORKERS = 2
OBJECTIF_CPU = 0.5  # miss CPU ms/request ≤ 0.5 × reference
OBJECTIF_BO_MS = 150  # back office p95 at concurrency 1
OBJECTIF_PLAT = 1.5  # list p50 at the large scale ≤ 1.5 × at 1,000 demandes


def generation(echelle):
    return [
        "--demandes",
        str(echelle["demandes"]),
        "--fiches",
        str(echelle["fiches"]),
        "--utilisateurs",
        str(UTILISATEURS),
    ]


class Banc:
    """Measures pages on one running gunicorn; CPU of gunicorn and of the PostgreSQL cluster."""

    def __init__(self, projet, postmaster):
        self.projet = projet
        self.postmaster = postmaster

    def mesurer(self, nom, chemin, entetes=None, connexions=CONNEXIONS, duree=DUREE):
        entetes = {**NAVIGATEUR, **(entetes or {})}
        port = self.projet.port
        # One request first: its status, and the page cache filled for the hits.
        statut = requete(port, "GET", chemin, entetes=entetes)[0]
        if statut != 200:
            return {"nom": nom, "chemin": chemin, "statut": statut}
        wrk(port, chemin, CHAUFFE, connexions, entetes)
        serveurs = {"gunicorn": self.projet.gunicorn.pid, "postgres": self.postmaster}
        r = mesurer_wrk(port, chemin, duree, connexions, entetes, serveurs)
        n = max(r["requetes"], 1)
        r.update(
            nom=nom,
            chemin=chemin,
            statut=statut,
            debit=r["requetes"] / (r["duree_us"] / 1e6),
            cpu_ms={serveur: secondes * 1000 / n for serveur, secondes in r["cpu_s"].items()},
        )
        return r


def ligne(r, plafond=None):
    if "debit" not in r:
        return f"{r['nom']:<18} HTTP {r['statut']} : non mesurée ({r['chemin']})"
    lat = r["latence_us"]
    cpu_pg = r["cpu_ms"].get("postgres")
    ratio = f"{r['debit'] / plafond:6.3f}" if plafond else "     -"
    erreurs = {k: v for k, v in r["erreurs"].items() if v}
    return (
        f"{r['nom']:<18} {r['debit']:8.1f} req/s  p50 {lat['p50'] / 1000:7.1f} ms  p95 {lat['p95'] / 1000:7.1f} ms  "
        f"p99 {lat['p99'] / 1000:7.1f} ms  CPU gunicorn {r['cpu_ms']['gunicorn']:7.2f} ms/req  "
        f"PostgreSQL {cpu_pg if cpu_pg is not None else float('nan'):6.2f} ms/req  ratio {ratio}  "
        f"n {r['requetes']}  charge {r['charge_avant'][0]:.2f}→{r['charge_pendant'][0]:.2f}"
        + (f"  ERREURS {erreurs}" if erreurs else "")
    )


def entete_tableau():
    print(
        "page                 débit        latences (wrk)                         CPU par requête "
        "(/proc, utime+stime)                ratio au plafond, requêtes, charge 1 min avant→fin"
    )


def postmaster(projet):
    """The cluster's main process: parent of this connection's server process (None if not local)."""
    info = projet.sonde("postgres")
    return info.get("postmaster"), info.get("version")


def chemins(contexte):
    return {nom: chemin.format(**contexte) for nom, chemin, *_ in PLAFONDS + PUBLIQUES + BACK_OFFICE}


def mesurer_back_office(banc, contexte):
    entetes = {"Cookie": f"sessionid={contexte['session_chef']}"}
    c = chemins(contexte)
    return {nom: banc.mesurer(nom, c[nom], entetes, connexions=1, duree=DUREE_BO) for nom, _ in BACK_OFFICE}


def compter_requetes(projet, contexte):
    c = chemins(contexte)
    pages = [[nom, "GET", c[nom], None, None] for nom, *_ in PUBLIQUES]
    pages += [[nom, "GET", c[nom], contexte["session_chef"], None] for nom, _ in BACK_OFFICE]
    return projet.sonde("requetes", json.dumps(pages))


def mesurer_publiques(projet, pg, contexte, avec_plafonds=True):
    """Ceilings and page-cache hits on one server, misses on another (BENCH_CACHE_PAGES=0),
    the back office on the first. Returns {"plafonds", "hits", "misses", "bo"}."""
    c = chemins(contexte)
    resultats = {}
    projet.demarrer_gunicorn(workers=WORKERS)
    try:
        banc = Banc(projet, pg)
        if avec_plafonds:
            resultats["plafonds"] = {nom: banc.mesurer(nom, c[nom]) for nom, *_ in PLAFONDS}
        resultats["hits"] = {nom: banc.mesurer(nom, c[nom]) for nom, *_ in PUBLIQUES}
        resultats["bo"] = mesurer_back_office(banc, contexte)
    finally:
        projet.arreter_gunicorn()
    projet.demarrer_gunicorn(workers=WORKERS, BENCH_CACHE_PAGES="0")
    try:
        banc = Banc(projet, pg)
        resultats["misses"] = {nom: banc.mesurer(nom, c[nom]) for nom, *_ in PUBLIQUES}
        resultats["misses"]["vue_constante"] = banc.mesurer("vue_constante", c["vue_constante"])
    finally:
        projet.arreter_gunicorn()
    return resultats


def imprimer(resultats, plafond):
    if "plafonds" in resultats:
        titre("Plafonds (même gunicorn, mêmes workers)")
        entete_tableau()
        for nom, _, description in PLAFONDS:
            print(ligne(resultats["plafonds"][nom], plafond) + f"   — {description}")
    titre("Pages publiques servies par le cache de pages (hit, réglages de production)")
    entete_tableau()
    for nom, *_ in PUBLIQUES:
        print(ligne(resultats["hits"][nom], plafond))
    titre("Pages publiques hors cache de pages (miss : BENCH_CACHE_PAGES=0, les autres caches comme en production)")
    entete_tableau()
    for nom in [p[0] for p in PUBLIQUES] + ["vue_constante"]:
        print(ligne(resultats["misses"][nom], plafond))
    titre(f"Back office d'un chef de file, concurrence 1 (wrk -c1, {DUREE_BO} s)")
    entete_tableau()
    for nom, _ in BACK_OFFICE:
        print(ligne(resultats["bo"][nom], plafond))


# --- reference ------------------------------------------------------------------------------
def git(*args):
    return subprocess.run(["git", "-C", str(RACINE), *args], check=True, capture_output=True, text=True).stdout.strip()


def extraire(revision):
    """The code of `revision` in a temporary folder (git archive: nothing registered in the
    repository), with this harness's serving and settings files copied over."""
    commit = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    dossier = Path(tempfile.mkdtemp(prefix="bench-reference-"))
    archive = subprocess.Popen(["git", "-C", str(RACINE), "archive", "--format=tar", commit], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dossier)], stdin=archive.stdout, check=True)
    archive.stdout.close()
    if archive.wait() != 0:
        raise RuntimeError(f"git archive {commit} a échoué.")
    for fichier in HARNAIS:
        (dossier / fichier).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RACINE / fichier, dossier / fichier)
    return commit, dossier


def lire_reference():
    try:
        return json.loads(FICHIER_REFERENCE.read_text())
    except (OSError, ValueError):
        return None


def ecrire_reference(commit, resultats, infos):
    echelle = str(GRANDE["demandes"])
    existant = lire_reference() or {}
    if existant.get("commit") != commit:
        existant = {}
    mesures = existant.get("mesures", {})
    mesures[echelle] = {
        "date": infos["date"],
        "machine": infos["machine"],
        "charge_avant": infos["charge"],
        "echelle": GRANDE,
        "pages": {
            nom: {
                "cpu_ms_gunicorn": round(r["cpu_ms"]["gunicorn"], 2),
                "cpu_ms_postgres": round(r["cpu_ms"]["postgres"], 2) if "postgres" in r["cpu_ms"] else None,
                "req_s": round(r["debit"], 1),
                "p50_ms": round(r["latence_us"]["p50"] / 1000, 1),
                "p99_ms": round(r["latence_us"]["p99"] / 1000, 1),
                "charge_avant_pendant": [r["charge_avant"][0], r["charge_pendant"][0]],
            }
            for nom, r in resultats["misses"].items()
            if "debit" in r
        },
    }
    contenu = {
        "description": (
            "Coût d'une page hors cache de pages (miss, BENCH_CACHE_PAGES=0) sur le code de référence : "
            "CPU ms par requête de gunicorn (maître + 2 workers sync) et de PostgreSQL, mesuré par "
            "`bench/bench.py --reference <commit>` ; clé = nombre de demandes générées."
        ),
        "commit": commit,
        "mesures": mesures,
    }
    FICHIER_REFERENCE.write_text(json.dumps(contenu, indent=2, ensure_ascii=False) + "\n")
    print(f"Référence écrite : {FICHIER_REFERENCE.relative_to(RACINE)} ({commit[:7]}, {echelle} demandes).")


def reference_pour_echelle(reference):
    """The reference's page figures at this run's scale (else the largest one measured)."""
    if not reference or not reference.get("mesures"):
        return None, None
    mesures = reference["mesures"]
    cle = str(GRANDE["demandes"])
    if cle not in mesures:
        cle = max(mesures, key=int)
    return mesures[cle], cle


# --- main -----------------------------------------------------------------------------------
def versions(version_pg):
    paquets = {nom: metadata.version(nom) for nom in ("django", "wagtail", "gunicorn", "whitenoise")}
    commit = git("rev-parse", "--short", "HEAD")
    modifie = " (modifié)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return (
        f"code {commit}{modifie} ; Python {sys.version.split()[0]}, "
        + ", ".join(f"{k} {v}" for k, v in paquets.items())
        + f", PostgreSQL {version_pg}, wrk {version_wrk()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reduit", action="store_true", help="échelle réduite (aussi BENCH_REDUIT=1)")
    parser.add_argument("--reference", metavar="REV", help="mesurer aussi ce commit et écrire bench/reference.json")
    parser.add_argument("--sans-exports", action="store_true", help="ne pas mesurer les exports")
    options = parser.parse_args()
    verifier_wrk()
    debut = time.monotonic()
    maintenant = datetime.now(timezone.utc)
    infos = {"date": f"{maintenant:%Y-%m-%d %H:%M} UTC", "machine": machine(), "charge": charge_systeme()}
    titre(f"Benchmark {'réduit ' if REDUIT else ''}— {infos['date']} — {infos['machine']}")
    print(f"Charge du système avant (1, 5, 15 min) : {texte_charge(infos['charge'])}")
    print(
        f"gunicorn bench.wsgi:application, {WORKERS} workers sync, config.settings.bench (DEBUG désactivé, "
        f"limites de dépôt relevées, axes désactivé) ; wrk 1 thread, {CONNEXIONS} connexions, {DUREE} s par page "
        f"après {CHAUFFE} s de chauffe ; back office à 1 connexion, {DUREE_BO} s."
    )
    print(
        "Reproduire : make bench (ou .venv/bin/python bench/bench.py [--reduit] [--reference a4fbacc] "
        "[--sans-exports]) ; PostgreSQL 15 jetable, ou DATABASE_URL."
    )
    verdicts = []
    reference_lue = lire_reference()
    with Postgres() as base:
        projet = Projet(base.url)
        dossier_reference = None
        try:
            t0 = time.monotonic()
            projet.preparer(*generation(PETITE))
            print(f"Préparation et génération de {PETITE['demandes']} demandes : {time.monotonic() - t0:.0f} s")
            pg, version_pg = postmaster(projet)
            print(f"Versions : {versions(version_pg)}")
            if pg is None:
                print("PostgreSQL n'est pas un processus local lisible : son CPU n'est pas mesuré.")

            # Back office at the small scale.
            contexte = projet.sonde("contexte")
            print(
                f"Chef de file mesuré : {contexte['chef']} ({contexte['demandes_chef']} demandes de sa direction "
                f"sur {contexte['demandes']})"
            )
            sql_petite = compter_requetes(projet, contexte)
            projet.demarrer_gunicorn(workers=WORKERS)
            try:
                bo_petite = mesurer_back_office(Banc(projet, pg), contexte)
            finally:
                projet.arreter_gunicorn()
            titre(f"Back office à {PETITE['demandes']} demandes (chef de file, wrk -c1)")
            entete_tableau()
            for nom, _ in BACK_OFFICE:
                print(ligne(bo_petite[nom]))

            # Large scale.
            titre(f"Génération jusqu'à {GRANDE['demandes']} demandes, {GRANDE['fiches']} fiches")
            t0 = time.monotonic()
            projet.manage("generer_donnees", *generation(GRANDE))
            print(f"Génération complémentaire : {time.monotonic() - t0:.0f} s")
            contexte = projet.sonde("contexte", contexte["chef"])
            print(
                f"Chef de file mesuré : {contexte['chef']} ({contexte['demandes_chef']} demandes de sa direction "
                f"sur {contexte['demandes']})"
            )
            sql_grande = compter_requetes(projet, contexte)
            resultats = mesurer_publiques(projet, pg, contexte)
            plafond = resultats["plafonds"]["plafond"].get("debit")
            titre(f"Résultats à {GRANDE['demandes']} demandes — code courant")
            imprimer(resultats, plafond)

            titre("Requêtes SQL par page (cache de pages vidé) : petite → grande échelle")
            for nom in [p[0] for p in PUBLIQUES] + [p[0] for p in BACK_OFFICE]:
                a, b = sql_petite[nom], sql_grande[nom]
                print(f"{nom:<18} {a['requetes']:>4} → {b['requetes']:>4}   (HTTP {a['statut']} / {b['statut']})")

            # Reference.
            if options.reference:
                titre(f"Référence : {options.reference} (même base, même harnais)")
                commit, dossier_reference = extraire(options.reference)
                projet_reference = Projet(
                    base.url,
                    racine=dossier_reference,
                    MEDIA_ROOT=projet.env["MEDIA_ROOT"],
                    PRIVATE_ROOT=projet.env["PRIVATE_ROOT"],
                )
                try:
                    projet_reference.manage("collectstatic", "--noinput", "-v0")
                    resultats_reference = mesurer_publiques(projet_reference, pg, contexte, avec_plafonds=False)
                finally:
                    projet_reference.nettoyer()
                titre(f"Résultats à {GRANDE['demandes']} demandes — référence {commit[:7]}")
                imprimer(resultats_reference, plafond)
                ecrire_reference(commit, resultats_reference, infos)
                reference_lue = lire_reference()

            # Exports.
            if not options.sans_exports:
                titre("Trois exports simultanés de toute la liste (bench/exports.py)")
                lignes, verdicts_exports = exports.mesurer(
                    base.url,
                    contexte["session"],
                    contexte["demandes"],
                    duree_avant=10 if REDUIT else 15,
                    projet_source=projet,
                )
                for texte in lignes:
                    print(texte)
                verdicts += [("PASS" if ok else "FAIL", objectif, detail) for ok, objectif, detail in verdicts_exports]
        finally:
            projet.nettoyer()
            if dossier_reference:
                shutil.rmtree(dossier_reference, ignore_errors=True)

    # Targets.
    mesures_reference, cle = reference_pour_echelle(reference_lue)
    for nom, _, cible in PUBLIQUES:
        if not cible:
            continue
        r = resultats["misses"][nom]
        objectif = f"miss {nom} : CPU gunicorn ≤ {OBJECTIF_CPU} × référence"
        ref = (mesures_reference or {}).get("pages", {}).get(nom)
        if "debit" not in r:
            verdicts.append(("FAIL", objectif, f"HTTP {r['statut']}"))
        elif ref is None:
            verdicts.append(("SKIP", objectif, "pas de référence (bench/reference.json : --reference a4fbacc)"))
        else:
            total = r["cpu_ms"]["gunicorn"] + r["cpu_ms"].get("postgres", 0)
            total_ref = ref["cpu_ms_gunicorn"] + (ref["cpu_ms_postgres"] or 0)
            verdicts.append(
                (
                    "PASS" if r["cpu_ms"]["gunicorn"] <= OBJECTIF_CPU * ref["cpu_ms_gunicorn"] else "FAIL",
                    objectif,
                    f"{r['cpu_ms']['gunicorn']:.1f} ms contre {ref['cpu_ms_gunicorn']:.1f} ms "
                    f"({reference_lue['commit'][:7]}, {cle} demandes) : × {r['cpu_ms']['gunicorn'] / ref['cpu_ms_gunicorn']:.2f} ; "
                    f"avec PostgreSQL {total:.1f} contre {total_ref:.1f} ms",
                )
            )
    for nom, _ in BACK_OFFICE:
        r = resultats["bo"][nom]
        objectif = f"{nom} (chef de file) à {GRANDE['demandes']} demandes : p95 ≤ {OBJECTIF_BO_MS} ms à concurrence 1"
        if "debit" not in r:
            verdicts.append(("FAIL", objectif, f"HTTP {r['statut']}"))
        else:
            p50, p95 = r["latence_us"]["p50"] / 1000, r["latence_us"]["p95"] / 1000
            verdicts.append(
                ("PASS" if p95 <= OBJECTIF_BO_MS else "FAIL", objectif, f"p50 {p50:.0f} ms, p95 {p95:.0f} ms")
            )
    a, b = bo_petite["liste_bo"], resultats["bo"]["liste_bo"]
    objectif = f"liste_bo plate : p50 à {GRANDE['demandes']} ≤ {OBJECTIF_PLAT} × p50 à {PETITE['demandes']}, requêtes SQL égales"
    if "debit" in a and "debit" in b:
        p_a, p_b = a["latence_us"]["p50"] / 1000, b["latence_us"]["p50"] / 1000
        q_a, q_b = sql_petite["liste_bo"]["requetes"], sql_grande["liste_bo"]["requetes"]
        verdicts.append(
            (
                "PASS" if p_b <= OBJECTIF_PLAT * p_a and q_a == q_b else "FAIL",
                objectif,
                f"p50 {p_a:.0f} → {p_b:.0f} ms (× {p_b / p_a:.2f}), requêtes {q_a} → {q_b}",
            )
        )
    else:
        verdicts.append(("FAIL", objectif, f"HTTP {a['statut']} / {b['statut']}"))

    titre("Objectifs")
    for verdict, objectif, detail in verdicts:
        print(f"{verdict:<5} {objectif} — {detail}")
    echecs = [v for v in verdicts if v[0] == "FAIL"]
    print(f"\n{len(verdicts) - len(echecs)} objectif(s) atteint(s) ou sans objet, {len(echecs)} échec(s).")
    print(f"Durée totale : {time.monotonic() - debut:.0f} s ; charge à la fin : {texte_charge(charge_systeme())}")
    return 1 if echecs else 0


if __name__ == "__main__":
    sys.exit(main())
