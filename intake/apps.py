from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Demandes des collectivités"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from intake import referentiel
        from intake.models import Collectivite

        for signal in (post_save, post_delete):
            signal.connect(referentiel.renouveler_version, sender=Collectivite, dispatch_uid=f"referentiel-{signal}")
