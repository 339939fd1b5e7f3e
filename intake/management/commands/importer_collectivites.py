from django.core.management.base import BaseCommand, CommandError

from intake.referentiel import ReferentielError, importer_collectivites


class Command(BaseCommand):
    help = "Importe les communes et EPCI d'un département depuis les fichiers Etalab (découpage administratif)."

    def add_arguments(self, parser):
        parser.add_argument("departement", help="Code du département, par exemple 31.")
        parser.add_argument(
            "--source",
            required=True,
            help="Dossier contenant communes.json, epci.json et departements.json (format Etalab).",
        )

    def handle(self, departement, source, **options):
        try:
            bilan = importer_collectivites(departement, source)
        except ReferentielError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Département {departement} : {bilan}"))
