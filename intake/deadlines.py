"""The one place that computes the échéance de premier contact (in business days, French public holidays excluded)."""

import datetime

import holidays
from django.conf import settings

from catalogue.enums import delai_rappel_jours


def delai_jours(nature):
    """3 days for an urgent fiche, 10 otherwise (complex fiche or demande libre)."""
    return delai_rappel_jours(nature)


def est_jour_ouvre(jour, feries):
    return jour.weekday() < 5 and jour not in feries


def calculer_echeance(date_depot: datetime.date, nature: str | None) -> datetime.date:
    """Filing date + the fiche's delay, in calendar days, or in working days (French
    public holidays excluded) when settings.INTAKE_ECHEANCE_JOURS_OUVRES is true."""
    jours = delai_jours(nature)
    if not settings.INTAKE_ECHEANCE_JOURS_OUVRES:
        return date_depot + datetime.timedelta(days=jours)
    feries = holidays.France(years=range(date_depot.year, date_depot.year + 2))
    jour = date_depot
    while jours:
        jour += datetime.timedelta(days=1)
        if est_jour_ouvre(jour, feries):
            jours -= 1
    return jour
