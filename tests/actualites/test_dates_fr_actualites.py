"""Public editorial pages write the first of the month « 1er »: article, list, agenda, ressource."""

import datetime

import pytest
from django.utils import timezone

from actualites.models import ActualitePage, EvenementPage, RessourcePage
from catalogue.dates import MOIS
from tests.actualites.conftest import make_document
from tests.conftest import publish

pytestmark = pytest.mark.django_db


def premier_du_mois_prochain(heure, minute=0):
    aujourd_hui = timezone.localdate()
    mois_suivant = (aujourd_hui.replace(day=28) + datetime.timedelta(days=7)).replace(day=1)
    return timezone.make_aware(datetime.datetime(mois_suivant.year, mois_suivant.month, 1, heure, minute))


def test_an_article_published_on_the_first_shows_1er_on_its_page_and_in_the_list(client, sections):
    page = publish(
        sections["actualites"],
        ActualitePage(
            title="Salon des maires", slug="salon", chapo="Chapô.", date_publication=datetime.date(2026, 12, 1)
        ),
    )
    assert "1er décembre 2026" in client.get(page.url).content.decode()
    liste = client.get(sections["actualites"].url).content.decode()
    assert "1er décembre 2026" in liste and "1 décembre" not in liste


def test_an_event_on_the_first_shows_1er_on_its_page_and_in_the_agenda(client, sections):
    debut = premier_du_mois_prochain(9, 30)
    page = publish(
        sections["agenda"],
        EvenementPage(title="Journée de l'ingénierie", slug="journee", chapo="…", lieu="Muret", date_debut=debut),
    )
    attendu = f"1er {MOIS[debut.month - 1]} {debut.year}"
    contenu = client.get(page.url).content.decode()
    assert attendu in contenu and "de 9h30" in contenu
    agenda = client.get(sections["agenda"].url).content.decode()
    assert f"{attendu} à 9h30" in agenda
    assert '<span class="date-evenement__jour">1er</span>' in agenda


def test_a_ressource_published_on_the_first_shows_1er(client, sections):
    page = publish(
        sections["ressources"],
        RessourcePage(
            title="Guide",
            slug="guide",
            resume="Le guide.",
            document=make_document(),
            date_publication=datetime.date(2026, 12, 1),
        ),
    )
    assert "1er décembre 2026" in client.get(page.url).content.decode()
