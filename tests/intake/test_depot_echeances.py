"""The échéance de premier contact: 3 or 10 days, calendar or working days."""

import datetime

from catalogue.enums import NatureFiche
from intake.deadlines import calculer_echeance

MERCREDI_VEILLE_ASCENSION = datetime.date(2026, 5, 13)  # Ascension: Thursday 14 May 2026


def test_urgent_fiche_gives_three_calendar_days(settings):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = False
    assert calculer_echeance(MERCREDI_VEILLE_ASCENSION, NatureFiche.URGENTE) == datetime.date(2026, 5, 16)


def test_complex_fiche_and_free_request_give_ten_calendar_days(settings):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = False
    attendu = datetime.date(2026, 5, 23)
    assert calculer_echeance(MERCREDI_VEILLE_ASCENSION, NatureFiche.COMPLEXE) == attendu
    assert calculer_echeance(MERCREDI_VEILLE_ASCENSION, None) == attendu


def test_working_days_skip_the_public_holiday_and_the_weekend(settings):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = True
    # Thu 14 (Ascension) skipped; Fri 15, Mon 18, Tue 19.
    assert calculer_echeance(MERCREDI_VEILLE_ASCENSION, NatureFiche.URGENTE) == datetime.date(2026, 5, 19)


def test_working_days_for_ten_days_skip_holidays_across_two_weeks(settings):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = True
    # From Wed 13 May 2026: 15, 18, 19, 20, 21, 22, (25 = Whit Monday skipped) 26, 27, 28, 29.
    assert calculer_echeance(MERCREDI_VEILLE_ASCENSION, NatureFiche.COMPLEXE) == datetime.date(2026, 5, 29)


def test_working_days_cross_the_new_year(settings):
    settings.INTAKE_ECHEANCE_JOURS_OUVRES = True
    # Wed 30 Dec 2026: Thu 31 (1), Fri 1 Jan holiday, Mon 4 (2), Tue 5 (3).
    assert calculer_echeance(datetime.date(2026, 12, 30), NatureFiche.URGENTE) == datetime.date(2027, 1, 5)
