"""Wagtail admin hooks of the intake, one module per concern (loaded here so Wagtail finds them)."""

from wagtail import hooks

from intake.depot import partenaire  # noqa: F401 - recording a demande received by a partner
from intake.depot.views import servir_formulaire_depot
from intake.models import DemandePage
from intake.notifications import admin as admin_notifications  # noqa: F401 - the outbox
from intake.statistiques import admin as admin_statistiques  # noqa: F401 - figures, access log
from intake.suivi import admin as admin_suivi  # noqa: F401 - list and detail of the demandes
from intake.suivi import mes_exports  # noqa: F401 - « Mes exports »


# Innermost link of Wagtail's serving chain (order 100): its view-restriction check, an
# on_serve_page hook of order 0, runs first.
@hooks.register("on_serve_page", order=100)
def servir_le_formulaire_de_depot(suivant):
    """The /demande/ page is the filing form: its view answers instead of the page's template."""

    def servir(page, request, serve_args, serve_kwargs):
        if isinstance(page, DemandePage):
            return servir_formulaire_depot(request, page)
        return suivant(page, request, serve_args, serve_kwargs)

    return servir
