"""Wagtail admin hooks of the intake, one module per concern (loaded here so Wagtail finds them)."""

from intake import admin_depot, admin_exports, admin_notifications, admin_statistiques, admin_suivi  # noqa: F401
