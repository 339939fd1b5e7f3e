from django.core.management.base import BaseCommand

from pilotage.services import actualiser


class Command(BaseCommand):
    help = (
        "Enregistre la valeur actuelle des indicateurs automatiques du plan d'actions "
        "(calculée à partir des statistiques de la plateforme). À lancer chaque nuit."
    )

    def handle(self, **options):
        nombre = actualiser()
        self.stdout.write(f"Indicateurs automatiques actualisés : {nombre}.")
