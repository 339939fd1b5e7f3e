from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Demandes des collectivités"
    default_auto_field = "django.db.models.BigAutoField"
