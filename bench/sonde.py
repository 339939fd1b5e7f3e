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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.cache_pages import invalider_toutes_les_pages  # noqa: E402
from catalogue.models import FichePage  # noqa: E402
from intake.generation import DOMAINE_COURRIEL, UTILISATEUR_ADMIN, creer_session  # noqa: E402
from intake.models import Collectivite, Demande  # noqa: E402

DOMAINE_CHARGE = "charge.invalid"


def contexte():
    fiche = (
        FichePage.objects.live().filter(slug__startswith="fiche-generee-", demande_en_ligne=True).order_by("pk").first()
    )
    collectivite = Collectivite.objects.filter(active=True).order_by("pk").first()
    demande = (
        Demande.objects.filter(demandeur_email__endswith="@" + DOMAINE_COURRIEL)
        .annotate(n=Count("journal"))
        .filter(n__gt=0)
        .order_by("-numero")
        .first()
    )
    return {
        "fiche_id": fiche.pk if fiche else None,
        "fiche_url": fiche.url if fiche else None,
        "thematique_id": fiche.thematique_id if fiche else None,
        "collectivite_code": collectivite.code if collectivite else None,
        "collectivite_type": collectivite.type if collectivite else None,
        "demande_id": demande.pk if demande else None,
        "session": creer_session(UTILISATEUR_ADMIN),
    }


def requetes(pages_json):
    """SQL queries of each page on a page-cache miss in a running worker: one request first
    (renditions, site root and other per-worker caches as in production), then the page
    cache is emptied and the second request is counted. Both scales are measured alike."""
    pages = json.loads(pages_json)
    session = creer_session(UTILISATEUR_ADMIN)
    resultats = {}
    for nom, methode, chemin, connecte, corps in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if connecte:
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
                "verifier_depots": verifier_depots,
                "liberer_notifications": liberer_notifications,
            }[action](*args),
            default=str,
        )
    )
