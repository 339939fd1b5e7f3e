"""Wagtail admin hooks of the intake, one module per concern (loaded here so Wagtail finds them)."""

from intake import admin_depot, admin_statistiques, admin_suivi  # noqa: F401
from intake import admin_notifications  # noqa: F401,E402  (outbox list for administrators)
