"""Wagtail admin hooks of the intake, one module per concern (loaded here so Wagtail finds them)."""

from wagtail import hooks

from intake.depot import partenaire  # noqa: F401 - recording a demande received by a partner
from intake.depot.views import servir_formulaire_depot
from intake.models import DemandePage
from intake.notifications import admin as admin_notifications  # noqa: F401 - the outbox
from intake.statistiques import admin as admin_statistiques  # noqa: F401 - figures, access log
from intake.suivi import admin as admin_suivi  # noqa: F401 - list and detail of the demandes
from intake.suivi import mes_exports  # noqa: F401 - « Mes exports »


@hooks.register("before_serve_page")
def servir_le_formulaire_de_depot(page, request, serve_args, serve_kwargs):
    """The /demande/ page is the filing form: its view answers instead of the page's template."""
    if isinstance(page, DemandePage):
        return servir_formulaire_depot(request, page)
    return None
