from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue et partenaires"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from catalogue import signal_handlers  # noqa: F401
