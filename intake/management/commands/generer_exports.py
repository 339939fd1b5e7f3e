from django.core.management.base import BaseCommand

from intake.suivi import exports


class Command(BaseCommand):
    help = (
        "Prépare les exports de la liste des demandes trop volumineux pour être faits pendant la requête "
        "(au-delà de INTAKE_EXPORT_SYNCHRONE_MAX lignes) et supprime les exports expirés. "
        "En continu à côté du serveur : « manage.py tache generer_exports --boucle 5 »."
    )

    def handle(self, *args, **options):
        supprimes = exports.nettoyer()
        prets = 0
        for export in exports.exports_a_construire():
            if exports.construire(export):
                prets += 1
        self.stdout.write(f"Exports : {prets} préparé(s), {supprimes} expiré(s) supprimé(s).")
