from django.core.management.base import BaseCommand

from intake.notifications.relances import envoyer_recapitulatifs


class Command(BaseCommand):
    help = (
        "Envoie à chaque chef de file, expert et administrateur le récapitulatif hebdomadaire de ses demandes ouvertes."
    )

    def handle(self, **options):
        envoyes = envoyer_recapitulatifs()
        self.stdout.write(f"Récapitulatifs envoyés : {envoyes}.")
