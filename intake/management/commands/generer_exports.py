import time

from django.core.management.base import BaseCommand

from intake.backoffice import exports


class Command(BaseCommand):
    help = (
        "Prépare les exports de la liste des demandes trop volumineux pour être faits pendant la requête "
        "(au-delà de INTAKE_EXPORT_SYNCHRONE_MAX lignes) et supprime les exports expirés. "
        "Un passage par minute en production, ou avec --loop à côté du serveur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Tourner en boucle (Ctrl+C pour arrêter).")
        parser.add_argument("--interval", type=int, default=5, help="Secondes entre deux passages avec --loop.")

    def handle(self, *args, loop=False, interval=5, **options):
        while True:
            supprimes = exports.nettoyer()
            prets = 0
            for export in exports.exports_a_construire():
                if exports.construire(export):
                    prets += 1
            if prets or supprimes or not loop:
                self.stdout.write(f"Exports : {prets} préparé(s), {supprimes} expiré(s) supprimé(s).")
            if not loop:
                return
            time.sleep(interval)
