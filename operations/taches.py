"""The platform's scheduled jobs in one place: what runs, how often, and when it last succeeded.

Production runs each as a systemd timer (deploy/) through `manage.py tache <commande>`, which
records the run here; the commands themselves know nothing of it. `manage.py etat_taches`, /sante/
and the administrators' "Tâches planifiées" page read the runs.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from operations.models import ExecutionTache

logger = logging.getLogger("plateforme.taches")


@dataclass(frozen=True)
class Tache:
    commande: str
    libelle: str
    periode: timedelta
    frequence: str

    def derniere_reussite(self):
        return ExecutionTache.objects.filter(tache=self.commande, succes=True).order_by("-debut").first()

    def derniere_execution(self):
        return ExecutionTache.objects.filter(tache=self.commande).order_by("-debut").first()

    def en_retard(self, maintenant=None, derniere=None):
        """Late when it has not succeeded for twice its period."""
        maintenant = maintenant or timezone.now()
        derniere = derniere if derniere is not None else self.derniere_reussite()
        return derniere is None or derniere.debut < maintenant - 2 * self.periode

    def prochaine_echeance(self, derniere=None):
        derniere = derniere if derniere is not None else self.derniere_reussite()
        return (derniere.debut + self.periode) if derniere else timezone.now()


TACHES = [
    Tache("envoyer_notifications", "Envoi des courriels en attente (outbox)", timedelta(minutes=1), "chaque minute"),
    Tache("relancer_demandes", "Relances des échéances de premier contact", timedelta(days=1), "chaque jour"),
    Tache(
        "envoyer_recapitulatif", "Récapitulatif hebdomadaire des demandes ouvertes", timedelta(days=7), "chaque semaine"
    ),
    Tache(
        "relancer_revue_catalogue",
        "Relance des partenaires pour la revue annuelle du catalogue",
        timedelta(days=7),
        "chaque semaine",
    ),
    Tache(
        "anonymiser_demandes",
        "Anonymisation des demandes closes après la durée de conservation",
        timedelta(days=1),
        "chaque jour",
    ),
    Tache("sauvegarder", "Sauvegarde de la base et des fichiers", timedelta(days=1), "chaque jour"),
    Tache(
        "envoyer_digest_reseau", "Récapitulatif quotidien des discussions du réseau", timedelta(days=1), "chaque jour"
    ),
    Tache(
        "vider_compteurs_reseau",
        "Report des consultations de pages comptées (rapport d'usage)",
        timedelta(hours=1),
        "chaque heure",
    ),
    Tache(
        "relancer_conventions",
        "Rappels aux administrateurs avant l'échéance des conventions",
        timedelta(days=1),
        "chaque jour",
    ),
    Tache(
        "actualiser_indicateurs",
        "Valeurs des indicateurs automatiques du plan d'actions",
        timedelta(days=1),
        "chaque jour",
    ),
]
TACHES_PAR_COMMANDE = {tache.commande: tache for tache in TACHES}


def etat_des_taches(maintenant=None):
    """For each job: the job, its last successful run, its last run, and whether it is late."""
    maintenant = maintenant or timezone.now()
    etat = []
    for tache in TACHES:
        reussite = tache.derniere_reussite()
        etat.append(
            {
                "tache": tache,
                "derniere_reussite": reussite,
                "derniere_execution": tache.derniere_execution(),
                "en_retard": tache.en_retard(maintenant, reussite),
                "prochaine": tache.prochaine_echeance(reussite),
            }
        )
    return etat


@contextmanager
def execution(commande):
    """Record a run of `commande`: success when the block ends normally, the error otherwise."""
    run = ExecutionTache.objects.create(tache=commande)
    try:
        yield run
    except BaseException as exc:
        run.fin, run.succes = timezone.now(), False
        run.message = f"{type(exc).__name__}: {exc}"[:2000]
        run.save(update_fields=["fin", "succes", "message"])
        logger.error("tache=%s statut=echec erreur=%s", commande, type(exc).__name__)
        raise
    else:
        run.fin, run.succes = timezone.now(), True
        run.save(update_fields=["fin", "succes", "message"])
        logger.info("tache=%s statut=succes duree=%.1fs", commande, (run.fin - run.debut).total_seconds())
    # Keep a bounded history: the 200 most recent runs of each job.
    anciennes = ExecutionTache.objects.filter(tache=commande).order_by("-debut").values_list("pk", flat=True)[200:]
    ExecutionTache.objects.filter(pk__in=list(anciennes)).delete()
