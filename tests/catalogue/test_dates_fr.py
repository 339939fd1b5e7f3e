"""French dates: « 1er » on the first of the month, month names in French, local time."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template, TemplateSyntaxError

from catalogue.dates import date_fr, heure_fr, jour_fr, mois_fr


@pytest.mark.parametrize(
    "jour, attendu",
    [
        (datetime.date(2026, 12, 1), "1er décembre 2026"),
        (datetime.date(2026, 12, 2), "2 décembre 2026"),
        (datetime.date(2026, 12, 31), "31 décembre 2026"),
        (datetime.date(2027, 1, 1), "1er janvier 2027"),
        (datetime.date(2027, 2, 11), "11 février 2027"),
        (datetime.date(2027, 8, 21), "21 août 2027"),
    ],
)
def test_date_fr_writes_the_first_of_the_month_as_an_ordinal(jour, attendu):
    assert date_fr(jour) == attendu


def test_every_month_has_its_french_name():
    mois = [date_fr(datetime.date(2026, numero, 15), avec_annee=False) for numero in range(1, 13)]
    assert mois == [
        "15 janvier",
        "15 février",
        "15 mars",
        "15 avril",
        "15 mai",
        "15 juin",
        "15 juillet",
        "15 août",
        "15 septembre",
        "15 octobre",
        "15 novembre",
        "15 décembre",
    ]


def test_date_fr_without_year_with_weekday_and_time():
    moment = datetime.datetime(2026, 12, 1, 9, 5)
    assert date_fr(moment, avec_annee=False) == "1er décembre"
    assert date_fr(moment, avec_jour_semaine=True) == "mardi 1er décembre 2026"
    assert date_fr(moment, avec_heure=True) == "1er décembre 2026 à 9h05"
    assert heure_fr(datetime.datetime(2026, 12, 1, 14, 0)) == "14h"
    assert jour_fr(moment) == "1er" and jour_fr(datetime.date(2026, 12, 2)) == "2"
    assert mois_fr(moment) == "décembre 2026"


def test_an_aware_datetime_is_written_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Paris"
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
    minuit_et_demi = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert date_fr(minuit_et_demi, avec_heure=True) == "1er décembre 2026 à 0h30"


def test_nothing_gives_an_empty_string():
    assert date_fr(None) == ""
    assert (
        Template("{% load dates_fr %}[{{ rien|date_fr }}][{{ 'pas une date'|date_fr }}]").render(
            Context({"rien": None})
        )
        == "[][]"
    )


def test_the_template_filters():
    gabarit = Template(
        '{% load dates_fr %}{{ d|date_fr }} | {{ d|date_fr:"sans_annee" }} | {{ m|date_fr:"jour,heure" }} | {{ d|jour_fr }} | {{ d|mois_fr }}'
    )
    rendu = gabarit.render(Context({"d": datetime.date(2026, 12, 1), "m": datetime.datetime(2026, 12, 1, 9, 30)}))
    assert rendu == "1er décembre 2026 | 1er décembre | mardi 1er décembre 2026 à 9h30 | 1er | décembre 2026"


def test_an_unknown_option_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load dates_fr %}{{ d|date_fr:"heures" }}').render(Context({"d": datetime.date(2026, 12, 1)}))
