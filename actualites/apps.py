from django.apps import AppConfig


class ActualitesConfig(AppConfig):
    name = "actualites"
    verbose_name = "Site éditorial"
    default_auto_field = "django.db.models.BigAutoField"
