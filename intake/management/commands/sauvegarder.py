from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from intake.sauvegarde import SauvegardeError, sauvegarder
from intake.taches import execution


class Command(BaseCommand):
    help = "Écrit une archive datée et cohérente de la base, des médias et des fichiers privés."

    def add_arguments(self, parser):
        parser.add_argument("--destination", default=str(settings.SAUVEGARDE_DIR), help="Dossier des archives.")

    def handle(self, destination, **options):
        try:
            with execution("sauvegarder"):
                archive = sauvegarder(destination)
        except SauvegardeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
