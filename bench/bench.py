"""make bench: the platform's figures under load.

Serves the site with gunicorn (2 sync workers, free loopback port) on a throwaway
PostgreSQL 15 (or DATABASE_URL), generates data at a small then a large scale, and
prints per page: requests/s at concurrency 8, p50/p95/p99, SQL queries per request,
worker memory for the exports, the ratio to a constant Django view, and PASS/FAIL for
each target. BENCH_REDUIT=1 (or --reduit) runs a reduced scale for CI.
"""

import json
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.outils import (  # noqa: E402
    Postgres,
    Projet,
    api_disponible,
    charger,
    corps_demande,
    machine,
    memoire_ko,
    reduit,
    requete,
    titre,
)

# The pages measured: (name, method, path, signed in, kind). Adjust paths here after merging.
# {fiche_url} and {demande_id} are filled from the generated data. Kinds: "anonyme" pages
# must reach half of the ceiling; "flat" pages must keep the same query count at both scales.
PAGES = [
    ("plafond", "GET", "/bench/plafond/", False, "plafond"),
    ("accueil", "GET", "/", False, "anonyme flat"),
    ("catalogue", "GET", "/catalogue/", False, "anonyme flat"),
    ("recherche", "GET", "/catalogue/?q=plu", False, "flat"),
    ("fiche", "GET", "{fiche_url}", False, "anonyme flat"),
    (
        "api_fiches",
        "GET",
        "/api/v2/pages/?type=catalogue.FichePage&fields=thematique,chef_de_file,nature&limit=20",
        False,
        "",
    ),
    ("formulaire", "GET", "/demande/", False, ""),
    ("depot_api", "POST", "/api/v2/demandes/", False, "depot"),
    ("liste_bo", "GET", "/admin/intake/demande/", True, "flat liste"),
    ("liste_bo_filtree", "GET", "/admin/intake/demande/?statut__exact=en_cours", True, "flat"),
    ("detail", "GET", "/admin/intake/demande/inspect/{demande_id}/", True, "flat"),
    ("export_csv", "GET", "/admin/intake/demande/?export=csv", True, "export"),
    ("export_xlsx", "GET", "/admin/intake/demande/?export=xlsx", True, "export"),
]

REDUIT = reduit()
PETITE = {"demandes": 1000, "fiches": 30}
GRANDE = {"demandes": 5000, "fiches": 60} if REDUIT else {"demandes": 100_000, "fiches": 300}
UTILISATEURS = 200 if REDUIT else 1000
N_MAX, DUREE_MAX = (150, 5) if REDUIT else (800, 20)
N_EXPORT = 2 if REDUIT else 4
CONCURRENCE = 8


def generation(echelle):
    return [
        "--demandes",
        str(echelle["demandes"]),
        "--fiches",
        str(echelle["fiches"]),
        "--utilisateurs",
        str(UTILISATEURS),
    ]


def chemin(page, contexte):
    return page[2].format(**contexte)


def mesurer_requetes(projet, contexte):
    pages = [
        (
            nom,
            methode,
            chemin((nom, methode, p, c, k), contexte),
            c,
            json.loads(corps_demande(contexte, 0, "sonde")) if methode == "POST" else None,
        )
        for nom, methode, p, c, k in PAGES
        if "export" not in k
    ]
    return projet.sonde("requetes", json.dumps(pages))


def mesurer(projet, contexte, page, n_max=N_MAX, duree=DUREE_MAX, concurrence=CONCURRENCE):
    nom, methode, _, connecte, genre = page
    entetes = {"Cookie": f"sessionid={contexte['session']}"} if connecte else {}
    corps = None
    if methode == "POST":
        entetes["Content-Type"] = "application/json"
        corps = lambda i: corps_demande(contexte, i, f"bench-{uuid.uuid4().hex[:8]}")  # noqa: E731
        entetes_fn = lambda i: {**entetes, "Idempotency-Key": str(uuid.uuid4())}  # noqa: E731
    else:
        entetes_fn = entetes
    # One request first: fills the page cache and tells whether the page exists on this branch.
    statut, _, _ = requete(
        projet.port,
        methode,
        chemin(page, contexte),
        corps(0) if corps else None,
        entetes_fn(0) if callable(entetes_fn) else entetes_fn,
    )
    if statut == 404 or (methode == "POST" and not api_disponible(projet.port)):
        return None
    memoire = {}
    echantillonneur = None
    if "export" in genre:
        memoire = {pid: memoire_ko(pid)[0] for pid in projet.workers()}
        pics = dict(memoire)
        arret = threading.Event()

        def echantillonner():
            while not arret.is_set():
                for pid in pics:
                    pics[pid] = max(pics[pid], memoire_ko(pid)[0])
                time.sleep(0.02)

        echantillonneur = threading.Thread(target=echantillonner, daemon=True)
        echantillonneur.start()
    resultat = charger(projet.port, methode, chemin(page, contexte), n_max, duree, concurrence, corps, entetes_fn)
    if echantillonneur:
        arret.set()
        echantillonneur.join()
        resultat.croissance_mo = max(pics[pid] - memoire[pid] for pid in memoire) / 1024 if memoire else float("nan")
        resultat.pic_mo = max(pics.values()) / 1024 if pics else float("nan")
    resultat.statut_initial = statut
    return resultat


def chauffer(projet, contexte):
    """Fresh workers are slow at first (imports, caches): a few rounds of every page first."""
    for page in PAGES:
        if "export" not in page[4] and page[1] == "GET":
            entetes = {"Cookie": f"sessionid={contexte['session']}"} if page[3] else {}
            charger(projet.port, "GET", chemin(page, contexte), 20, 10, 4, None, entetes)


def ligne(nom, resultat, plafond, requetes_sql):
    if resultat is None:
        return f"{nom:<18} absente sur cette branche (404)"
    ratio = resultat.debit / plafond if plafond else float("nan")
    if not any(200 <= statut < 300 for statut in resultat.statuts):
        return f"{nom:<18} aucune réponse 2xx : statuts {dict(resultat.statuts)} (à vérifier après la fusion)"
    texte = (
        f"{nom:<18} {resultat.debit:8.1f} req/s  p50 {resultat.pourcentile(50) * 1000:7.1f} ms  "
        f"p95 {resultat.pourcentile(95) * 1000:7.1f} ms  p99 {resultat.pourcentile(99) * 1000:7.1f} ms  "
        f"SQL {requetes_sql if requetes_sql is not None else '-':>4}  ratio {ratio:5.3f}  "
        f"statuts {dict(resultat.statuts)}"
    )
    if resultat.erreurs:
        texte += f" erreurs {dict(resultat.erreurs)}"
    if hasattr(resultat, "croissance_mo"):
        texte += f"  mémoire worker : pic {resultat.pic_mo:.0f} Mo, croissance {resultat.croissance_mo:.0f} Mo"
    return texte


def main():
    titre(f"Benchmark {'réduit ' if REDUIT else ''}— {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — {machine()}")
    print(
        "Réglages config.settings.bench : DEBUG désactivé, secret jetable, hôtes 127.0.0.1/localhost, "
        "limites de dépôt relevées à 1 000 000/h, verrouillage axes désactivé ; gunicorn 2 workers sync, "
        f"concurrence {CONCURRENCE}, au plus {N_MAX} requêtes ou {DUREE_MAX} s par page."
    )
    verdicts = []
    with Postgres() as base:
        projet = Projet(base.url)
        try:
            projet.preparer(*generation(PETITE))
            contexte = projet.sonde("contexte")
            titre(f"Petite échelle : {PETITE['demandes']} demandes, {PETITE['fiches']} fiches")
            sql_petite = mesurer_requetes(projet, contexte)
            projet.demarrer_gunicorn()
            chauffer(projet, contexte)
            plafond_petit = mesurer(projet, contexte, PAGES[0])
            liste_petite = mesurer(projet, contexte, next(p for p in PAGES if p[0] == "liste_bo"))
            print(ligne("plafond", plafond_petit, plafond_petit.debit, 0))
            print(ligne("liste_bo", liste_petite, plafond_petit.debit, sql_petite["liste_bo"]["requetes"]))
            projet.arreter_gunicorn()

            titre(f"Grande échelle : {GRANDE['demandes']} demandes, {GRANDE['fiches']} fiches (génération…)")
            t0 = time.monotonic()
            projet.manage("generer_donnees", *generation(GRANDE))
            print(f"Génération complémentaire : {time.monotonic() - t0:.0f} s")
            contexte = projet.sonde("contexte")
            sql_grande = mesurer_requetes(projet, contexte)
            projet.demarrer_gunicorn()
            chauffer(projet, contexte)
            resultats = {page[0]: mesurer(projet, contexte, page) for page in PAGES if "export" not in page[4]}
            for page in PAGES:
                if "export" in page[4]:
                    resultats[page[0]] = mesurer(projet, contexte, page, n_max=N_EXPORT, duree=600, concurrence=2)
            plafond = resultats["plafond"].debit
            titre("Résultats (grande échelle)")
            for nom, *_ in PAGES:
                print(ligne(nom, resultats[nom], plafond, sql_grande.get(nom, {}).get("requetes")))

            titre("Requêtes SQL par page (cache vide) : petite → grande échelle")
            for nom, _, _, _, genre in PAGES:
                if nom in sql_petite:
                    a, b = sql_petite[nom], sql_grande[nom]
                    print(f"{nom:<18} {a['requetes']:>4} → {b['requetes']:>4}   (HTTP {a['statut']} / {b['statut']})")
                    if "flat" in genre:
                        if a["statut"] == 404 or b["statut"] == 404:
                            verdicts.append(("SKIP", f"requêtes constantes : {nom}", "page absente (404)"))
                        else:
                            verdicts.append(
                                (
                                    "PASS" if a["requetes"] == b["requetes"] else "FAIL",
                                    f"requêtes constantes : {nom}",
                                    f"{a['requetes']} → {b['requetes']}",
                                )
                            )

            for nom, _, _, _, genre in PAGES:
                if "anonyme" in genre:
                    r = resultats[nom]
                    if r is None:
                        verdicts.append(("SKIP", f"page anonyme ≥ 0,5 × plafond : {nom}", "absente"))
                    else:
                        verdicts.append(
                            (
                                "PASS" if r.debit >= 0.5 * plafond else "FAIL",
                                f"page anonyme ≥ 0,5 × plafond : {nom}",
                                f"ratio {r.debit / plafond:.2f}",
                            )
                        )
            grande = resultats["liste_bo"]
            if grande is None or liste_petite is None:
                verdicts.append(("SKIP", "liste back-office ≤ 2 × son temps à 1 000 demandes", "absente"))
            else:
                p_a, p_b = liste_petite.pourcentile(50), grande.pourcentile(50)
                verdicts.append(
                    (
                        "PASS" if p_b <= 2 * p_a else "FAIL",
                        "liste back-office ≤ 2 × son temps à 1 000 demandes",
                        f"p50 {p_a * 1000:.0f} ms → {p_b * 1000:.0f} ms",
                    )
                )
            for nom in ("export_csv", "export_xlsx"):
                r = resultats[nom]
                if r is None or r.statuts.get(200, 0) == 0:
                    verdicts.append(("SKIP", f"export en flux, croissance mémoire < 100 Mo : {nom}", "absent"))
                else:
                    verdicts.append(
                        (
                            "PASS" if r.croissance_mo < 100 else "FAIL",
                            f"export en flux, croissance mémoire < 100 Mo : {nom}",
                            f"{r.croissance_mo:.0f} Mo ({GRANDE['demandes']} demandes)",
                        )
                    )
            depot = resultats["depot_api"]
            if depot is not None:
                verdicts.append(
                    (
                        "PASS" if depot.erreurs_serveur == 0 else "FAIL",
                        "dépôt API sans erreur serveur",
                        f"{dict(depot.statuts)}",
                    )
                )
        finally:
            projet.nettoyer()

    titre("Objectifs")
    for verdict, objectif, detail in verdicts:
        print(f"{verdict:<5} {objectif} — {detail}")
    echecs = [v for v in verdicts if v[0] == "FAIL"]
    print(f"\n{len(verdicts) - len(echecs)} objectif(s) atteint(s) ou sans objet, {len(echecs)} échec(s).")
    return 1 if echecs else 0


if __name__ == "__main__":
    sys.exit(main())
