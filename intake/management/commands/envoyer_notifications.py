import logging
import time

from django.core.management.base import BaseCommand
from django.db import connection

from intake.outbox import send_pending
from intake.taches import execution

logger = logging.getLogger("plateforme.taches")


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente de la table des notifications et retente les échecs "
        "(délai croissant). À lancer chaque minute en production, ou avec --loop à côté du serveur. "
        "Plusieurs envois simultanés n'envoient jamais deux fois le même courriel."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Tourner en boucle (Ctrl+C pour arrêter).")
        parser.add_argument("--interval", type=int, default=30, help="Secondes entre deux passages avec --loop.")

    def passage(self, loop):
        """One pass, recorded among the scheduled jobs: its success is the heartbeat /sante/ reads."""
        with execution("envoyer_notifications"):
            sent, failed = send_pending()
        if sent or failed or not loop:
            self.stdout.write(f"Notifications : {sent} envoyée(s), {failed} en échec (nouvel essai plus tard).")

    def handle(self, *args, loop=False, interval=30, **options):
        try:
            self.boucle(loop, interval)
        except KeyboardInterrupt:
            self.stdout.write("Envoi des courriels arrêté.")

    def boucle(self, loop, interval):
        while True:
            try:
                self.passage(loop)
            except Exception as exc:
                if not loop:
                    raise  # a timer run fails visibly (exit status); the next run retries
                # The loop never dies (e.g. SQLite "database is locked"): log, reconnect, go on.
                logger.exception("tache=envoyer_notifications statut=erreur_boucle erreur=%s", type(exc).__name__)
                self.stderr.write(f"Passage interrompu ({type(exc).__name__}) : nouvel essai dans {interval} s.")
                if not connection.in_atomic_block:
                    try:
                        connection.close()  # the next pass opens a fresh connection
                    except Exception:  # noqa: BLE001
                        pass
            if not loop:
                return
            time.sleep(interval)
