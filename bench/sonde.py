"""In-process probes for the benchmark scripts (run with the bench settings): the data they
need (a fiche, a demande, a signed-in session), SQL queries per page with Django's test
client and CaptureQueriesContext, and the database checks of the load and fault tests.
Prints one JSON line."""

import json
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.cache_pages import invalider_toutes_les_pages  # noqa: E402
from catalogue.models import FichePage, Membre  # noqa: E402
from intake.models import Collectivite, Demande  # noqa: E402

# The data generator's module: the benchmark imports it here only (one line to change if it moves).
from operations.generation import (  # noqa: E402
    DOMAINE_COURRIEL,
    PREFIXE_SIGLE,
    PREFIXE_UTILISATEUR,
    UTILISATEUR_ADMIN,
    creer_session,
)

DOMAINE_CHARGE = "charge.invalid"


def chef_de_file_charge():
    """A generated chef de file of the generated direction that has the most demandes."""
    direction = (
        Demande.objects.filter(
            demandeur_email__endswith="@" + DOMAINE_COURRIEL, direction__structure__sigle__startswith=PREFIXE_SIGLE
        )
        .values("direction")
        .annotate(n=Count("pk"))
        .order_by("-n", "direction")
        .first()
    )
    if direction is None:
        return None
    membre = (
        Membre.objects.filter(
            direction_id=direction["direction"],
            role=Membre.Role.CHEF_DE_FILE,
            user__username__startswith=PREFIXE_UTILISATEUR,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membre.user.username if membre else None


def contexte(chef=""):
    """The data of the measured pages. `chef`: the chef de file chosen at the small scale, kept
    at the large one (by default the chef de file of the direction with the most demandes)."""
    fiche = (
        FichePage.objects.live().filter(slug__startswith="fiche-generee-", demande_en_ligne=True).order_by("pk").first()
    )
    collectivite = Collectivite.objects.filter(active=True).order_by("pk").first()
    chef = chef or chef_de_file_charge()
    directions = list(
        Membre.objects.filter(user__username=chef, role=Membre.Role.CHEF_DE_FILE).values_list("direction", flat=True)
    )
    demandes_chef = Demande.objects.filter(direction__in=directions)
    # The chef's most recent demande that has a journal: the detail page with its usual content.
    demande = demandes_chef.annotate(n=Count("journal")).filter(n__gt=0).order_by("-numero").first()
    return {
        "fiche_id": fiche.pk if fiche else None,
        "fiche_url": fiche.url if fiche else None,
        "thematique_id": fiche.thematique_id if fiche else None,
        "collectivite_code": collectivite.code if collectivite else None,
        "collectivite_type": collectivite.type if collectivite else None,
        "statique": static("css/site.css"),
        "session": creer_session(UTILISATEUR_ADMIN),
        "chef": chef,
        "session_chef": creer_session(chef) if chef else None,
        "demandes_chef": demandes_chef.count(),
        "demandes": Demande.objects.count(),
        "demande_id": demande.pk if demande else None,
    }


def requetes(pages_json):
    """SQL queries of each page on a page-cache miss in a running worker: one request first
    (renditions, site root and other per-worker caches as in production), then the page
    cache is emptied and the second request is counted. Both scales are measured alike.
    Each page: [name, method, path, session key or null, JSON body or null]."""
    pages = json.loads(pages_json)
    resultats = {}
    for nom, methode, chemin, session, corps in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if session:
            client.cookies["sessionid"] = session
        if methode == "GET":
            client.get(chemin)
        invalider_toutes_les_pages()
        kwargs = {}
        if corps is not None:
            kwargs = {"data": corps, "content_type": "application/json", "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
        with CaptureQueriesContext(connection) as requetes_sql:
            if methode == "POST":
                reponse = client.post(chemin, **kwargs)
            else:
                reponse = client.get(chemin)
            if getattr(reponse, "streaming", False):
                for _ in reponse.streaming_content:
                    pass
        resultats[nom] = {"statut": reponse.status_code, "requetes": len(requetes_sql)}
    return resultats


def postgres():
    """The server process serving this connection (its parent is the postmaster) and the version."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_backend_pid(), current_setting('server_version')")
        pid, version = curseur.fetchone()
    try:  # field 4 of /proc/<pid>/stat: the parent, i.e. the postmaster (PostgreSQL on this machine)
        postmaster = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        postmaster = None
    return {"backend": pid, "postmaster": postmaster, "version": version}


def verifier_depots():
    """Checks of the load and fault tests on the demandes they filed (email @charge.invalid)."""
    from django.apps import apps

    demandes = Demande.objects.filter(demandeur_email__endswith="@" + DOMAINE_CHARGE)
    ids = list(demandes.values_list("pk", flat=True))
    historiques = set(Demande.history.filter(id__in=ids, history_type="+").values_list("id", flat=True))
    resultat = {
        "demandes": len(ids),
        "numeros_uniques": demandes.values("numero").distinct().count(),
        "sans_historique": len(set(ids) - historiques),
        "numeros": sorted(demandes.values_list("numero", flat=True)),
    }
    try:
        Notification = apps.get_model("intake", "Notification")
    except LookupError:
        resultat["outbox"] = None
        return resultat
    accuses = Notification.objects.filter(demande_id__in=ids, kind="accuse_reception")
    par_demande = dict(accuses.values_list("demande_id").annotate(n=Count("pk")))
    resultat.update(
        outbox=True,
        accuses=accuses.count(),
        sans_accuse=sum(1 for pk in ids if pk not in par_demande),
        accuses_multiples=sum(1 for n in par_demande.values() if n > 1),
        accuses_envoyes=accuses.filter(sent_at__isnull=False).count(),
        notifications_en_attente=Notification.objects.filter(sent_at__isnull=True).count(),
        notifications_total=Notification.objects.count(),
    )
    return resultat


def liberer_notifications():
    """Time passes: the notifications put off after SMTP failures are due now."""
    from django.apps import apps
    from django.utils import timezone

    Notification = apps.get_model("intake", "Notification")
    return {"liberees": Notification.objects.filter(sent_at__isnull=True).update(next_attempt_at=timezone.now())}


if __name__ == "__main__":
    action, *args = sys.argv[1:]
    print(
        json.dumps(
            {
                "contexte": contexte,
                "requetes": requetes,
                "postgres": postgres,
                "verifier_depots": verifier_depots,
                "liberer_notifications": liberer_notifications,
            }[action](*args),
            default=str,
        )
    )
