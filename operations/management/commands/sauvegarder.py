from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.sauvegarde import SauvegardeError, elaguer, sauvegarder


class Command(BaseCommand):
    help = (
        "Écrit une archive datée et cohérente de la base, des médias et des fichiers privés, puis supprime les "
        "archives les plus anciennes au-delà de SAUVEGARDE_CONSERVATION_NOMBRE (0 : aucune suppression)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--destination", default=str(settings.SAUVEGARDE_DIR), help="Dossier des archives.")
        parser.add_argument(
            "--conserver",
            type=int,
            default=None,
            help="Nombre d'archives les plus récentes à garder (défaut : SAUVEGARDE_CONSERVATION_NOMBRE ; 0 : toutes).",
        )

    def handle(self, destination, conserver=None, **options):
        if conserver is not None and conserver < 0:
            raise CommandError("--conserver attend un nombre positif ou nul.")
        try:
            archive = sauvegarder(destination)
            # Pruned only once the new archive is complete: a failed backup never costs an old one.
            supprimees = elaguer(destination, conserver)
        except SauvegardeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
        for ancienne in supprimees:
            self.stdout.write(f"Ancienne archive supprimée : {ancienne.name}")
