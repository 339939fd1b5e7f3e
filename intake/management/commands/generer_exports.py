import logging
import time

from django.core.management.base import BaseCommand

from intake.backoffice import exports

logger = logging.getLogger(__name__)


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
        if not loop:
            self._passage(toujours_dire=True)
            return
        while True:
            # The loop never dies: a locked database or a failing export is logged and retried.
            try:
                self._passage(toujours_dire=False)
            except Exception:
                logger.exception("Passage de generer_exports en échec ; nouvel essai dans %s s.", interval)
            time.sleep(interval)

    def _passage(self, *, toujours_dire):
        supprimes = exports.nettoyer()
        prets = 0
        for export in exports.exports_a_construire():
            if exports.construire(export):
                prets += 1
        if prets or supprimes or toujours_dire:
            self.stdout.write(f"Exports : {prets} préparé(s), {supprimes} expiré(s) supprimé(s).")
