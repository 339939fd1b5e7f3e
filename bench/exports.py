"""Three simultaneous XLSX exports of the whole list under the deploy unit's gunicorn settings
(--workers and --timeout read from deploy/systemd/plateforme-web.service), while a sampler
requests the public home page at a fixed rate: does an export delay a public page?

The sampler starts a request every 0.2 s whatever the previous ones do (a blocked worker
shows as a long latency, not as fewer samples), alternating `/` (page-cache hit, as served in
production) and `/?echantillon=<n>` (a new address each time: a page-cache miss, the whole
page rendered). Target: the home page's maximum latency while the exports are requested and
built, minus its maximum over the same number of seconds before, at most 1 s — for the hit
and for the miss.

An export above INTAKE_EXPORT_SYNCHRONE_MAX rows is queued and built by `generer_exports`
(niced, as deploy/systemd/plateforme-exports.service runs it). `make bench` calls `mesurer`
on its 100,000-demande database; alone: `.venv/bin/python bench/exports.py [--reduit]`
(100,000 demandes; 20,000 reduced) prints the figures and the verdicts.
"""

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.outils import (  # noqa: E402
    PYTHON,
    RACINE,
    Postgres,
    Projet,
    charge_systeme,
    imprimer_verdicts,
    machine,
    reduit,
    requete,
    texte_charge,
    titre,
)

DEMANDES = 20_000 if reduit() else 100_000
EXPORTS_SIMULTANES = 3
PERIODE = 0.2  # s between two samples of the home page
CHAUFFE = 5  # s of sampling before the "before" window
RETARD_MAX = 1.0  # s: max latency during the exports minus max latency before
NAVIGATEUR = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) bench"}


def reglages_deploiement():
    """--workers and --timeout of the deploy unit's gunicorn command line."""
    texte = (RACINE / "deploy" / "systemd" / "plateforme-web.service").read_text()
    workers = re.search(r"--workers[ =](\d+)", texte)
    timeout = re.search(r"--timeout[ =](\d+)", texte)
    return int(workers.group(1)) if workers else 3, int(timeout.group(1)) if timeout else 60


def compter_exports(projet):
    code = (
        "from intake.models import Export; import collections; "
        "print(dict(collections.Counter(Export.objects.values_list('statut', flat=True))))"
    )
    # Niced: the harness's own polling must not delay the pages it measures.
    sortie = subprocess.run(
        ["nice", "-n", "19", PYTHON, "manage.py", "shell", "-c", code],
        cwd=projet.racine,
        env=projet.env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return eval(sortie.strip().splitlines()[-1])  # noqa: S307 (our own output)


class Echantillonneur:
    """Starts a request to the home page every `periode` seconds, each in its own thread."""

    def __init__(self, port, periode=PERIODE):
        self.port = port
        self.periode = periode
        self.mesures = []  # (sent at, "hit" / "miss", status, latency s)
        self.verrou = threading.Lock()
        self.arret = threading.Event()
        self.fils = []
        self.boucle = threading.Thread(target=self._boucle, daemon=True)

    def _une(self, i, t_envoi):
        genre, chemin = ("hit", "/") if i % 2 == 0 else ("miss", f"/?echantillon={i}")
        t0 = time.monotonic()
        try:
            statut = requete(self.port, "GET", chemin, entetes=NAVIGATEUR, timeout=300)[0]
        except OSError:
            statut = None
        with self.verrou:
            self.mesures.append((t_envoi, genre, statut, time.monotonic() - t0))

    def _boucle(self):
        prochain, i = time.monotonic(), 0
        while not self.arret.is_set():
            fil = threading.Thread(target=self._une, args=(i, prochain), daemon=True)
            fil.start()
            self.fils.append(fil)
            i += 1
            prochain += self.periode
            time.sleep(max(0.0, prochain - time.monotonic()))

    def demarrer(self):
        self.boucle.start()
        return self

    def arreter(self):
        self.arret.set()
        self.boucle.join()
        for fil in self.fils:
            fil.join(timeout=300)

    def fenetre(self, debut, fin, genre):
        return [m for m in self.mesures if debut <= m[0] < fin and m[1] == genre]


def resume(mesures):
    latences = sorted(m[3] for m in mesures)
    if not latences:
        return {"n": 0, "p50": float("nan"), "max": float("nan"), "erreurs": 0}
    return {
        "n": len(latences),
        "p50": latences[len(latences) // 2],
        "max": latences[-1],
        "erreurs": sum(1 for m in mesures if m[2] is None or m[2] >= 500),
    }


def mesurer(base_url, session_admin, demandes, duree_avant=15, racine=RACINE, projet_source=None):
    """Exports on an already generated database; returns (printed lines, verdicts)."""
    workers, timeout = reglages_deploiement()
    env = {}
    if projet_source is not None:  # same static, media and private files as the caller's server
        env = {cle: projet_source.env[cle] for cle in ("STATIC_ROOT", "MEDIA_ROOT", "PRIVATE_ROOT")}
    projet = Projet(base_url, racine=racine, **env)
    lignes, verdicts = [], []
    constructeur = None
    try:
        if projet_source is None:
            projet.manage("collectstatic", "--noinput", "-v0")
        projet.demarrer_gunicorn(workers=workers, timeout=timeout)
        pids_avant = set(projet.workers())
        constructeur = subprocess.Popen(
            ["nice", "-n", "10", PYTHON, "manage.py", "tache", "generer_exports", "--boucle", "2"],
            cwd=projet.racine,
            env=projet.env,
        )
        # Warm workers first (the page cache filled, as in service; templates and per-worker caches
        # loaded): the "before" window must not hold a cold start's latency.
        for i in range(2 * workers):
            requete(projet.port, "GET", "/", entetes=NAVIGATEUR)
            requete(projet.port, "GET", f"/?echantillon=chauffe-{i}", entetes=NAVIGATEUR)
        charge_avant = charge_systeme()
        echantillons = Echantillonneur(projet.port).demarrer()
        time.sleep(CHAUFFE + duree_avant)  # samples of the first CHAUFFE seconds are not counted
        entetes = {"Cookie": f"sessionid={session_admin}"}
        reponses = []

        def exporter():
            t0 = time.monotonic()
            statut, _, _ = requete(
                projet.port, "GET", "/admin/intake/demande/?export=xlsx", entetes=entetes, timeout=timeout + 30
            )
            reponses.append((statut, time.monotonic() - t0))

        t_exports = time.monotonic()
        fils = [threading.Thread(target=exporter) for _ in range(EXPORTS_SIMULTANES)]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join()
        # The three requests ask for the same list: one export is queued, the others join it.
        etat = {}
        while time.monotonic() - t_exports < 1800:
            etat = compter_exports(projet)
            if etat and not etat.get("en_attente") and not etat.get("en_cours"):
                break
            time.sleep(5)
        t_fin = time.monotonic()
        charge_pendant = charge_systeme()
        echantillons.arreter()
        duree = t_fin - t_exports
        durees = [d for _, d in reponses]
        lignes.append(
            f"gunicorn comme deploy/systemd/plateforme-web.service : {workers} workers sync, --timeout {timeout} ; "
            f"{demandes} demandes ; {EXPORTS_SIMULTANES} exports XLSX simultanés de toute la liste (administrateur)."
        )
        lignes.append(
            f"réponses aux demandes d'export : {sorted(s for s, _ in reponses)} en {max(durees):.2f} s au plus ; "
            f"exports {etat}, prêts {duree:.0f} s après la demande ; charge {texte_charge(charge_avant)} → "
            f"{texte_charge(charge_pendant)}"
        )
        tues = pids_avant - set(projet.workers())
        lignes.append(f"workers gunicorn remplacés pendant la mesure : {len(tues)}")
        verdicts += [
            (
                all(s in (200, 302) for s, _ in reponses) and max(durees) < timeout,
                "demande d'export répondue avant --timeout",
                f"{max(durees):.2f} s",
            ),
            (not etat.get("echec"), "aucun export en échec", str(etat)),
            (not tues, "aucun worker web tué", str(len(tues))),
        ]
        for genre, libelle in (("hit", "accueil (cache de pages)"), ("miss", "accueil (cache manqué)")):
            avant = resume(echantillons.fenetre(t_exports - duree_avant, t_exports, genre))
            pendant = resume(echantillons.fenetre(t_exports, t_fin, genre))
            retard = pendant["max"] - avant["max"]
            lignes.append(
                f"{libelle:<26} avant : {avant['n']:>4} requêtes, p50 {avant['p50'] * 1000:6.0f} ms, "
                f"max {avant['max'] * 1000:6.0f} ms | pendant : {pendant['n']:>4} requêtes, "
                f"p50 {pendant['p50'] * 1000:6.0f} ms, max {pendant['max'] * 1000:6.0f} ms, "
                f"erreurs {pendant['erreurs']}"
            )
            verdicts.append(
                (
                    retard <= RETARD_MAX and pendant["erreurs"] == 0,
                    f"3 exports ne retardent pas la page publique de plus de 1 s : {libelle}",
                    f"max pendant − max avant = {retard * 1000:.0f} ms",
                )
            )
    finally:
        if constructeur and constructeur.poll() is None:
            constructeur.terminate()
            constructeur.wait(timeout=30)
        projet.nettoyer()
    return lignes, verdicts


def main():
    titre(f"Exports XLSX à grande échelle — {machine()} — charge {texte_charge(charge_systeme())}")
    with Postgres() as base:
        projet = Projet(base.url)
        try:
            projet.preparer("--demandes", str(DEMANDES), "--fiches", "60" if reduit() else "300")
            contexte = projet.sonde("contexte")
            lignes, verdicts = mesurer(
                base.url, contexte["session"], DEMANDES, duree_avant=10 if reduit() else 15, projet_source=projet
            )
        finally:
            projet.nettoyer()
    titre("Résultats")
    for ligne in lignes:
        print(ligne)
    return imprimer_verdicts(verdicts)


if __name__ == "__main__":
    sys.exit(main())
