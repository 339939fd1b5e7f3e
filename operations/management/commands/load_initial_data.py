from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from operations.donnees_initiales import catalogue as catalogue_data
from operations.donnees_initiales import collectivites as intake_data
from operations.donnees_initiales.collectivites import load_collectivites
from operations.donnees_initiales.demonstration import load_demo_demandes
from operations.donnees_initiales.editorial import load_contenu_editorial, load_site


class Command(BaseCommand):
    help = (
        "Charge les données initiales (partenaires, directions, thématiques, collectivités, pages) "
        "et, hors production, les comptes de démonstration. Relancer la commande ne change rien."
    )

    def handle(self, **options):
        self.stdout.write(
            f"Organisation : {catalogue_data.load_organisation()} enregistrement(s) créé(s) ou modifié(s)."
        )
        self.stdout.write(f"Thématiques : {catalogue_data.load_thematiques()} créée(s) ou modifiée(s).")
        bilan = load_collectivites()
        self.stdout.write(f"Collectivités : {bilan if bilan else 'aucun référentiel dans fixtures/.'}")
        home = load_site()
        catalogue_data.load_catalogue_pages(home)
        intake_data.load_pages(home)
        catalogue_data.load_catalogue_contenu(stdout=self.stdout)
        self.stdout.write("Pages : accueil et catalogue en place.")
        self.stdout.write(f"Site éditorial : {load_contenu_editorial(home)} page(s) créée(s).")
        if settings.DEMO_ACCOUNTS_ALLOWED:
            created = catalogue_data.load_demo_accounts()
            self.stdout.write(f"Comptes de démonstration : {created} créé(s) (mot de passe « demo »).")
            self.stdout.write(f"Demandes de démonstration : {load_demo_demandes()} créée(s).")
        else:
            self.stdout.write("Comptes de démonstration : non créés (interdits par ces réglages).")
        call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Données initiales chargées."))
