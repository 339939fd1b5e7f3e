from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from actualites import ical
from actualites.models.agenda import evenements_publics


@require_GET
def agenda_ical(request):
    """Every published public event (past ones included, so that calendars keep them)."""
    evenements = evenements_publics().order_by("date_debut", "pk")
    return _reponse_ical(request, evenements, "agenda.ics")


@require_GET
def evenement_ical(request, pk):
    """One published public event, to add it alone to a calendar."""
    evenement = get_object_or_404(evenements_publics(), pk=pk)
    return _reponse_ical(request, [evenement], f"{evenement.slug}.ics")


def _reponse_ical(request, evenements, nom_fichier):
    contenu = ical.calendrier(evenements, request, f"Agenda — {settings.PLATEFORME['NOM']}")
    response = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return response


@require_GET
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")
