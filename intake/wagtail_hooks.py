"""Wagtail admin hooks of the intake, one module per concern (loaded here so Wagtail finds them)."""

from intake.depot import partenaire  # noqa: F401 - recording a demande received by a partner
from intake.notifications import admin as admin_notifications  # noqa: F401 - the outbox
from intake.statistiques import admin as admin_statistiques  # noqa: F401 - figures, access log
from intake.suivi import admin as admin_suivi  # noqa: F401 - list and detail of the demandes
from intake.suivi import mes_exports  # noqa: F401 - « Mes exports »
