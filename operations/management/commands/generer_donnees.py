from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.generation import Echelle, Generateur


class Command(BaseCommand):
    help = (
        "Génère un jeu de données fictif à grande échelle (structures, directions, utilisateurs, fiches publiées, "
        "demandes sur plusieurs années avec journal et historique) pour les mesures de performance. "
        "Chaque partie est complétée jusqu'au nombre demandé : relancer la commande ne change rien, "
        "la relancer avec une échelle plus grande n'ajoute que ce qui manque. --vider supprime les seules "
        "données générées. Prérequis : manage.py load_initial_data."
    )

    def add_arguments(self, parser):
        defaut = Echelle()
        for nom in ("structures", "directions", "utilisateurs", "fiches", "demandes", "annees", "graine"):
            parser.add_argument(f"--{nom}", type=int, default=getattr(defaut, nom))
        parser.add_argument(
            "--vider", action="store_true", help="Supprime les données générées avant (ou sans) générer."
        )
        parser.add_argument("--seulement-vider", action="store_true", help="Supprime les données générées et s'arrête.")

    def handle(self, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError("Données fictives interdites par ces réglages (DEMO_ACCOUNTS_ALLOWED est faux).")
        if options["vider"] or options["seulement_vider"]:
            Generateur.vider(ecrire=self.stdout.write)
            if options["seulement_vider"]:
                return
        echelle = Echelle(**{nom: options[nom] for nom in Echelle.__dataclass_fields__})
        if echelle.structures < 1 or echelle.directions < echelle.structures or echelle.fiches < 1:
            raise CommandError("Il faut au moins une structure, une direction par structure et une fiche.")
        self.stdout.write(f"Génération : {echelle}")
        try:
            Generateur(echelle, ecrire=self.stdout.write).generer()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
