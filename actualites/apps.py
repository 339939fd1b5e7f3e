from django.apps import AppConfig


class ActualitesConfig(AppConfig):
    name = "actualites"
    verbose_name = "Site éditorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from actualites.signal_handlers import register_signal_handlers

        register_signal_handlers()
