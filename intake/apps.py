from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Demandes des collectivités"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from catalogue.models import Direction, Membre, Structure
        from intake import memoire
        from intake.models import Collectivite

        sources = [
            (memoire.COLLECTIVITES, Collectivite),
            *((memoire.MEMBRES, modele) for modele in (get_user_model(), Membre, Direction, Structure)),
        ]
        for memo, modele in sources:
            for signal in (post_save, post_delete):
                signal.connect(
                    memo.renouveler, sender=modele, weak=False, dispatch_uid=f"{memo.cle}-{modele.__name__}-{signal}"
                )
