"""The assignment form groups experts and directions by structure, with full names, a filter
field shown by JavaScript only, and a query count that does not grow with the network."""

import html
import re

import pytest

from catalogue.models import Direction, Membre, Structure
from intake.depot.widgets import CasesGroupees
from intake.suivi.forms import AffectationForm
from tests.conftest import add_membre, make_user
from tests.intake.backoffice_support import demande_hgi, inspect_url

pytestmark = pytest.mark.django_db


def _fieldsets(rendu):
    """{legend: [labels]} of a CasesGroupees rendering."""
    groupes = {}
    for legende, contenu in re.findall(r"<fieldset[^>]*><legend>(.*?)</legend>(.*?)</fieldset>", rendu, re.S):
        groupes[html.unescape(legende)] = [html.unescape(t.strip()) for t in re.findall(r">([^<>]+)</label>", contenu)]
    return groupes


def test_experts_are_grouped_by_structure_with_direction_and_function(organisation, chef_hgi, expert_hgi, expert_caue):
    Membre.objects.filter(user=expert_hgi).update(fonction="Juriste")
    form = AffectationForm(demande=demande_hgi(organisation))
    groupes = _fieldsets(str(form["experts_associes"]))
    assert groupes == {
        "Conseil d'architecture, d'urbanisme et de l'environnement (CAUE)": ["Expert CAUE"],
        "Haute-Garonne Ingénierie (HGI)": ["Expert HGI — Direction assistance juridique et financière, Juriste"],
    }


def test_an_expert_of_two_structures_shows_in_both_and_can_be_ticked(client, organisation, chef_hgi, expert_caue):
    add_membre(expert_caue, organisation["hgi_ingenierie"], Membre.Role.EXPERT)
    demande = demande_hgi(organisation)
    groupes = _fieldsets(str(AffectationForm(demande=demande)["experts_associes"]))
    assert groupes["Haute-Garonne Ingénierie (HGI)"] == [
        "Expert CAUE — Direction Ingénierie et expérimentation territoriale"
    ]
    assert groupes["Conseil d'architecture, d'urbanisme et de l'environnement (CAUE)"] == ["Expert CAUE"]
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {"version": demande.version, "experts_associes": [expert_caue.pk, expert_caue.pk]},
    )
    assert response.status_code == 302
    assert list(demande.experts_associes.all()) == [expert_caue]


def test_directions_are_grouped_by_structure(organisation, chef_hgi):
    form = AffectationForm(demande=demande_hgi(organisation))
    assert _fieldsets(str(form["directions_associees"])) == {
        "Conseil d'architecture, d'urbanisme et de l'environnement (CAUE)": [
            "Conseil d'architecture, d'urbanisme et de l'environnement"
        ],
        # The demande's own direction is not offered.
        "Haute-Garonne Ingénierie (HGI)": ["Direction Ingénierie et expérimentation territoriale"],
    }


def test_an_unknown_expert_id_gets_a_french_message(organisation, chef_hgi):
    demande = demande_hgi(organisation)
    form = AffectationForm({"version": demande.version, "experts_associes": ["999999"]}, demande=demande)
    assert not form.is_valid()
    assert "Sélectionnez un choix valide" in str(form.errors["experts_associes"])


def test_the_filter_field_is_hidden_until_javascript_shows_it():
    widget = CasesGroupees(
        choices=[("HGI", [("1", "Anne <b>A</b>"), ("2", "Bruno B")]), ("CAUE", [("3", "Chloé C")])],
        libelle_filtre="Filtrer les experts",
    )
    rendu = widget.render("experts", ["2"], {"id": "id_experts"})
    assert '<p class="cases-filtre" hidden><label for="id_experts_filtre">Filtrer les experts</label>' in rendu
    assert '<input type="search" id="id_experts_filtre" data-filtre-cases="id_experts"' in rendu
    assert 'name="experts_filtre"' not in rendu and rendu.count("name=") == 3  # the filter is never submitted
    assert '<input type="checkbox" name="experts" value="2" id="id_experts_1" checked>' in rendu
    assert rendu.count(" checked") == 1
    assert "Anne &lt;b&gt;A&lt;/b&gt;" in rendu and "<b>" not in rendu
    assert _fieldsets(rendu) == {"HGI": ["Anne <b>A</b>", "Bruno B"], "CAUE": ["Chloé C"]}


def test_chef_de_file_page_has_the_grouped_lists_and_the_script(
    client, organisation, chef_hgi, expert_hgi, expert_caue
):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    content = client.get(inspect_url(demande)).content.decode()
    assert 'data-filtre-cases="id_experts_associes"' in content
    assert 'data-filtre-cases="id_directions_associees"' in content
    assert "intake/filtre_cases.js" in content
    assert "<legend>Haute-Garonne Ingénierie (HGI)</legend>" in content


def test_expert_without_assignment_right_gets_neither_form_nor_script(client, organisation, expert_hgi):
    demande = demande_hgi(organisation, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    content = client.get(inspect_url(demande)).content.decode()
    assert "data-filtre-cases" not in content and "filtre_cases.js" not in content


def test_detail_query_count_does_not_grow_with_the_network(
    client, organisation, chef_hgi, django_assert_max_num_queries
):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)

    def agrandir(n):
        for i in range(n):
            structure = Structure.objects.create(nom=f"Partenaire {n}-{i}", sigle=f"P{n}{i}")
            direction = Direction.objects.create(structure=structure, nom=f"Direction {n}-{i}")
            for j in range(3):
                add_membre(make_user(f"expert{n}{i}{j}.p"), direction, Membre.Role.EXPERT)

    agrandir(2)
    client.get(inspect_url(demande))
    with django_assert_max_num_queries(60) as peu:
        client.get(inspect_url(demande))
    requetes = len(peu.captured_queries)
    agrandir(8)
    client.get(inspect_url(demande))  # the network's rows are read again once after a change
    with django_assert_max_num_queries(requetes):
        content = client.get(inspect_url(demande)).content.decode()
    assert content.count("<legend>Partenaire ") == 2 * (2 + 8)  # experts and directions
