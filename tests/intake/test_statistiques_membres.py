"""Every network member reads the statistics of its own structure(s), and the platform-wide
figures without personal data beside them."""

import csv
import io

import pytest

from intake.models import Demande
from tests.intake.statistiques_donnees import donnees  # noqa: F401

URL = "/admin/statistiques/"
ANNEE = {"debut": "2025-01-01", "fin": "2025-12-31"}


def test_an_expert_reads_its_structure_figures_only(client, expert_hgi, donnees):
    client.force_login(expert_hgi)
    response = client.get(URL, ANNEE)
    assert response.status_code == 200
    stats = response.context["stats"]
    # d1 and d2 are led by HGI; d3 (CAUE) and the free requests d4, d5 do not count.
    assert stats.total == 2
    assert dict(stats.tableaux["structure"].lignes) == {"HGI": 2}
    assert "pour votre structure (HGI)" in response.content.decode()


def test_a_demande_where_the_structure_is_associated_counts_in_its_scope(
    client, expert_hgi, expert_caue, donnees, organisation
):
    donnees["d3"].directions_associees.add(organisation["hgi_ingenierie"])
    client.force_login(expert_hgi)
    assert client.get(URL, ANNEE).context["stats"].total == 3
    client.force_login(expert_caue)
    stats = client.get(URL, ANNEE).context["stats"]
    assert stats.total == 1
    assert dict(stats.tableaux["structure"].lignes) == {"CAUE": 1}


def test_the_platform_wide_section_is_there_without_personal_data(client, expert_caue, donnees):
    client.force_login(expert_caue)
    response = client.get(URL, ANNEE)
    reseau = response.context["reseau"]
    assert reseau["total"] == 5
    assert reseau["delais"]["global"]["part"] == 40.0
    assert set(reseau["tableaux"]) == {
        "reseau_thematique",
        "reseau_statut",
        "reseau_epci",
        "reseau_commune",
        "reseau_delais",
    }
    assert dict(reseau["tableaux"]["reseau_thematique"].lignes) == {"Urbanisme": 2, "Voirie": 2, "Sans thématique": 1}
    # The small-count rule of the public figures: no commune of fewer than 5 demandes is named.
    communes = [libelle for libelle, _ in reseau["tableaux"]["reseau_commune"].lignes]
    assert "Aigrefeuille" not in communes and "Balma" not in communes
    contenu = response.content.decode()
    assert 'id="titre-reseau">Toute la plateforme</h2>' in contenu
    for demande in Demande.objects.all():
        assert demande.demandeur_email not in contenu
        assert demande.demandeur_nom not in contenu


def test_a_platform_table_exports_as_csv(client, expert_hgi, donnees):
    client.force_login(expert_hgi)
    response = client.get(URL, {**ANNEE, "export": "reseau_thematique"})
    assert response.status_code == 200
    lignes = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes == [
        ["Thématique", "Nombre de demandes"],
        ["Urbanisme", "2"],
        ["Voirie", "2"],
        ["Sans thématique", "1"],
    ]
    assert client.get(URL, {**ANNEE, "export": "reseau_inconnu"}).status_code == 404


def test_a_member_cannot_filter_on_another_structure_direction(client, expert_hgi, donnees, organisation):
    client.force_login(expert_hgi)
    response = client.get(URL, {**ANNEE, "direction": organisation["caue_direction"].pk})
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert response.context["form"].errors["direction"]
    assert (
        client.get(URL, {**ANNEE, "direction": organisation["caue_direction"].pk, "export": "statut"}).status_code
        == 400
    )
    # Any direction of its own structure is allowed, not only its own direction.
    response = client.get(URL, {**ANNEE, "direction": organisation["hgi_ingenierie"].pk})
    assert response.context["stats"].total == 0
    assert response.context["reseau"]["total"] == 5


def test_the_structure_scope_cannot_be_widened_from_the_url(client, expert_hgi, donnees, organisation):
    client.force_login(expert_hgi)
    response = client.get(URL, {**ANNEE, "perimetre": "global", "structure": organisation["caue"].pk})
    assert response.context["stats"].total == 2
    assert 'name="structure"' not in response.content.decode()


def test_administrators_keep_the_full_view(client, administrateur, donnees):
    client.force_login(administrateur)
    response = client.get(URL, ANNEE)
    assert response.context["stats"].total == 5
    assert response.context["reseau"] is None
    assert 'id="titre-reseau"' not in response.content.decode()


def test_an_expert_gets_the_menu_item_but_not_the_personal_data_tools(client, expert_hgi):
    client.force_login(expert_hgi)
    contenu = client.get("/admin/").content.decode()
    assert URL in contenu
    assert "/admin/statistiques/acces/" not in contenu
    assert client.get("/admin/statistiques/acces/").status_code in (302, 403)


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_outsiders_get_neither_the_page_nor_the_menu(client, request, persona, donnees):
    client.force_login(request.getfixturevalue(persona))
    # Wagtail's admin answers a refusal with a redirection to the dashboard and a message.
    for params in (ANNEE, {**ANNEE, "export": "reseau_thematique"}):
        response = client.get(URL, params)
        assert response.status_code in (302, 403)
        assert not response.get("Content-Type", "").startswith("text/csv")
    assert URL not in client.get("/admin/").content.decode()


def test_an_expert_page_makes_a_bounded_number_of_queries(client, expert_hgi, donnees, django_assert_max_num_queries):
    client.force_login(expert_hgi)
    client.get(URL, ANNEE)
    with django_assert_max_num_queries(45):
        client.get(URL, ANNEE)
