import time

from django.core.management.base import BaseCommand

from intake.outbox import send_pending
from intake.taches import execution


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente de la table des notifications et retente les échecs "
        "(délai croissant). À lancer chaque minute en production, ou avec --loop à côté du serveur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Tourner en boucle (Ctrl+C pour arrêter).")
        parser.add_argument("--interval", type=int, default=30, help="Secondes entre deux passages avec --loop.")

    def handle(self, *args, loop=False, interval=30, **options):
        while True:
            with execution("envoyer_notifications"):
                sent, failed = send_pending()
            if sent or failed or not loop:
                self.stdout.write(f"Notifications : {sent} envoyée(s), {failed} en échec (nouvel essai plus tard).")
            if not loop:
                return
            time.sleep(interval)
