"""Partner groups edit only their own partner page and fiches; changes go through "Validation plateforme"."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, PageLogEntry, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from catalogue import groups, roles
from catalogue.models import ReglagesCatalogue
from catalogue.revue import ACTION_VALIDEE
from tests.catalogue.conftest import make_fiche

pytestmark = pytest.mark.django_db


def structure_page_form(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "presentation": rich_text("<p>Présentation</p>"),
        "missions": rich_text("<p>Missions</p>"),
        "contacts": rich_text("<p>Contacts</p>"),
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


def fiche_form(fiche, **changes):
    data = {
        "title": fiche.title,
        "slug": fiche.slug,
        "thematique": fiche.thematique_id,
        "chapo": fiche.chapo,
        "description": streamfield([("intertitre", "Objectifs")]),
        "beneficiaires": ["commune"],
        "nature": fiche.nature,
        "cout": fiche.cout,
        "cout_precision": "",
        "chef_de_file": fiche.chef_de_file_id,
        "contact_nom": "",
        "contact_courriel": "",
        "contact_telephone": "",
        "documents": inline_formset([]),
        "mots_cles": "",
        "demande_en_ligne": "on",
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


@pytest.fixture
def hgi_fiche(fiches):
    return fiches["conseil"]


@pytest.fixture
def caue_fiche(fiches):
    return fiches["planification"]


def test_every_structure_has_its_partner_group_with_admin_access(organisation):
    group = Group.objects.get(name="Partenaires CAUE")
    assert group.permissions.filter(codename="access_admin").exists()


def test_partner_may_edit_its_own_page_and_fiches(partenaire_caue, catalogue, caue_fiche):
    assert catalogue["caue_page"].permissions_for_user(partenaire_caue).can_edit()
    assert catalogue["caue_page"].permissions_for_user(partenaire_caue).can_add_subpage()
    assert caue_fiche.permissions_for_user(partenaire_caue).can_edit()


def test_partner_may_not_edit_another_structure_or_the_index(partenaire_caue, catalogue, hgi_fiche):
    assert not hgi_fiche.permissions_for_user(partenaire_caue).can_edit()
    assert not catalogue["hgi_page"].permissions_for_user(partenaire_caue).can_edit()
    assert not catalogue["index"].permissions_for_user(partenaire_caue).can_edit()
    assert not catalogue["index"].permissions_for_user(partenaire_caue).can_add_subpage()


def test_partner_may_not_publish(partenaire_caue, catalogue, caue_fiche):
    assert not catalogue["caue_page"].permissions_for_user(partenaire_caue).can_publish()
    assert not caue_fiche.permissions_for_user(partenaire_caue).can_publish()


def test_partner_is_refused_the_editor_of_an_hgi_fiche(client, partenaire_caue, hgi_fiche):
    client.force_login(partenaire_caue)
    response = client.get(f"/admin/pages/{hgi_fiche.pk}/edit/")
    assert response.status_code in (302, 403)
    response = client.post(
        f"/admin/pages/{hgi_fiche.pk}/edit/", fiche_form(hgi_fiche, title="Piratée", **{"action-submit": "1"})
    )
    assert response.status_code in (302, 403)
    hgi_fiche.refresh_from_db()
    assert hgi_fiche.title != "Piratée"
    assert hgi_fiche.get_latest_revision().content["title"] != "Piratée"


def test_catalogue_uses_the_validation_plateforme_workflow(catalogue, caue_fiche):
    workflow = caue_fiche.get_workflow()
    assert workflow is not None and workflow.name == "Validation plateforme"
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert set(task.groups.values_list("name", flat=True)) == {roles.GROUPE_ADMINISTRATEURS, roles.GROUPE_EDITEURS}


def test_workflow_setup_is_idempotent(catalogue):
    groups.ensure_workflow(catalogue["index"])
    groups.ensure_workflow(catalogue["index"])
    assert Workflow.objects.filter(name=groups.NOM_WORKFLOW).count() == 1
    assert GroupApprovalTask.objects.filter(name=groups.NOM_TACHE_VALIDATION).count() == 1
    assert Workflow.objects.get(name=groups.NOM_WORKFLOW).workflow_tasks.count() == 1


def test_partner_submits_its_page_for_moderation_and_an_administrator_approves(
    client, partenaire_caue, administrateur, catalogue
):
    page = catalogue["caue_page"]
    client.force_login(partenaire_caue)
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        structure_page_form(
            page, presentation=rich_text("<p>Nouvelle présentation du CAUE</p>"), **{"action-submit": "1"}
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "Nouvelle présentation" not in page.presentation  # not public before approval
    assert "Nouvelle présentation" not in client.get(page.url).content.decode()

    task = state.current_task_state.task.specific
    assert task.get_actions(page, partenaire_caue) == []
    assert task.get_actions(page, administrateur)
    task.on_action(state.current_task_state, administrateur, "approve")
    page.refresh_from_db()
    assert "Nouvelle présentation du CAUE" in page.presentation


def test_partner_submits_a_fiche_and_an_editeur_approves(client, partenaire_caue, editeur, caue_fiche):
    client.force_login(partenaire_caue)
    response = client.post(
        f"/admin/pages/{caue_fiche.pk}/edit/",
        fiche_form(caue_fiche, chapo="Chapô revu par le CAUE.", **{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    caue_fiche.refresh_from_db()
    state = caue_fiche.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert caue_fiche.chapo != "Chapô revu par le CAUE."
    state.current_task_state.task.specific.on_action(state.current_task_state, editeur, "approve")
    caue_fiche.refresh_from_db()
    assert caue_fiche.chapo == "Chapô revu par le CAUE."
    # Approving is validating: the fiche is up to date for the millésime en cours.
    assert caue_fiche.millesime == ReglagesCatalogue.millesime_en_cours()
    assert PageLogEntry.objects.filter(page=caue_fiche, action=ACTION_VALIDEE, user=editeur).exists()
    assert not caue_fiche.has_unpublished_changes


def test_partner_asking_to_publish_only_saves_a_draft(client, partenaire_caue, caue_fiche):
    client.force_login(partenaire_caue)
    client.post(
        f"/admin/pages/{caue_fiche.pk}/edit/",
        fiche_form(caue_fiche, chapo="Publication directe ?", **{"action-publish": "1"}),
    )
    caue_fiche.refresh_from_db()
    assert caue_fiche.chapo != "Publication directe ?"
    assert caue_fiche.has_unpublished_changes


def test_partner_may_add_a_fiche_under_its_own_page_only(client, partenaire_caue, catalogue):
    client.force_login(partenaire_caue)
    assert client.get(f"/admin/pages/add/catalogue/fichepage/{catalogue['caue_page'].pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/catalogue/fichepage/{catalogue['hgi_page'].pk}/").status_code in (302, 403)


def test_moved_structure_page_keeps_group_permissions_scoped(partenaire_caue, catalogue):
    # A fiche created later under the CAUE page inherits the group's permission.
    fiche = make_fiche(
        catalogue["caue_page"], "Nouvelle fiche CAUE", catalogue["caue_direction"], catalogue["urbanisme"]
    )
    assert fiche.permissions_for_user(partenaire_caue).can_edit()
