"""Statistics in the back office: scope by role, filters, CSV exports."""

import csv
import io

import pytest

from tests.intake.statistiques_donnees import donnees  # noqa: F401

URL = "/admin/statistiques/"
ANNEE = {"debut": "2025-01-01", "fin": "2025-12-31"}


def lire_csv(response):
    texte = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texte), delimiter=";"))


def test_administrators_see_every_figure(client, administrateur, donnees):
    client.force_login(administrateur)
    response = client.get(URL, ANNEE)
    assert response.status_code == 200
    assert response.context["stats"].total == 5
    contenu = response.content.decode()
    assert "<svg" in contenu and '<title id="graphique-thematique-titre">' in contenu
    assert 'name="structure"' in contenu


def test_a_chef_de_file_sees_its_own_direction_by_default(client, chef_hgi, donnees):
    client.force_login(chef_hgi)
    response = client.get(URL, ANNEE)
    assert response.status_code == 200
    assert response.context["stats"].total == 2
    assert dict(response.context["stats"].tableaux["direction"].lignes) == {
        "Direction assistance juridique et financière (HGI)": 2
    }
    assert 'name="structure"' not in response.content.decode()


def test_a_chef_de_file_sees_the_global_figures(client, chef_hgi, donnees):
    # The platform-wide figures are a section beside the structure's own (no toggle).
    client.force_login(chef_hgi)
    response = client.get(URL, ANNEE)
    assert response.context["stats"].total == 2
    assert response.context["reseau"]["total"] == 5


def test_a_chef_de_file_cannot_filter_on_another_direction(client, chef_hgi, donnees, organisation):
    client.force_login(chef_hgi)
    response = client.get(URL, {**ANNEE, "perimetre": "global", "direction": organisation["caue_direction"].pk})
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert response.context["form"].errors["direction"]
    export = client.get(URL, {**ANNEE, "direction": organisation["caue_direction"].pk, "export": "statut"})
    assert export.status_code == 400


# Experts read their structure's statistics too (see test_statistiques_membres).
@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_other_users_have_no_access(client, request, persona, donnees):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, ANNEE).status_code in (302, 403)
    assert client.get(URL, {**ANNEE, "export": "statut"}).status_code in (302, 403)


def test_the_menu_item_is_hidden_from_experts_and_editors(client, editeur, administrateur, donnees):
    client.force_login(editeur)
    assert URL not in client.get("/admin/").content.decode()
    client.force_login(administrateur)
    assert URL in client.get("/admin/").content.decode()


def test_the_menu_item_is_shown_to_a_chef_de_file(client, chef_hgi, donnees):
    client.force_login(chef_hgi)
    response = client.get("/admin/")
    assert response.status_code == 200
    contenu = response.content.decode()
    assert URL in contenu
    assert "/admin/statistiques/acces/" not in contenu


def test_bad_dates_show_an_error(client, administrateur, donnees):
    client.force_login(administrateur)
    response = client.get(URL, {"debut": "2025-12-31", "fin": "2025-01-01"})
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert "La date de début doit précéder la date de fin." in response.content.decode()
    assert client.get(URL, {"debut": "n'importe quoi", "fin": "2025-01-01"}).context["stats"] is None


def test_default_period_is_the_current_year(client, administrateur, donnees):
    client.force_login(administrateur)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stats"].filtres.debut.month == 1


def test_each_table_exports_as_csv(client, administrateur, donnees):
    client.force_login(administrateur)
    response = client.get(URL, {**ANNEE, "export": "thematique"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert lire_csv(response) == [
        ["Thématique", "Nombre de demandes"],
        ["Urbanisme", "2"],
        ["Voirie", "2"],
        ["Sans thématique", "1"],
    ]
    delais = lire_csv(client.get(URL, {**ANNEE, "export": "delais"}))
    assert delais[1] == ["Toutes les demandes", "40,0"]
    fiches = lire_csv(client.get(URL, {**ANNEE, "export": "fiches_sans_demande"}))
    assert [ligne[0] for ligne in fiches[1:]] == ["Expérimentation"]
    communes = lire_csv(client.get(URL, {**ANNEE, "export": "communes_sans_demande"}))
    assert [ligne[1] for ligne in communes[1:]] == ["Drémil"]


def test_exporting_an_unknown_table_is_not_found(client, administrateur, donnees):
    client.force_login(administrateur)
    assert client.get(URL, {**ANNEE, "export": "inconnu"}).status_code == 404


def test_the_page_makes_a_bounded_number_of_queries(client, administrateur, donnees, django_assert_max_num_queries):
    client.force_login(administrateur)
    with django_assert_max_num_queries(40):
        client.get(URL, ANNEE)
