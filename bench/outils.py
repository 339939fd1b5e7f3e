"""Harness shared by bench.py, exports.py, loadtest.py and faults.py: a throwaway PostgreSQL
cluster, a gunicorn server on a free loopback port (bench.wsgi, optionally from another
checkout), two load generators (wrk for the benchmark; threads + http.client for the filings
of loadtest/faults, which need a new body per request and the responses) and measures read
from /proc (process CPU time, memory, load average). Standard library only."""

import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
DOSSIER_BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
HOTE = "127.0.0.1"  # loopback only: these scripts never load another machine


def reduit():
    return os.environ.get("BENCH_REDUIT", "") not in ("", "0") or "--reduit" in sys.argv


def titre(texte):
    print(f"\n=== {texte} ===", flush=True)


def imprimer_verdicts(verdicts):
    """Print (ok, check, detail) triples as PASS/FAIL lines; the exit status of the script."""
    titre("Verdicts")
    for ok, texte, detail in verdicts:
        print(f"{'PASS' if ok else 'FAIL':<5} {texte} — {detail}")
    return 0 if all(v[0] for v in verdicts) else 1


def port_libre():
    with socket.socket() as s:
        s.bind((HOTE, 0))
        return s.getsockname()[1]


def machine():
    """Cores, memory and CPU model of this machine (one line)."""
    memoire = ""
    try:
        for ligne in Path("/proc/meminfo").read_text().splitlines():
            if ligne.startswith("MemTotal"):
                memoire = f"{int(ligne.split()[1]) // 1024 // 1024} Gio"
    except OSError:
        pass
    return f"{os.cpu_count()} cœurs ({modele_cpu()}), {memoire} de mémoire, Python {sys.version.split()[0]}"


def modele_cpu():
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                return ligne.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def charge_systeme():
    """The 1-, 5- and 15-minute load averages (/proc/loadavg)."""
    try:
        return tuple(float(x) for x in Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return (float("nan"),) * 3


def texte_charge(charge):
    return " ".join(f"{x:.2f}" for x in charge)


# --- CPU time of a process tree (/proc/<pid>/stat, clock ticks) ---------------------------
TICKS_PAR_SECONDE = os.sysconf("SC_CLK_TCK")


def ticks(pid, enfants_termines=False):
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat); with
    `enfants_termines`, cutime + cstime too: the children it has reaped. 0 if it is gone."""
    try:
        champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    # champs[0] is field 3 (state): utime is field 14, i.e. champs[11].
    total = int(champs[11]) + int(champs[12])
    if enfants_termines:
        total += int(champs[13]) + int(champs[14])
    return total


def cpu_arbre(pid):
    """CPU seconds of a server: its main process (with the children it has reaped) plus its
    living children (gunicorn master + workers, postmaster + backends and helpers). The
    difference of two readings is the CPU the server used in between, even when a child
    exits (its time moves into the parent's cutime/cstime)."""
    total = ticks(pid, enfants_termines=True) + sum(ticks(enfant) for enfant in enfants(pid))
    return total / TICKS_PAR_SECONDE


def parent(pid):
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


# --- wrk ----------------------------------------------------------------------------------
SCRIPT_WRK = DOSSIER_BENCH / "wrk_resume.lua"
MARQUE_WRK = "BENCH-JSON "


def verifier_wrk():
    if not shutil.which("wrk"):
        sys.exit("wrk introuvable : installez le paquet Debian wrk (apt-get install wrk).")


def version_wrk():
    try:
        sortie = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        return (sortie.stdout + sortie.stderr).split("[")[0].replace("wrk", "").strip()
    except OSError:
        return "absent"


def wrk(port, chemin, duree, connexions=4, entetes=None, timeout=60):
    """One wrk run (1 thread, `connexions` connections, `duree` seconds) on loopback; the
    summary printed by bench/wrk_resume.lua: requests, duration, errors (non-2xx/3xx statuses
    included), latency percentiles in µs."""
    commande = ["wrk", "-t1", f"-c{connexions}", f"-d{duree}s", "--timeout", f"{timeout}s", "-s", str(SCRIPT_WRK)]
    for cle, valeur in (entetes or {}).items():
        commande += ["-H", f"{cle}: {valeur}"]
    commande.append(f"http://{HOTE}:{port}{chemin}")
    sortie = subprocess.run(commande, capture_output=True, text=True, check=True).stdout
    return lire_resume_wrk(sortie)


def lire_resume_wrk(sortie):
    for ligne in sortie.splitlines():
        if ligne.startswith(MARQUE_WRK):
            return json.loads(ligne[len(MARQUE_WRK) :])
    raise RuntimeError(f"Résumé wrk absent de la sortie : {sortie[-500:]!r}")


def mesurer_wrk(port, chemin, duree, connexions, entetes=None, serveurs=None):
    """A wrk run plus, for each server {name: main pid}, the CPU seconds it used during the run,
    and the load average before and at the end of the run."""
    serveurs = serveurs or {}
    charge_avant = charge_systeme()
    avant = {nom: cpu_arbre(pid) for nom, pid in serveurs.items() if pid}
    resume = wrk(port, chemin, duree, connexions, entetes)
    apres = {nom: cpu_arbre(serveurs[nom]) for nom in avant}
    resume["cpu_s"] = {nom: apres[nom] - avant[nom] for nom in avant}
    resume["charge_avant"] = charge_avant
    resume["charge_pendant"] = charge_systeme()
    return resume


class Postgres:
    """A PostgreSQL 15 cluster in a temporary folder (as .ci/run does), or DATABASE_URL if given."""

    def __init__(self):
        self.externe = os.environ.get("DATABASE_URL", "")
        self.dossier = None
        self.port = None

    @property
    def url(self):
        return self.externe or f"postgres://postgres@{HOTE}:{self.port}/plateforme"

    def _en_postgres(self, commande):
        if os.geteuid() == 0:
            return subprocess.run(
                ["su", "postgres", "-s", "/bin/sh", "-c", commande], check=True, stdout=subprocess.DEVNULL
            )
        return subprocess.run(["/bin/sh", "-c", commande], check=True, stdout=subprocess.DEVNULL)

    def demarrer(self):
        if self.externe:
            print(f"Base : DATABASE_URL fournie ({self.externe.split('@')[-1]}).")
            return self
        if not (PGBIN / "initdb").exists():
            sys.exit(f"PostgreSQL 15 introuvable ({PGBIN}) : installez postgresql-15 ou donnez DATABASE_URL.")
        self.dossier = tempfile.mkdtemp(prefix="bench-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dossier, "postgres")
        self.port = port_libre()
        self._en_postgres(f"{PGBIN}/initdb -D {self.dossier} -A trust -U postgres >/dev/null")
        self._pg_ctl("start")
        self._en_postgres(f"{PGBIN}/createdb -h {HOTE} -p {self.port} -U postgres plateforme")
        print(f"Base : PostgreSQL 15 jetable sur {HOTE}:{self.port} ({self.dossier}).")
        return self

    def _pg_ctl(self, action, mode="fast"):
        options = f"-p {self.port} -k {self.dossier} -c listen_addresses={HOTE} -c fsync=off -c max_connections=200"
        self._en_postgres(
            f"{PGBIN}/pg_ctl -D {self.dossier} -o '{options}' -l {self.dossier}/log -m {mode} -w {action} >/dev/null"
        )

    def redemarrer(self):
        """Restart the server, cutting every connection (fault test)."""
        self._pg_ctl("restart", mode="immediate")

    def arreter(self):
        if self.dossier:
            try:
                self._pg_ctl("stop")
            except subprocess.CalledProcessError:
                pass
            shutil.rmtree(self.dossier, ignore_errors=True)
            self.dossier = None

    def __enter__(self):
        return self.demarrer()

    def __exit__(self, *exc):
        self.arreter()


class Projet:
    """manage.py and gunicorn with the benchmark settings on one database. `racine` is the
    checkout whose code runs (another commit for the benchmark's reference)."""

    def __init__(self, database_url, racine=RACINE, **env):
        self.racine = Path(racine)
        self.var = Path(tempfile.mkdtemp(prefix="bench-var-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(self.var / "static"),
            "MEDIA_ROOT": str(self.var / "media"),
            "PRIVATE_ROOT": str(self.var / "private"),
            "PAGE_CACHE_DIR": str(self.var / "cache-pages"),
            "EMAIL_FILE_PATH": str(self.var / "emails"),
            "PYTHONPATH": str(self.racine),
            **env,
        }
        self.gunicorn = None
        self.port = None

    def manage(self, *args, capture=False, check=True, **env):
        resultat = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=self.racine,
            env={**self.env, **env},
            check=check,
            stdout=subprocess.PIPE if capture else None,
            text=True,
        )
        return resultat.stdout if capture else resultat

    def sonde(self, action, *args, **env):
        """Run bench/sonde.py in-process with Django (query counts, database checks): JSON out."""
        sortie = subprocess.run(
            [PYTHON, str(self.racine / "bench" / "sonde.py"), action, *map(str, args)],
            cwd=self.racine,
            env={**self.env, **env},
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        return json.loads(sortie.strip().splitlines()[-1])

    def preparer(self, *generation):
        print("Préparation : migrate, collectstatic, load_initial_data, generer_donnees…", flush=True)
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("load_initial_data")
        if generation:
            self.manage("generer_donnees", *generation)

    def demarrer_gunicorn(self, workers=2, timeout=300, **env):
        """gunicorn with bench.wsgi (the site, plus the ceilings answered before Django), sync
        workers; `env` adds variables (BENCH_CACHE_PAGES=0 for page-cache misses)."""
        self.port = port_libre()
        self.gunicorn = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "bench.wsgi:application",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{HOTE}:{self.port}",
                "--timeout",
                str(timeout),
                "--log-level",
                "warning",
            ],
            cwd=self.racine,
            env={**self.env, "WAGTAILADMIN_BASE_URL": f"http://{HOTE}:{self.port}", **env},
        )
        limite = time.monotonic() + 90
        while time.monotonic() < limite:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn s'est arrêté (code {self.gunicorn.returncode}).")
            try:
                # The no-middleware view goes through Django: the workers have loaded the site.
                if requete(self.port, "GET", "/bench/sans-intergiciel/")[0] == 200 and len(self.workers()) >= workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn n'a pas démarré.")

    def arreter_gunicorn(self):
        if self.gunicorn and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()
                self.gunicorn.wait()
        self.gunicorn = None

    def workers(self):
        if not self.gunicorn:
            return []
        return enfants(self.gunicorn.pid)

    def nettoyer(self):
        self.arreter_gunicorn()
        shutil.rmtree(self.var, ignore_errors=True)


def enfants(pid):
    trouves = []
    for entree in Path("/proc").iterdir():
        if not entree.name.isdigit():
            continue
        try:
            stat = (entree / "stat").read_text()
        except OSError:
            continue
        # The command may contain spaces: fields after the closing parenthesis.
        champs = stat.rsplit(")", 1)[1].split()
        if int(champs[1]) == pid:
            trouves.append(int(entree.name))
    return sorted(trouves)


def memoire_ko(pid):
    """VmRSS and VmHWM (peak) of a process, in kB."""
    valeurs = {}
    try:
        for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
            if ligne.startswith(("VmRSS", "VmHWM")):
                cle, valeur = ligne.split(":")
                valeurs[cle] = int(valeur.split()[0])
    except OSError:
        pass
    return valeurs.get("VmRSS", 0), valeurs.get("VmHWM", 0)


def requete(port, methode, chemin, corps=None, entetes=None, timeout=300):
    connexion = http.client.HTTPConnection(HOTE, port, timeout=timeout)
    try:
        connexion.request(methode, chemin, body=corps, headers=entetes or {})
        reponse = connexion.getresponse()
        donnees = reponse.read()
        return reponse.status, donnees, dict(reponse.getheaders())
    finally:
        connexion.close()


@dataclass
class Resultat:
    latences: list = field(default_factory=list)
    statuts: Counter = field(default_factory=Counter)
    erreurs: Counter = field(default_factory=Counter)
    reponses: list = field(default_factory=list)
    duree: float = 0.0

    @property
    def n(self):
        return len(self.latences)

    @property
    def debit(self):
        return self.n / self.duree if self.duree else 0.0

    def pourcentile(self, p):
        if not self.latences:
            return float("nan")
        valeurs = sorted(self.latences)
        return valeurs[min(len(valeurs) - 1, int(round(p / 100 * (len(valeurs) - 1))))]

    @property
    def erreurs_serveur(self):
        return sum(n for statut, n in self.statuts.items() if statut >= 500)


def charger(
    port, methode, chemin, n_max, duree_max, concurrence=8, corps=None, entetes=None, garder=False, pendant=None
):
    """Send up to n_max requests, for at most duree_max seconds, from `concurrence` threads.
    `corps(i)` / `entetes(i)` build the i-th request; `pendant(i)` runs after the i-th one is sent
    (fault injection). Connection errors are counted, never retried."""
    resultat = Resultat()
    verrou = threading.Lock()
    compteur = iter(range(n_max))
    fin = time.monotonic() + duree_max

    def travail():
        while time.monotonic() < fin:
            with verrou:
                i = next(compteur, None)
            if i is None:
                return
            t0 = time.perf_counter()
            try:
                statut, donnees, _ = requete(
                    port,
                    methode,
                    chemin(i) if callable(chemin) else chemin,
                    corps(i) if callable(corps) else corps,
                    entetes(i) if callable(entetes) else entetes,
                )
            except (OSError, http.client.HTTPException) as exc:
                with verrou:
                    resultat.erreurs[type(exc).__name__] += 1
                    if garder:
                        resultat.reponses.append((i, None, b""))
                continue
            finally:
                if pendant:
                    pendant(i)
            duree = time.perf_counter() - t0
            with verrou:
                resultat.latences.append(duree)
                resultat.statuts[statut] += 1
                if garder:
                    resultat.reponses.append((i, statut, donnees))

    debut = time.perf_counter()
    fils = [threading.Thread(target=travail, daemon=True) for _ in range(concurrence)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    resultat.duree = time.perf_counter() - debut
    return resultat


def api_disponible(port):
    """The intake API answers a JSON 400 to an empty body; anything else (404, or Wagtail's
    catch-all refusing a POST without CSRF token) means it is not merged on this branch."""
    statut, _, entetes = requete(port, "POST", "/api/v2/demandes/", b"{}", {"Content-Type": "application/json"})
    return statut == 400 and entetes.get("Content-Type", "").startswith("application/json")


def corps_demande(contexte, i, prefixe="charge", invalide=None):
    """A valid filing for the intake API (names of intake/depot/api.py); `invalide` breaks one field."""
    donnees = {
        "thematique": contexte["thematique_id"],
        "fiche": contexte["fiche_id"],
        "demandeur_nom": "CHARGE",
        "demandeur_prenom": "Test",
        "demandeur_fonction": "Maire",
        "demandeur_email": f"{prefixe}.{i}@charge.invalid",
        "demandeur_telephone": "05 61 00 00 00",
        "type_collectivite": contexte["collectivite_type"],
        "collectivite": contexte["collectivite_code"],
        "message": f"Demande de test de charge n°{i} : accompagnement pour la révision du PLU.",
        "consentement": True,
    }
    if invalide == "courriel":
        donnees["demandeur_email"] = "pas-une-adresse"
    elif invalide == "consentement":
        donnees["consentement"] = False
    elif invalide == "fiche":
        donnees["fiche"] = 999_999_999
    elif invalide == "json":
        return b"{pas du json"
    return json.dumps(donnees).encode()


def arreter_proprement(*objets):
    for objet in objets:
        try:
            objet()
        except Exception as exc:  # noqa: BLE001 - cleaning up must not hide the verdict
            print(f"(nettoyage : {exc})")
