from django.core.management.base import BaseCommand, CommandError

from operations.sauvegarde import SauvegardeError, restaurer


class Command(BaseCommand):
    help = "Restaure une archive de `sauvegarder` dans une instance vide (base sans table, dossiers vides)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Chemin de l'archive plateforme-AAAAMMJJ-HHMMSS.tar.gz")

    def handle(self, archive, **options):
        try:
            manifeste = restaurer(archive)
        except SauvegardeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restauration terminée (sauvegarde du {manifeste['date']})."))
