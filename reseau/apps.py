from django.apps import AppConfig


class ReseauConfig(AppConfig):
    """The network's space: directory, shared documents, discussions and usage report."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reseau"
    verbose_name = "Espace réseau"

    def ready(self):
        from reseau import signal_handlers  # noqa: F401
