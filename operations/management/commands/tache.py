import io
import logging
import time
from contextlib import nullcontext

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations.taches import TACHES_PAR_COMMANDE, execution

logger = logging.getLogger("plateforme.taches")


class Command(BaseCommand):
    help = (
        "Lance une commande planifiée. Celles de la liste des tâches (etat_taches) sont enregistrées : début, fin, "
        "succès ou erreur, dernière ligne affichée ; c'est ce que lisent /sante/ et la page « Tâches planifiées ». "
        "Avec --boucle N, recommence toutes les N secondes et ne s'arrête jamais sur une erreur "
        "(« make run » fait ainsi tourner l'envoi des courriels et la préparation des exports)."
    )

    def add_arguments(self, parser):
        parser.add_argument("commande", help="Nom de la commande, par exemple envoyer_notifications.")
        parser.add_argument("--boucle", type=int, metavar="SECONDES", help="Recommencer toutes les N secondes.")

    def handle(self, *args, commande, boucle=None, **options):
        if commande not in get_commands():
            raise CommandError(f"Commande inconnue : « {commande} » (voir « manage.py help »).")
        if boucle is not None and boucle < 0:
            raise CommandError("--boucle attend un nombre de secondes positif ou nul.")
        if boucle is None:
            self.stdout.write(self.passage(commande), ending="")
            return
        try:
            self.boucle(commande, boucle)
        except KeyboardInterrupt:
            self.stdout.write(f"{commande} arrêtée.")

    def passage(self, commande):
        """One run of the command, recorded if it is a scheduled job; returns what it printed."""
        sortie = io.StringIO()
        suivie = commande in TACHES_PAR_COMMANDE
        with execution(commande) if suivie else nullcontext() as run:
            call_command(commande, stdout=sortie)
            if run is not None:
                lignes = sortie.getvalue().strip().splitlines()
                run.message = (lignes[-1] if lignes else "")[:2000]
        return sortie.getvalue()

    def boucle(self, commande, intervalle):
        precedente = None
        while True:
            try:
                texte = self.passage(commande)
                if texte != precedente:  # a quiet loop: say only what changed
                    self.stdout.write(texte, ending="")
                precedente = texte
            except Exception as exc:
                # The loop never dies (e.g. SQLite "database is locked"): log, reconnect, go on.
                logger.exception("tache=%s statut=erreur_boucle erreur=%s", commande, type(exc).__name__)
                self.stderr.write(
                    f"Passage de {commande} interrompu ({type(exc).__name__}) : nouvel essai dans {intervalle} s."
                )
                precedente = None
                if not connection.in_atomic_block:
                    try:
                        connection.close()  # the next pass opens a fresh connection
                    except Exception:  # noqa: BLE001
                        pass
            time.sleep(intervalle)
