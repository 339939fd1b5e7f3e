import datetime

from django.core.management.base import BaseCommand, CommandError

from reseau.discussions import envoyer_digests


class Command(BaseCommand):
    help = (
        "Envoie le récapitulatif quotidien des discussions du réseau (la veille par défaut) aux membres qui l'ont "
        "choisi ; une seule fois par membre et par jour, la commande peut être relancée sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Journée à récapituler, AAAA-MM-JJ (par défaut : hier).")

    def handle(self, *args, date=None, **options):
        jour = None
        if date:
            try:
                jour = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from exc
        envoyes = envoyer_digests(jour)
        self.stdout.write(f"{envoyes} récapitulatif(s) mis en file d'envoi.")
