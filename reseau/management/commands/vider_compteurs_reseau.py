from django.core.management.base import BaseCommand

from reseau.compteurs import vider_compteurs


class Command(BaseCommand):
    help = (
        "Reporte dans la base les consultations de pages comptées en cache (rapport d'usage du réseau). "
        "À lancer chaque heure ; le rapport le fait aussi à chaque affichage."
    )

    def handle(self, *args, **options):
        nombre = vider_compteurs()
        self.stdout.write(f"{nombre} consultation(s) reportée(s).")
