from django.core.management.base import BaseCommand
from django.utils import timezone

from operations.taches import etat_des_taches


class Command(BaseCommand):
    help = "Liste les tâches planifiées, leur dernière exécution réussie et celles en retard."

    def handle(self, **options):
        retard = 0
        for ligne in etat_des_taches():
            tache, reussite = ligne["tache"], ligne["derniere_reussite"]
            derniere = timezone.localtime(reussite.debut).strftime("%d/%m/%Y %H:%M") if reussite else "jamais"
            statut = "EN RETARD" if ligne["en_retard"] else "à jour"
            retard += ligne["en_retard"]
            self.stdout.write(f"{tache.commande:<28} {tache.frequence:<15} dernière réussite : {derniere:<17} {statut}")
        if retard:
            self.stdout.write(self.style.WARNING(f"{retard} tâche(s) en retard."))
