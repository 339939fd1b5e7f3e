"""Usage report: server-side counters (no cookie), logins, active members by structure,
downloads, discussions; charts, CSV and PDF exports; access for the network only."""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from reseau import compteurs, discussions, documents
from reseau.models import CompteurJournalier, ConnexionJournaliere, Dossier
from tests.intake.depot_helpers import fichier_pdf

URL = reverse("reseau_rapport_usage")
NAVIGATEUR = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


@pytest.fixture(autouse=True)
def _cache_vide():
    for alias in ("default", "compteurs"):
        caches[alias].clear()
    yield
    for alias in ("default", "compteurs"):
        caches[alias].clear()


def vue(path="/catalogue/fiche/", methode="get", statut=200, type_contenu="text/html; charset=utf-8", agent=NAVIGATEUR):
    request = getattr(RequestFactory(), methode)(path, HTTP_USER_AGENT=agent)
    middleware = compteurs.CompteurPagesMiddleware(
        lambda r: HttpResponse("x", status=statut, content_type=type_contenu)
    )
    return middleware(request)


def pages_comptees(groupe=None):
    compteurs.vider_compteurs()
    lignes = CompteurJournalier.objects.filter(cle__startswith=compteurs.PREFIXE_PAGES)
    if groupe:
        lignes = lignes.filter(cle=compteurs.PREFIXE_PAGES + groupe)
    return sum(lignes.values_list("valeur", flat=True))


def test_public_page_views_are_counted_by_group_without_cookie(db):
    for _ in range(3):
        response = vue("/catalogue/fiche/")
        assert not response.cookies
    vue("/")
    assert pages_comptees("catalogue") == 3
    assert pages_comptees("accueil") == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"path": "/admin/pages/"},
        {"methode": "post"},
        {"statut": 404},
        {"type_contenu": "application/json"},
        {"agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
        {"agent": ""},
    ],
)
def test_back_office_robots_errors_and_non_pages_are_not_counted(db, kwargs):
    vue(**kwargs)
    assert pages_comptees() == 0


def test_counts_reach_the_table_every_threshold_and_on_flush(db, settings):
    settings.RESEAU_COMPTEUR_SEUIL = 5
    for _ in range(7):
        vue("/actualites/")
    ligne = CompteurJournalier.objects.get(cle="pages:actualites")
    assert ligne.valeur == 5  # flushed at the threshold, 2 still in the cache
    call_command("vider_compteurs_reseau")
    ligne.refresh_from_db()
    assert ligne.valeur == 7
    call_command("vider_compteurs_reseau")
    ligne.refresh_from_db()
    assert ligne.valeur == 7


def test_the_middleware_comes_first_so_cached_pages_are_counted(settings):
    assert settings.MIDDLEWARE[0] == "reseau.middleware.CompteurPagesMiddleware"


def test_a_login_is_counted_once_per_user_and_day(client, chef_hgi):
    client.force_login(chef_hgi)
    client.force_login(chef_hgi)
    assert ConnexionJournaliere.objects.filter(user=chef_hgi).count() == 1
    assert CompteurJournalier.objects.get(cle="connexions").valeur == 2


def test_the_report_shows_every_figure(client, chef_hgi, expert_hgi, expert_caue, administrateur, thematiques):
    client.force_login(expert_hgi)
    client.force_login(expert_caue)
    for _ in range(4):
        vue("/catalogue/")
    dossier = Dossier.objects.create(nom="Comité technique")
    document = documents.moderer(
        documents.deposer(dossier=dossier, titre="Plaquette", fichier=fichier_pdf(), par=expert_hgi),
        par=administrateur,
        valider=True,
    )
    documents.enregistrer_telechargement(document, expert_caue)
    fil = discussions.ouvrir_fil(auteur=expert_hgi, titre="Sujet", texte="Texte")
    discussions.repondre(fil=fil, auteur=expert_caue, texte="Réponse")
    client.force_login(chef_hgi)
    response = client.get(URL)
    assert response.status_code == 200
    rapport = response.context["rapport"]
    indicateurs = dict(rapport.indicateurs)
    assert indicateurs["Connexions à l'espace d'administration"] == 3
    assert indicateurs["Membres du réseau actifs (au moins une connexion)"] == 3
    assert indicateurs["Pages consultées sur le site public"] == 4
    assert indicateurs["Documents téléchargés"] == 1
    assert indicateurs["Discussions ouvertes"] == 1
    assert indicateurs["Messages dans les discussions"] == 2
    assert indicateurs["Actualités publiées"] == 0
    actifs = {ligne[0]: ligne[1] for ligne in rapport.tableaux["membres_actifs"]["lignes"]}
    assert actifs == {"Haute-Garonne Ingénierie": 2, "Conseil d'architecture, d'urbanisme et de l'environnement": 1}
    contenu = response.content.decode()
    assert '<svg class="graphique' in contenu and "Membres actifs par structure" in contenu


def test_a_past_year_holds_nothing_of_this_year(client, chef_hgi):
    client.force_login(chef_hgi)
    annee = timezone.localdate().year - 3
    rapport = client.get(URL, {"annee": annee}).context["rapport"]
    assert rapport.debut == datetime.date(annee, 1, 1)
    assert dict(rapport.indicateurs)["Connexions à l'espace d'administration"] == 0


def test_a_date_range_on_demand(client, chef_hgi):
    client.force_login(chef_hgi)
    aujourd_hui = timezone.localdate()
    response = client.get(URL, {"debut": aujourd_hui.isoformat(), "fin": aujourd_hui.isoformat()})
    assert dict(response.context["rapport"].indicateurs)["Connexions à l'espace d'administration"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"debut": "2026-05-01"},
        {"debut": "2026-05-01", "fin": "2026-04-01"},
        {"annee": "deux mille"},
        {"debut": "31/02/2026", "fin": "2026-04-01"},
    ],
)
def test_bad_periods_get_a_french_message(client, chef_hgi, params):
    client.force_login(chef_hgi)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get(URL, {**params, "format": "csv"}).status_code == 400


def test_csv_export(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    contenu = response.content.decode("utf-8-sig")
    assert "Indicateur;Valeur" in contenu
    assert "Connexions à l'espace d'administration;1" in contenu
    assert "Membres actifs par structure" in contenu


def test_pdf_export(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(URL, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_outsiders_get_no_report_nor_export(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_a_broken_counter_never_breaks_the_page(db, monkeypatch):
    def panne(*args, **kwargs):
        raise ConnectionError("cache indisponible")

    monkeypatch.setattr(compteurs, "compter_vue", panne)
    assert vue("/catalogue/").status_code == 200


def test_actualites_published_in_the_period_are_counted(client, chef_hgi, home_page):
    from actualites.models import ActualiteIndexPage, ActualitePage
    from tests.conftest import publish

    index = publish(home_page, ActualiteIndexPage(title="Actualités", slug="actualites"))
    publish(index, ActualitePage(title="Salon des maires", slug="salon", chapo="Chapô."))
    publish(index, ActualitePage(title="Journée de l'ingénierie", slug="journee", chapo="Chapô."))
    index.add_child(instance=ActualitePage(title="Brouillon", slug="brouillon", chapo="…", live=False))
    client.force_login(chef_hgi)
    assert dict(client.get(URL).context["rapport"].indicateurs)["Actualités publiées"] == 2
    annee_passee = {"annee": timezone.localdate().year - 1}
    assert dict(client.get(URL, annee_passee).context["rapport"].indicateurs)["Actualités publiées"] == 0


@pytest.mark.django_db
def test_counting_a_page_view_costs_no_query_once_the_day_row_exists(django_assert_num_queries):
    from config.settings import base

    # Production's default cache is the database: the counters must not live there.
    assert base.CACHES[base.RESEAU_COMPTEUR_CACHE]["BACKEND"].endswith("LocMemCache")
    compteurs.compter_vue("/catalogue/une-fiche/")
    with django_assert_num_queries(0):
        compteurs.compter_vue("/catalogue/une-autre-fiche/")
