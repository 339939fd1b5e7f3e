from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: health check, backup and restore, scheduled jobs, initial and generated data.

    The top of the dependency graph beside `config`: it may import every app, no app imports it.
    """

    name = "operations"
    verbose_name = "Exploitation"
    default_auto_field = "django.db.models.BigAutoField"
