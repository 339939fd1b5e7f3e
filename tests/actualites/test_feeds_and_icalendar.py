"""The RSS/Atom feed and the iCalendar export, read back by real parsers."""

import datetime

import feedparser
import icalendar
import pytest
from django.utils import timezone

from actualites.models import ActualitePage, EvenementPage
from tests.actualites.conftest import dans
from tests.conftest import publish
from tests.factories import ThematiqueFactory


@pytest.fixture
def articles(sections):
    thematique = ThematiqueFactory(nom="Urbanisme & paysage")
    pages = []
    for jours in range(3):
        page = ActualitePage(
            title=f"Article <{jours}> « guillemets »",
            slug=f"article-{jours}",
            chapo=f"Chapô {jours} & co.",
            date_publication=timezone.localdate() - datetime.timedelta(days=jours),
        )
        page.thematiques.set([thematique])
        pages.append(publish(sections["actualites"], page))
    return pages


def test_rss_feed_is_valid_and_lists_articles_newest_first(client, articles):
    response = client.get("/actualites/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")

    flux = feedparser.parse(response.content)

    assert not flux.bozo, flux.get("bozo_exception")
    assert flux.version == "rss20"
    assert [entree.title for entree in flux.entries] == [page.title for page in articles]
    assert flux.entries[0].link == f"http://testserver{articles[0].url}"
    assert flux.entries[0].summary == "Chapô 0 & co."
    assert flux.entries[0].tags[0].term == "Urbanisme & paysage"
    assert flux.entries[0].published_parsed[:3] == timezone.localdate().timetuple()[:3]


def test_atom_feed_is_valid(client, articles):
    flux = feedparser.parse(client.get("/actualites/feed/atom/").content)
    assert not flux.bozo, flux.get("bozo_exception")
    assert flux.version == "atom10"
    assert len(flux.entries) == 3


def test_feed_leaves_out_drafts(client, sections, articles):
    brouillon = ActualitePage(title="Brouillon secret", slug="brouillon", chapo="…", live=False)
    sections["actualites"].add_child(instance=brouillon)
    assert b"Brouillon secret" not in client.get("/actualites/feed/").content


def test_icalendar_export_is_valid_and_complete(client, sections):
    salon = publish(
        sections["agenda"],
        EvenementPage(
            title="Salon des maires, édition 2026",
            slug="salon",
            chapo="Le stand commun; les dix partenaires.\nVenez nombreux.",
            lieu="Parc des expositions",
            adresse="Concorde Avenue, 31840 Aussonne",
            date_debut=dans(10, heure=9),
            date_fin=dans(10, heure=18),
            lien_inscription="https://exemple.test/inscription",
        ),
    )
    publish(
        sections["agenda"],
        EvenementPage(title="Comité", slug="comite", chapo="Bilan.", lieu="En ligne", date_debut=dans(-20)),
    )

    response = client.get("/agenda/agenda.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert all(len(ligne.encode()) <= 75 for ligne in response.content.decode().split("\r\n"))
    calendrier = icalendar.Calendar.from_ical(response.content)
    evenements = {str(composant["SUMMARY"]): composant for composant in calendrier.walk("VEVENT")}
    assert set(evenements) == {"Salon des maires, édition 2026", "Comité"}
    vevent = evenements["Salon des maires, édition 2026"]
    assert vevent.decoded("DTSTART") == salon.date_debut
    assert vevent.decoded("DTEND") == salon.date_fin
    assert str(vevent["LOCATION"]) == "Parc des expositions, Concorde Avenue, 31840 Aussonne"
    assert "Le stand commun; les dix partenaires.\nVenez nombreux." in str(vevent["DESCRIPTION"])
    assert "https://exemple.test/inscription" in str(vevent["DESCRIPTION"])
    assert str(vevent["URL"]).endswith("/agenda/salon/")
    assert str(vevent["UID"]) == f"evenement-{salon.pk}@testserver"
    # An event without an end lasts until its start: DTEND is still present and valid.
    comite = evenements["Comité"]
    assert comite.decoded("DTEND") == comite.decoded("DTSTART")


def test_icalendar_export_leaves_out_drafts(client, sections):
    brouillon = EvenementPage(
        title="Réunion non annoncée", slug="cachee", chapo="…", lieu="L", date_debut=dans(2), live=False
    )
    sections["agenda"].add_child(instance=brouillon)
    calendrier = icalendar.Calendar.from_ical(client.get("/agenda/agenda.ics").content)
    assert calendrier.walk("VEVENT") == []


def test_icalendar_refuses_post(client, sections):
    assert client.post("/agenda/agenda.ics").status_code == 405


def test_agenda_splits_upcoming_and_past_events(client, sections):
    for titre, jours in [("Dans dix jours", 10), ("Demain", 1), ("Hier", -1), ("Le mois dernier", -30)]:
        publish(
            sections["agenda"],
            EvenementPage(
                title=titre, slug=titre.lower().replace(" ", "-"), chapo="…", lieu="L", date_debut=dans(jours)
            ),
        )
    # Started yesterday, ends tomorrow: still upcoming (running).
    publish(
        sections["agenda"],
        EvenementPage(title="En cours", slug="en-cours", chapo="…", lieu="L", date_debut=dans(-1), date_fin=dans(1)),
    )

    response = client.get("/agenda/")

    assert [e.title for e in response.context["a_venir"]] == ["En cours", "Demain", "Dans dix jours"]
    assert [e.title for e in response.context["passes"]] == ["Hier", "Le mois dernier"]
    assert 'href="/agenda/agenda.ics"' in response.content.decode()


def test_agenda_filters_by_type(client, sections):
    publish(
        sections["agenda"],
        EvenementPage(title="Formation", slug="f", chapo="…", lieu="L", date_debut=dans(3), type_evenement="formation"),
    )
    publish(
        sections["agenda"],
        EvenementPage(title="Salon", slug="s", chapo="…", lieu="L", date_debut=dans(4), type_evenement="salon"),
    )
    response = client.get("/agenda/?type=formation")
    assert [e.title for e in response.context["a_venir"]] == ["Formation"]


def test_event_page_shows_date_place_and_registration(client, sections):
    evenement = publish(
        sections["agenda"],
        EvenementPage(
            title="Journée de l'ingénierie",
            slug="journee",
            chapo="Échanges.",
            lieu="Hôtel du Département",
            adresse="1 boulevard de la Marquette, Toulouse",
            date_debut=dans(20, heure=9),
            date_fin=dans(20, heure=17),
            lien_inscription="https://exemple.test/inscription",
        ),
    )
    html = client.get(evenement.url).content.decode()
    assert "Hôtel du Département" in html and "1 boulevard de la Marquette" in html
    assert 'href="https://exemple.test/inscription"' in html
    assert "9h00" in html and "17h00" in html


def test_past_event_hides_the_registration_button(client, sections):
    evenement = publish(
        sections["agenda"],
        EvenementPage(
            title="Passé",
            slug="passe",
            chapo="…",
            lieu="L",
            date_debut=dans(-3),
            lien_inscription="https://exemple.test/i",
        ),
    )
    html = client.get(evenement.url).content.decode()
    assert 'href="https://exemple.test/i"' not in html
    assert "Les inscriptions sont closes." in html


def test_single_event_icalendar_and_its_link(client, sections):
    salon = publish(
        sections["agenda"], EvenementPage(title="Salon", slug="salon", chapo="…", lieu="L", date_debut=dans(4))
    )
    publish(sections["agenda"], EvenementPage(title="Autre", slug="autre", chapo="…", lieu="L", date_debut=dans(5)))

    assert f'href="/agenda/evenement-{salon.pk}.ics"' in client.get(salon.url).content.decode()
    calendrier = icalendar.Calendar.from_ical(client.get(f"/agenda/evenement-{salon.pk}.ics").content)
    assert [str(vevent["SUMMARY"]) for vevent in calendrier.walk("VEVENT")] == ["Salon"]


def test_single_event_icalendar_refuses_drafts(client, sections):
    brouillon = EvenementPage(title="Caché", slug="cache", chapo="…", lieu="L", date_debut=dans(2), live=False)
    sections["agenda"].add_child(instance=brouillon)
    assert client.get(f"/agenda/evenement-{brouillon.pk}.ics").status_code == 404
