"""make loadtest: the intake under load.

2,000 valid filings at concurrency 16 through gunicorn on PostgreSQL, then 2,000 requests
of which 30% are invalid or replays of an Idempotency-Key: exactly one demande per valid
key, unique numéros, no server error, one accusé per demande in the outbox.
BENCH_REDUIT=1 (or --reduit): 300 filings, for CI.
"""

import json
import random
import sys
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
    imprimer_verdicts,
    machine,
    reduit,
    titre,
)

REDUIT = reduit()
N = 300 if REDUIT else 2000
CONCURRENCE = 16
DUREE_MAX = 900
INVALIDES = ["courriel", "consentement", "fiche", "json"]


def verifier(projet, attendues, verdicts, phase):
    etat = projet.sonde("verifier_depots")
    verdicts.append((etat["demandes"] == attendues, f"{phase} : exactement {attendues} demandes", etat["demandes"]))
    verdicts.append(
        (etat["numeros_uniques"] == attendues, f"{phase} : {attendues} numéros uniques", etat["numeros_uniques"])
    )
    verdicts.append(
        (
            etat["sans_historique"] == 0,
            f"{phase} : chaque demande a sa ligne d'historique",
            f"{etat['sans_historique']} sans",
        )
    )
    if etat.get("outbox"):
        verdicts.append(
            (
                etat["sans_accuse"] == 0 and etat["accuses_multiples"] == 0 and etat["accuses"] == attendues,
                f"{phase} : un accusé par demande dans l'outbox",
                f"{etat['accuses']} accusés, {etat['sans_accuse']} sans, {etat['accuses_multiples']} en double",
            )
        )
    else:
        verdicts.append((False, f"{phase} : un accusé par demande dans l'outbox", "modèle Notification absent"))
    return etat


def resume(resultat):
    return (
        f"{resultat.n} réponses en {resultat.duree:.1f} s ({resultat.debit:.1f}/s), p50 "
        f"{resultat.pourcentile(50) * 1000:.0f} ms, p99 {resultat.pourcentile(99) * 1000:.0f} ms, "
        f"statuts {dict(resultat.statuts)}, erreurs réseau {dict(resultat.erreurs)}"
    )


def main():
    titre(
        f"Test de charge du dépôt {'(réduit) ' if REDUIT else ''}— {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — {machine()}"
    )
    print(
        "Réglages config.settings.bench : limites de dépôt relevées à 1 000 000/h pour 127.0.0.1 ; "
        f"gunicorn 2 workers sync ; concurrence {CONCURRENCE}."
    )
    verdicts = []
    with Postgres() as base:
        projet = Projet(base.url)
        try:
            projet.preparer("--demandes", "0", "--fiches", "10", "--utilisateurs", "100")
            contexte = projet.sonde("contexte")
            projet.demarrer_gunicorn()
            if not api_disponible(projet.port):
                print(
                    "SKIP : POST /api/v2/demandes/ ne répond pas comme l'API de dépôt (absente sur cette branche : 404 ou 403)."
                )
                return 0

            titre(f"Phase 1 : {N} dépôts valides")
            cles = [str(uuid.uuid4()) for _ in range(N)]
            entetes = lambda i: {"Content-Type": "application/json", "Idempotency-Key": cles[i]}  # noqa: E731
            r1 = charger(
                projet.port,
                "POST",
                "/api/v2/demandes/",
                N,
                DUREE_MAX,
                CONCURRENCE,
                lambda i: corps_demande(contexte, i, "phase1"),
                entetes,
                garder=True,
            )
            print(resume(r1))
            verdicts.append(
                (r1.statuts.get(201, 0) == N and not r1.erreurs, f"phase 1 : {N} réponses 201", dict(r1.statuts))
            )
            verdicts.append((r1.erreurs_serveur == 0, "phase 1 : aucune erreur serveur", r1.erreurs_serveur))
            numeros = [json.loads(d)["numero"] for _, s, d in r1.reponses if s == 201]
            verdicts.append(
                (
                    len(set(numeros)) == len(numeros),
                    "phase 1 : numéros renvoyés tous différents",
                    f"{len(set(numeros))}/{len(numeros)}",
                )
            )
            verifier(projet, N, verdicts, "phase 1")

            titre(f"Phase 2 : {N} requêtes dont 30 % invalides ou rejouées")
            tirage = random.Random(8)
            plan = []
            nouvelles = 0
            for i in range(N):
                x = tirage.random()
                if x < 0.15:
                    plan.append(("invalide", tirage.choice(INVALIDES), str(uuid.uuid4())))
                elif x < 0.30:
                    # A replay: a key already used in phase 1, or an earlier key of this phase.
                    anciennes = [p[2] for p in plan if p[0] == "valide"] or cles
                    plan.append(("rejeu", None, tirage.choice(anciennes if tirage.random() < 0.5 else cles)))
                else:
                    plan.append(("valide", None, str(uuid.uuid4())))
                    nouvelles += 1

            def corps(i):
                genre, invalide, cle = plan[i]
                # A replay sends the same body as its original (phase 1 or this phase).
                if genre == "rejeu":
                    origine = next((j for j, p in enumerate(plan) if p[2] == cle and p[0] == "valide"), None)
                    if origine is not None:
                        return corps_demande(contexte, origine, "phase2")
                    return corps_demande(contexte, cles.index(cle), "phase1")
                return corps_demande(contexte, i, "phase2", invalide=invalide)

            r2 = charger(
                projet.port,
                "POST",
                "/api/v2/demandes/",
                N,
                DUREE_MAX,
                CONCURRENCE,
                corps,
                lambda i: {"Content-Type": "application/json", "Idempotency-Key": plan[i][2]},
                garder=True,
            )
            print(resume(r2))
            attendus_4xx = sum(1 for p in plan if p[0] == "invalide")
            verdicts.append(
                (r2.erreurs_serveur == 0 and not r2.erreurs, "phase 2 : aucune erreur serveur", dict(r2.statuts))
            )
            recus_4xx = sum(n for s, n in r2.statuts.items() if 400 <= s < 500)
            verdicts.append(
                (
                    recus_4xx == attendus_4xx,
                    "phase 2 : chaque requête invalide refusée (4xx)",
                    f"{recus_4xx}/{attendus_4xx}",
                )
            )
            verifier(projet, N + nouvelles, verdicts, "phase 2 (aucune ligne en trop)")
        finally:
            projet.nettoyer()

    return imprimer_verdicts(verdicts)


if __name__ == "__main__":
    sys.exit(main())
