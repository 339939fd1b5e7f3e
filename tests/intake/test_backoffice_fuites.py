"""The back office's lists and history pages leak nothing through URL parameters.

wagtail-modeladmin used to apply any leftover query parameter as an ORM lookup, which let any
back-office user probe fields the list never shows (demandeur's email, message, journal, jeton
de suivi, password hashes). Only the declared filters, search, page and ordering count now."""

import pytest
from django.contrib.messages import get_messages

from intake.models import Demande, Notification
from tests.factories import DemandeFactory, EpciFactory, ThematiqueFactory
from tests.intake.backoffice_support import demande_hgi

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"


@pytest.fixture
def deux_demandes(organisation, expert_hgi):
    """A demande of HGI (followed by expert.hgi) and one of the CAUE, with telling emails."""
    return {
        "hgi": demande_hgi(
            organisation,
            demandeur_email="zorro@mairie.test",
            expert_referent=expert_hgi,
            message="Projet secret de la mairie",
        ),
        "caue": DemandeFactory(
            direction=organisation["caue_direction"],
            demandeur_email="alice@mairie.test",
            statut=Demande.Statut.ATTRIBUE_CHEF_DE_FILE,
        ),
    }


def _lignes(client, query=""):
    response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return response.context["result_count"], {d.pk for d in response.context["object_list"]}


@pytest.mark.parametrize(
    "query",
    [
        "?demandeur_email__startswith=z",
        "?demandeur_email__startswith=a",
        "?demandeur_email__startswith=q",
        "?message__icontains=secret",
        "?journal__message__icontains=x",
        "?jeton_suivi__startswith=a",
        "?acces__user__password__gte=pbkdf2",
        "?expert_referent__password__startswith=pbkdf2_sha256",
        "?expert_referent__password__startswith=zzz",
    ],
)
def test_expert_of_another_structure_cannot_probe_hidden_fields(client, deux_demandes, expert_caue, query):
    client.force_login(expert_caue)
    assert _lignes(client, query) == _lignes(client)


def test_hidden_field_lookups_give_the_rows_of_no_parameter_for_the_administrator(
    client, deux_demandes, administrateur
):
    client.force_login(administrateur)
    sans = _lignes(client)
    assert sans[0] == 2
    assert _lignes(client, "?demandeur_email__startswith=z") == sans
    assert _lignes(client, "?demandeur_email=alice@mairie.test") == sans


@pytest.mark.parametrize(
    "query",
    [
        "?champ_inconnu=1",
        "?o=99",
        "?o=abc.-1",
        "?o=1.x",
        "?ot=desc",
        "?p=abc",
        "?p=999",
        "?e=1",
        "?q=",
        "?champ_inconnu__in=1,2",
    ],
)
def test_unknown_or_malformed_parameters_give_the_list(client, deux_demandes, expert_caue, query):
    client.force_login(expert_caue)
    # The whole list: members open on their own demandes by default.
    assert _lignes(client, query + "&mes=toutes")[0] == 2
    assert _lignes(client, query) == _lignes(client)


def test_declared_filters_still_filter(client, deux_demandes, administrateur, organisation):
    client.force_login(administrateur)
    caue = deux_demandes["caue"]
    assert _lignes(client, f"?structure={organisation['caue'].pk}") == (1, {caue.pk})
    assert _lignes(client, f"?direction__id__exact={organisation['caue_direction'].pk}") == (1, {caue.pk})
    assert _lignes(client, f"?structure={organisation['caue'].pk}&demandeur_email__startswith=z") == (1, {caue.pk})


def test_declared_filter_with_a_bad_value_redirects_to_the_list_with_a_message(client, deux_demandes, administrateur):
    ThematiqueFactory()  # the thématique filter is shown only when there is a thématique
    client.force_login(administrateur)
    response = client.get(LIST_URL + "?thematique__id__exact=abc")
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert "filtre n'est pas valable" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_ordering_accepts_only_declared_columns(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    # Column 0 is the numéro: ascending puts the HGI demande (created first) first.
    response = client.get(LIST_URL + "?o=0")
    assert [d.pk for d in response.context["object_list"]] == [deux_demandes["hgi"].pk, deux_demandes["caue"].pk]
    response = client.get(LIST_URL + "?o=99.-0")
    assert response.status_code == 200
    assert response.context["view"].params["o"] == "-0"


def test_export_ignores_unknown_parameters(client, deux_demandes, chef_caue):
    client.force_login(chef_caue)
    response = client.get(LIST_URL + "?export=csv&mes=toutes&demandeur_email__startswith=z")
    assert response.status_code == 200
    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"{deux_demandes['caue'].numero}" in contenu
    assert f"{deux_demandes['hgi'].numero}" in contenu


def test_export_links_of_the_list_drop_unknown_parameters(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    response = client.get(LIST_URL + "?demandeur_email__startswith=z&statut__exact=attribue_chef_de_file")
    assert "demandeur_email" not in response.context["export_csv_url"]
    assert "statut__exact" in response.context["export_csv_url"]


# --- history pages ------------------------------------------------------------------------


def _history_url(obj):
    return f"/admin/intake/{obj._meta.model_name}/history/{obj.pk}/"


@pytest.mark.parametrize("persona", ["administrateur", "chef_hgi", "expert_hgi"])
def test_demande_history_for_those_who_see_the_detail(client, deux_demandes, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_history_url(deux_demandes["hgi"])).status_code == 200


@pytest.mark.parametrize("persona", ["expert_caue", "chef_caue", "editeur", "partenaire_caue"])
def test_demande_history_is_a_404_for_the_others(client, deux_demandes, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_history_url(deux_demandes["hgi"])).status_code == 404


@pytest.fixture
def notification(deux_demandes):
    demande = deux_demandes["hgi"]
    return Notification.objects.create(
        to=[demande.demandeur_email], subject=f"Demande n°{demande.numero}", body="Bonjour", demande=demande
    )


def test_notification_history_for_administrators(client, notification, administrateur):
    client.force_login(administrateur)
    response = client.get(_history_url(notification))
    assert response.status_code == 200
    assert "zorro@mairie.test" in response.content.decode()


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_hgi", "expert_caue", "editeur", "partenaire_caue"])
def test_notification_history_refused_to_everyone_else(client, notification, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_history_url(notification))
    assert response.status_code in (302, 403)
    assert "zorro@mairie.test" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?structure=abc",
        "?epci=abc",
        "?annee=abc",
        "?mes=xyz",
        "?retard=peut-etre",
        "?direction__id__exact=abc",
        "?statut__isnull=abc",
        "?fiche__id__exact=abc",
        "?direction__isnull=peut-etre",
        "?structure=99999",
    ],
)
def test_declared_filters_with_bad_values_never_give_a_500(client, deux_demandes, administrateur, query):
    ThematiqueFactory()
    EpciFactory()  # the EPCI filter is shown only when there is an EPCI
    client.force_login(administrateur)
    response = client.get(LIST_URL + query)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == LIST_URL


@pytest.mark.parametrize("query", ["?structure__id__exact=abc", "?active__exact=abc", "?structure=1&o=9"])
def test_org_chart_filters_with_bad_values_never_give_a_500(client, organisation, administrateur, query):
    client.force_login(administrateur)
    response = client.get("/admin/catalogue/direction/" + query)
    assert response.status_code in (200, 302)
