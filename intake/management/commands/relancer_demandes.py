from django.core.management.base import BaseCommand

from intake.notifications.relances import relancer


class Command(BaseCommand):
    help = (
        "Relance les demandes (à lancer chaque jour) : la veille de l'échéance, après l'échéance "
        "(référent et chef de file), puis escalade aux administrateurs. Chaque relance n'est envoyée qu'une fois."
    )

    def handle(self, **options):
        bilan = relancer()
        self.stdout.write(
            f"Relances envoyées : {bilan['veille']} la veille, {bilan['retard']} en retard, {bilan['escalade']} escalade(s)."
        )
