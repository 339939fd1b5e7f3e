"""make faults: the intake keeps every demande through faults.

1. SMTP refuses connections during a burst of filings: every demande is stored, the
   sender fails and retries; once a (local) SMTP server is back, every email is sent once.
2. PostgreSQL restarted during a burst: clients get successes or errors, never a
   half-written demande (each has its history row and its accusé in the outbox).
3. A gunicorn worker killed (SIGKILL) mid-request: no partial demande.
BENCH_REDUIT=1 (or --reduit): smaller bursts, for CI.
"""

import asyncio
import json
import os
import signal
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.outils import (  # noqa: E402
    HOTE,
    Postgres,
    Projet,
    api_disponible,
    charger,
    corps_demande,
    imprimer_verdicts,
    machine,
    port_libre,
    reduit,
    titre,
)

REDUIT = reduit()
RAFALE = 60 if REDUIT else 300
CONCURRENCE = 8


class PuitsSMTP:
    """A tiny SMTP server that accepts every message and counts them (no relay, loopback)."""

    def __init__(self):
        self.port = port_libre()
        self.messages = []
        self.boucle = asyncio.new_event_loop()
        self.pret = threading.Event()

    async def _client(self, lecteur, ecrivain):
        ecrivain.write(b"220 puits ESMTP\r\n")
        donnees, en_data, destinataires = [], False, []
        while line := await lecteur.readline():
            if en_data:
                if line in (b".\r\n", b".\n"):
                    self.messages.append((destinataires, b"".join(donnees)))
                    donnees, en_data, destinataires = [], False, []
                    ecrivain.write(b"250 OK\r\n")
                else:
                    donnees.append(line)
                continue
            commande = line[:4].upper()
            if commande == b"EHLO":
                ecrivain.write(b"250-puits\r\n250 8BITMIME\r\n")
            elif commande == b"RCPT":
                destinataires.append(line.decode(errors="replace").strip())
                ecrivain.write(b"250 OK\r\n")
            elif commande == b"DATA":
                en_data = True
                ecrivain.write(b"354 Fin par <CRLF>.<CRLF>\r\n")
            elif commande == b"QUIT":
                ecrivain.write(b"221 Au revoir\r\n")
                await ecrivain.drain()
                break
            else:
                ecrivain.write(b"250 OK\r\n")
            await ecrivain.drain()
        ecrivain.close()

    def demarrer(self):
        def tourner():
            asyncio.set_event_loop(self.boucle)
            serveur = self.boucle.run_until_complete(asyncio.start_server(self._client, HOTE, self.port))
            self.pret.set()
            self.boucle.run_forever()
            serveur.close()

        threading.Thread(target=tourner, daemon=True).start()
        self.pret.wait(10)
        return self

    def arreter(self):
        self.boucle.call_soon_threadsafe(self.boucle.stop)


def rafale(projet, contexte, prefixe, n=RAFALE, pendant=None):
    cles = [str(uuid.uuid4()) for _ in range(n)]
    return charger(
        projet.port,
        "POST",
        "/api/v2/demandes/",
        n,
        600,
        CONCURRENCE,
        lambda i: corps_demande(contexte, i, prefixe),
        lambda i: {"Content-Type": "application/json", "Idempotency-Key": cles[i]},
        garder=True,
        pendant=pendant,
    )


def numeros_acceptes(resultat):
    return {json.loads(d)["numero"] for _, s, d in resultat.reponses if s == 201}


def invariants(projet, verdicts, scenario, acceptes):
    etat = projet.sonde("verifier_depots")
    verdicts.append(
        (
            etat["sans_historique"] == 0,
            f"{scenario} : aucune demande sans historique",
            f"{etat['sans_historique']} sur {etat['demandes']}",
        )
    )
    verdicts.append(
        (
            etat.get("outbox") and etat["sans_accuse"] == 0 and etat["accuses_multiples"] == 0,
            f"{scenario} : aucune demande sans son accusé dans l'outbox (ni en double)",
            f"{etat.get('sans_accuse')} sans, {etat.get('accuses_multiples')} en double",
        )
    )
    manquants = acceptes - set(etat["numeros"])
    verdicts.append(
        (not manquants, f"{scenario} : chaque dépôt confirmé (201) est en base", f"{len(manquants)} manquant(s)")
    )
    verdicts.append(
        (
            etat["numeros_uniques"] == etat["demandes"],
            f"{scenario} : numéros uniques",
            f"{etat['numeros_uniques']}/{etat['demandes']}",
        )
    )
    return etat


def main():
    titre(
        f"Tests de pannes {'(réduits) ' if REDUIT else ''}— {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — {machine()}"
    )
    if os.environ.get("DATABASE_URL"):
        print("DATABASE_URL fournie : le redémarrage de PostgreSQL ne sera pas testé (serveur non géré ici).")
    verdicts = []
    port_ferme = port_libre()  # nothing listens there: connections are refused
    with Postgres() as base:
        projet = Projet(
            base.url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=HOTE,
            EMAIL_PORT=str(port_ferme),
            EMAIL_TIMEOUT="5",
        )
        puits = None
        try:
            projet.preparer("--demandes", "0", "--fiches", "10", "--utilisateurs", "100")
            contexte = projet.sonde("contexte")
            projet.demarrer_gunicorn()
            if not api_disponible(projet.port):
                print(
                    "SKIP : POST /api/v2/demandes/ ne répond pas comme l'API de dépôt (absente sur cette branche : 404 ou 403)."
                )
                return 0

            titre(f"1. SMTP refuse les connexions pendant une rafale de {RAFALE} dépôts")
            r = rafale(projet, contexte, "smtp")
            print(f"Réponses : {dict(r.statuts)}, erreurs réseau {dict(r.erreurs)}")
            verdicts.append(
                (r.statuts.get(201, 0) == RAFALE, "SMTP en panne : tous les dépôts acceptés", dict(r.statuts))
            )
            projet.manage("envoyer_notifications", check=False)
            etat = projet.sonde("verifier_depots")
            verdicts.append(
                (
                    etat["demandes"] == RAFALE and etat.get("accuses_envoyes") == 0,
                    "SMTP en panne : demandes enregistrées, aucun courriel perdu ni envoyé",
                    f"{etat['demandes']} demandes, {etat.get('accuses_envoyes')} accusés envoyés",
                )
            )
            puits = PuitsSMTP().demarrer()
            projet.sonde("liberer_notifications")  # the retry delay has passed
            projet.manage("envoyer_notifications", check=False, EMAIL_PORT=str(puits.port))
            projet.manage(
                "envoyer_notifications", check=False, EMAIL_PORT=str(puits.port)
            )  # a second pass sends nothing more
            etat = projet.sonde("verifier_depots")
            accuses_recus = sum(1 for dest, _ in puits.messages if any("charge.invalid" in d for d in dest))
            verdicts.append(
                (
                    etat.get("notifications_en_attente") == 0,
                    "SMTP revenu : plus aucun courriel en attente",
                    etat.get("notifications_en_attente"),
                )
            )
            verdicts.append(
                (
                    accuses_recus == RAFALE,
                    "SMTP revenu : chaque accusé reçu exactement une fois",
                    f"{accuses_recus} accusés pour {RAFALE} demandes, {len(puits.messages)} courriels en tout",
                )
            )
            verdicts.append(
                (
                    len(puits.messages) == etat.get("notifications_total"),
                    "SMTP revenu : chaque notification envoyée une seule fois",
                    f"{len(puits.messages)} reçus / {etat.get('notifications_total')} notifications",
                )
            )
            acceptes = numeros_acceptes(r)

            if not os.environ.get("DATABASE_URL"):
                titre(f"2. PostgreSQL redémarré au milieu d'une rafale de {RAFALE} dépôts")
                fait = threading.Event()

                def couper(i):
                    if i == RAFALE // 3 and not fait.is_set():
                        fait.set()
                        base.redemarrer()

                r = rafale(projet, contexte, "pg", pendant=couper)
                print(f"Réponses : {dict(r.statuts)}, erreurs réseau {dict(r.erreurs)}")
                acceptes |= numeros_acceptes(r)
                verdicts.append(
                    (
                        r.statuts.get(500, 0) == 0,
                        "PostgreSQL redémarré : base indisponible → 503, jamais 500",
                        dict(r.statuts),
                    )
                )
                invariants(projet, verdicts, "PostgreSQL redémarré", acceptes)
                rr = rafale(projet, contexte, "pg-apres", n=20)
                acceptes |= numeros_acceptes(rr)
                verdicts.append(
                    (rr.statuts.get(201, 0) == 20, "PostgreSQL redémarré : le service reprend seul", dict(rr.statuts))
                )

            titre(f"3. Worker gunicorn tué (SIGKILL) pendant une rafale de {RAFALE} dépôts")
            tues = []

            def tuer(i):
                if i in (RAFALE // 4, RAFALE // 2) and len(tues) < 2:
                    workers = projet.workers()
                    if workers:
                        os.kill(workers[0], signal.SIGKILL)
                        tues.append(workers[0])

            r = rafale(projet, contexte, "kill", pendant=tuer)
            print(f"Workers tués : {tues} ; réponses : {dict(r.statuts)}, erreurs réseau {dict(r.erreurs)}")
            acceptes |= numeros_acceptes(r)
            time.sleep(2)  # the master replaces the dead worker
            invariants(projet, verdicts, "worker tué", acceptes)
            rr = rafale(projet, contexte, "kill-apres", n=20)
            verdicts.append((rr.statuts.get(201, 0) == 20, "worker tué : le service reprend seul", dict(rr.statuts)))
        finally:
            if puits:
                puits.arreter()
            projet.nettoyer()

    return imprimer_verdicts(verdicts)


if __name__ == "__main__":
    sys.exit(main())
