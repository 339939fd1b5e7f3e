from django.core.management.base import BaseCommand

from intake.notifications.outbox import send_pending


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente de la table des notifications et retente les échecs "
        "(délai croissant). Planifiée chaque minute (« manage.py tache envoyer_notifications », ou avec "
        "--boucle à côté du serveur). Plusieurs envois simultanés n'envoient jamais deux fois le même courriel."
    )

    def handle(self, *args, **options):
        sent, failed = send_pending()
        self.stdout.write(f"Notifications : {sent} envoyée(s), {failed} en échec (nouvel essai plus tard).")
