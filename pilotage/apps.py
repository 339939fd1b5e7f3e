from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage et gouvernance"
    default_auto_field = "django.db.models.BigAutoField"
