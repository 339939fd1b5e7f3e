"""The demandes list as the chefs de file use it: « mes demandes » by default for a
chef de file or an expert, « Toutes les demandes » one click away, the échéance second with its
J-2 / en retard badges, status badges coloured by stage, exports of what the list shows."""

import csv
import datetime
import html
import io
import re

import pytest
from django.utils import timezone

from intake.models import Demande
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_en_retard, demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"


@pytest.fixture
def deux_demandes(organisation):
    return {
        "hgi": demande_hgi(organisation, collectivite__nom="Muret"),
        "caue": DemandeFactory(
            direction=organisation["caue_direction"], statut=S.ATTRIBUE_CHEF_DE_FILE, collectivite__nom="Saint-Gaudens"
        ),
    }


def _numeros(response):
    assert response.status_code == 200
    return {d.numero for d in response.context["object_list"]}


def _csv(response):
    texte = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texte), delimiter=";"))


def test_a_chef_de_file_opens_on_its_demandes_with_a_link_to_all(client, deux_demandes, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(LIST_URL)
    assert _numeros(response) == {deux_demandes["hgi"].numero}
    contenu = response.content.decode()
    assert '<a class="button button-small" href="?mes=toutes">Toutes les demandes</a>' in contenu
    toutes = client.get(LIST_URL + "?mes=toutes")
    assert _numeros(toutes) == {deux_demandes["hgi"].numero, deux_demandes["caue"].numero}
    assert '<a class="button button-small" href="?mes=suivies">Mes demandes</a>' in toutes.content.decode()


def test_an_expert_opens_on_the_demandes_it_follows(client, organisation, deux_demandes, expert_hgi):
    mienne = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    assert _numeros(client.get(LIST_URL)) == {mienne.numero}
    assert mienne.numero in _numeros(client.get(LIST_URL + "?mes=toutes"))


def test_the_administrator_opens_on_every_demande_without_the_toggle(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    response = client.get(LIST_URL)
    assert len(_numeros(response)) == 2
    assert "?mes=toutes" not in response.content.decode()


def test_the_filter_panel_shows_which_list_is_shown(client, deux_demandes, chef_hgi):
    client.force_login(chef_hgi)
    contenu = re.sub(r"\s+", " ", client.get(LIST_URL).content.decode())
    assert '<li class="selected"> <a href="?mes=suivies">Demandes que je suis</a></li>' in contenu
    assert '<li> <a href="?mes=toutes">Toutes les demandes</a></li>' in contenu
    contenu = re.sub(r"\s+", " ", client.get(LIST_URL + "?mes=toutes").content.decode())
    assert '<li class="selected"> <a href="?mes=toutes">Toutes les demandes</a></li>' in contenu


def test_a_search_looks_everywhere_and_other_filters_keep_my_demandes(client, organisation, deux_demandes, chef_hgi):
    client.force_login(chef_hgi)
    assert _numeros(client.get(LIST_URL + "?q=Saint-Gaudens")) == {deux_demandes["caue"].numero}
    en_retard = demande_en_retard(organisation)
    DemandeFactory(
        direction=organisation["caue_direction"],
        statut=S.ATTRIBUE_CHEF_DE_FILE,
        echeance_premier_contact=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert _numeros(client.get(LIST_URL + "?retard=oui")) == {en_retard.numero}
    assert len(_numeros(client.get(LIST_URL + "?retard=oui&mes=toutes"))) == 2


def test_an_unknown_mes_value_gives_the_list(client, deux_demandes, chef_hgi):
    client.force_login(chef_hgi)
    assert client.get(LIST_URL + "?mes=n%27importe%20quoi").status_code == 200


def test_the_echeance_is_the_second_column(client, deux_demandes, chef_hgi):
    client.force_login(chef_hgi)
    contenu = client.get(LIST_URL).content.decode()
    contenu = contenu[contenu.index('<table class="listing full-width">') :]
    entetes = [
        re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", contenu, re.S)
    ]
    assert entetes[:3] == ["Numéro", "Échéance", "Statut"]


@pytest.mark.parametrize("jours, badge", [(0, "Aujourd'hui"), (1, "J-1"), (2, "J-2"), (3, None), (-1, "En retard")])
def test_the_echeance_badge(client, organisation, administrateur, jours, badge):
    demande_hgi(organisation, echeance_premier_contact=timezone.localdate() + datetime.timedelta(days=jours))
    client.force_login(administrateur)
    cellule = re.search(r'<td class="field-echeance[^"]*">(.*?)</td>', client.get(LIST_URL).content.decode(), re.S)
    badges = re.findall(r"<span[^>]*>([^<]*)</span>", cellule.group(1))
    assert [html.unescape(b) for b in badges] == ([badge] if badge else [])


def test_no_deadline_badge_once_contacted_or_closed(client, organisation, administrateur):
    demain = timezone.localdate() + datetime.timedelta(days=1)
    demande_hgi(organisation, echeance_premier_contact=demain, premier_contact_le=timezone.localdate())
    demande_hgi(organisation, echeance_premier_contact=demain, statut=S.ABANDONNE, cloturee_le=timezone.now())
    client.force_login(administrateur)
    contenu = client.get(LIST_URL).content.decode()
    assert "J-1" not in contenu and "Contactée" in contenu


@pytest.mark.parametrize(
    "statut, etape",
    [
        (S.ATTRIBUE_ADMIN, "nouveau"),
        (S.RECEPTIONNE_ADMIN, "nouveau"),
        (S.ATTRIBUE_CHEF_DE_FILE, "oriente"),
        (S.RECEPTIONNE_EXPERT, "oriente"),
        (S.EN_COURS, "en-cours"),
        (S.TERMINE, "clos"),
        (S.ABANDONNE, "clos"),
        (S.REJETE, "rejete"),
    ],
)
def test_status_badges_are_coloured_by_stage(client, organisation, administrateur, statut, etape):
    demande_hgi(organisation, statut=statut)
    client.force_login(administrateur)
    contenu = client.get(LIST_URL).content.decode()
    assert f"demande-statut--{statut} demande-etape--{etape}" in contenu
    assert f".demande-etape--{etape} {{" in contenu  # the colour is defined


def test_rows_are_compact(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    contenu = client.get(LIST_URL).content.decode()
    assert (
        ".modeladmin .result-list table.listing td, .modeladmin .result-list table.listing th { padding: .3rem .5rem;"
        in contenu
    )


def test_export_buttons_export_what_the_list_shows(client, organisation, deux_demandes, chef_hgi):
    client.force_login(chef_hgi)
    for liste in ("", "?mes=toutes", "?q=Saint-Gaudens"):
        response = client.get(LIST_URL + liste)
        montres = {str(n) for n in _numeros(response)}
        for url in (response.context["export_csv_url"],):
            exportes = {ligne[0] for ligne in _csv(client.get(LIST_URL + url))[1:]}
            assert exportes == montres, liste
