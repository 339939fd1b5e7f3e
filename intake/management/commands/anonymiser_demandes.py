from django.core.management.base import BaseCommand

from intake.donnees_personnelles.anonymisation import anonymiser_expirees, retention_jours


class Command(BaseCommand):
    help = (
        "Anonymise les demandes clôturées (terminées ou abandonnées) depuis plus de INTAKE_RETENTION_JOURS jours, "
        "et les demandes rejetées restées sans activité (ni changement ni entrée de journal) pendant cette durée : "
        "identité et coordonnées du demandeur, message, journal, pièces jointes, notifications et historique. "
        "Les statistiques restent inchangées. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Affiche les demandes concernées sans rien modifier."
        )

    def handle(self, dry_run=False, **options):
        numeros = anonymiser_expirees(dry_run=dry_run)
        prefixe = "Simulation : " if dry_run else ""
        verbe = "seraient anonymisées" if dry_run else "anonymisées"
        self.stdout.write(
            f"{prefixe}{len(numeros)} demande(s) {verbe} (conservation : {retention_jours()} jours)"
            + (f" : n° {', '.join(str(numero) for numero in numeros)}." if numeros else ".")
        )
