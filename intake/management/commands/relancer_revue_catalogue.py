from django.core.management.base import BaseCommand

from intake.notifications.revue_catalogue import relancer_revue


class Command(BaseCommand):
    help = "Écrit à chaque groupe partenaire la liste de ses fiches à revoir pour le millésime en cours."

    def add_arguments(self, parser):
        parser.add_argument("--millesime", type=int, help="Millésime (par défaut : le millésime en cours).")

    def handle(self, millesime=None, **options):
        envoyes = relancer_revue(millesime)
        self.stdout.write(f"Relances de revue du catalogue : {envoyes} structure(s) prévenue(s).")
