from django.core.management.base import BaseCommand

from pilotage.services import relancer_conventions


class Command(BaseCommand):
    help = (
        "Rappelle aux administrateurs les conventions de partenariat qui arrivent à échéance "
        "(seuils PILOTAGE_RAPPEL_CONVENTIONS_JOURS). À lancer chaque jour ; chaque rappel n'est envoyé qu'une fois."
    )

    def handle(self, **options):
        nombre = relancer_conventions()
        self.stdout.write(f"Rappels d'échéance de convention envoyés : {nombre}.")
