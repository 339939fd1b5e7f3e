import json

from django.core.management.base import BaseCommand

from operations.sauvegarde import empreinte_donnees


class Command(BaseCommand):
    help = "Affiche l'empreinte (lignes et somme de contrôle) de chaque table et de chaque fichier, en JSON."

    def handle(self, **options):
        self.stdout.write(json.dumps(empreinte_donnees(), indent=1, sort_keys=True))
