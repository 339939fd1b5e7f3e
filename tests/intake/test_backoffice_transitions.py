"""The state machine of the demandes: every transition allowed and refused, by role and status,
with the history row it leaves."""

import datetime

import pytest
from django.utils import timezone

from catalogue.models import Membre
from intake.models import ActionRefusee, ConflitModification, Demande, TransitionInvalide
from tests.conftest import add_membre, make_user
from tests.intake.backoffice_support import demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db


def test_chef_de_file_confirms_reception_and_history_records_who(organisation, chef_hgi):
    demande = demande_hgi(organisation)
    demande.transition_to(S.RECEPTIONNE_CHEF_DE_FILE, by=chef_hgi)
    demande.refresh_from_db()
    assert demande.statut == S.RECEPTIONNE_CHEF_DE_FILE
    dernier = demande.history.first()
    assert dernier.history_user == chef_hgi
    assert dernier.statut == S.RECEPTIONNE_CHEF_DE_FILE
    assert "Réceptionné chef de file" in dernier.history_change_reason


def test_it_rejects_chef_de_file_of_another_direction(organisation, chef_caue):
    demande = demande_hgi(organisation)
    with pytest.raises(ActionRefusee):
        demande.transition_to(S.RECEPTIONNE_CHEF_DE_FILE, by=chef_caue)
    demande.refresh_from_db()
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE
    assert demande.history.count() == 1


def test_it_rejects_expert_who_is_not_referent(organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=make_user("autre.expert"))
    with pytest.raises(ActionRefusee):
        demande.transition_to(S.EN_COURS, by=expert_hgi)


def test_referent_walks_the_demande_to_termine(organisation, expert_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi)
    demande.transition_to(S.RECEPTIONNE_EXPERT, by=expert_hgi)
    demande.transition_to(S.EN_COURS, by=expert_hgi)
    demande.transition_to(S.TERMINE, by=expert_hgi)
    demande.refresh_from_db()
    assert demande.statut == S.TERMINE
    assert demande.cloturee_le is not None
    assert list(demande.history.values_list("statut", flat=True)) == [
        S.TERMINE,
        S.EN_COURS,
        S.RECEPTIONNE_EXPERT,
        S.ATTRIBUE_EXPERT,
    ]


def test_it_refuses_a_jump_not_in_the_table(organisation, administrateur):
    demande = demande_hgi(organisation)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.TERMINE, by=administrateur)


def test_it_refuses_attribue_expert_without_referent(organisation, chef_hgi):
    demande = demande_hgi(organisation)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.ATTRIBUE_EXPERT, by=chef_hgi)


@pytest.mark.parametrize("statut", [S.REJETE, S.ABANDONNE])
def test_reject_and_abandon_require_a_reason(organisation, chef_hgi, statut):
    demande = demande_hgi(organisation)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(statut, by=chef_hgi, reason="  ")
    demande.transition_to(statut, by=chef_hgi, reason="Aucun expert compétent")
    demande.refresh_from_db()
    assert demande.statut == statut
    assert demande.motif == "Aucun expert compétent"
    assert demande.history.first().history_change_reason == "Aucun expert compétent"


def test_chef_de_file_sends_back_to_administrator_with_reason(organisation, chef_hgi):
    demande = demande_hgi(organisation, statut=S.RECEPTIONNE_CHEF_DE_FILE)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.ATTRIBUE_ADMIN, by=chef_hgi)
    demande.transition_to(S.ATTRIBUE_ADMIN, by=chef_hgi, reason="Hors de notre champ")
    assert demande.statut == S.ATTRIBUE_ADMIN


def test_send_back_is_refused_once_an_expert_is_at_work(organisation, chef_hgi, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.ATTRIBUE_ADMIN, by=chef_hgi, reason="Trop tard")


def test_only_administrator_confirms_reception_of_a_free_request(organisation, administrateur, chef_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    with pytest.raises(ActionRefusee):
        demande.transition_to(S.RECEPTIONNE_ADMIN, by=chef_hgi)
    demande.transition_to(S.RECEPTIONNE_ADMIN, by=administrateur)
    assert demande.statut == S.RECEPTIONNE_ADMIN


def test_reopen_is_for_administrator_with_reason_and_clears_closing(organisation, administrateur, expert_hgi):
    demande = demande_hgi(organisation, statut=S.TERMINE, expert_referent=expert_hgi, cloturee_le=timezone.now())
    with pytest.raises(ActionRefusee):
        demande.transition_to(S.EN_COURS, by=expert_hgi, reason="Encore un point")
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.EN_COURS, by=administrateur)
    with pytest.raises(TransitionInvalide):  # a référent is set: reopening goes to En cours
        demande.transition_to(S.ATTRIBUE_CHEF_DE_FILE, by=administrateur, reason="Erreur")
    demande.transition_to(S.EN_COURS, by=administrateur, reason="La commune relance")
    demande.refresh_from_db()
    assert demande.statut == S.EN_COURS
    assert demande.cloturee_le is None


def test_reopen_without_referent_goes_back_to_chef_de_file(organisation, administrateur):
    demande = demande_hgi(organisation, statut=S.ABANDONNE, cloturee_le=timezone.now())
    assert demande.transitions_possibles(administrateur) == [S.ATTRIBUE_CHEF_DE_FILE]
    demande.transition_to(S.ATTRIBUE_CHEF_DE_FILE, by=administrateur, reason="Reprise du projet")
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE


def test_rejected_demande_only_moves_by_administrator(organisation, administrateur, chef_hgi):
    demande = demande_hgi(organisation, statut=S.REJETE, motif="Pas d'expert")
    assert demande.transitions_possibles(chef_hgi) == []
    demande.transition_to(S.ATTRIBUE_ADMIN, by=administrateur)
    assert demande.statut == S.ATTRIBUE_ADMIN


def test_closed_demande_cannot_be_rejected(organisation, administrateur):
    demande = demande_hgi(organisation, statut=S.TERMINE)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.REJETE, by=administrateur, reason="Non")


def test_possible_transitions_depend_on_role(organisation, chef_hgi, expert_hgi, expert_caue):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi)
    assert set(demande.transitions_possibles(expert_hgi)) == {S.RECEPTIONNE_EXPERT, S.EN_COURS, S.REJETE, S.ABANDONNE}
    assert set(demande.transitions_possibles(chef_hgi)) == {S.REJETE, S.ABANDONNE}
    assert demande.transitions_possibles(expert_caue) == []


def test_stale_version_is_refused_and_nothing_changes(organisation, chef_hgi):
    demande = demande_hgi(organisation)
    version = demande.version
    autre = Demande.objects.get(pk=demande.pk)
    autre.transition_to(S.RECEPTIONNE_CHEF_DE_FILE, by=chef_hgi, version=version)
    with pytest.raises(ConflitModification):
        demande.transition_to(S.REJETE, by=chef_hgi, reason="Doublon", version=version)
    demande.refresh_from_db()
    assert demande.statut == S.RECEPTIONNE_CHEF_DE_FILE


def test_assignment_sets_referent_and_one_history_row_with_m2m(organisation, chef_hgi, expert_hgi, expert_caue):
    demande = demande_hgi(organisation)
    avant = demande.history.count()
    demande.affecter(
        by=chef_hgi,
        referent=expert_hgi,
        experts_associes=[expert_caue],
        directions_associees=[organisation["caue_direction"]],
        reason="Dossier mixte",
    )
    demande.refresh_from_db()
    assert demande.statut == S.ATTRIBUE_EXPERT
    assert demande.expert_referent == expert_hgi
    assert demande.chef_de_file == chef_hgi
    assert list(demande.experts_associes.all()) == [expert_caue]
    assert demande.history.count() == avant + 1
    dernier = demande.history.first()
    assert dernier.history_change_reason == "Dossier mixte"
    assert [row.user_id for row in dernier.experts_associes.all()] == [expert_caue.pk]


def test_assignment_refuses_referent_outside_the_direction(organisation, chef_hgi, expert_caue):
    demande = demande_hgi(organisation)
    with pytest.raises(TransitionInvalide):
        demande.affecter(by=chef_hgi, referent=expert_caue)


def test_assignment_refused_to_expert_and_other_chef(organisation, expert_hgi, chef_caue):
    demande = demande_hgi(organisation)
    for user in (expert_hgi, chef_caue):
        with pytest.raises(ActionRefusee):
            demande.affecter(by=user, referent=expert_hgi)


def test_router_sends_free_request_to_direction_and_recomputes_deadline(organisation, administrateur, chef_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    with pytest.raises(ActionRefusee):
        demande.router(by=chef_hgi, direction=organisation["hgi_juridique"])
    demande.router(by=administrateur, direction=organisation["hgi_juridique"], reason="Compétence juridique")
    demande.refresh_from_db()
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE
    assert demande.direction == organisation["hgi_juridique"]
    assert demande.history.first().history_change_reason == "Compétence juridique"


def test_router_refused_once_a_chef_de_file_holds_it(organisation, administrateur):
    demande = demande_hgi(organisation, statut=S.EN_COURS)
    with pytest.raises(TransitionInvalide):
        demande.router(by=administrateur, direction=organisation["caue_direction"])


def test_first_contact_stops_the_clock(organisation, expert_hgi, expert_caue):
    demande = demande_hgi(
        organisation,
        statut=S.EN_COURS,
        expert_referent=expert_hgi,
        echeance_premier_contact=timezone.localdate() - datetime.timedelta(days=1),
        created_at=timezone.now() - datetime.timedelta(days=12),
    )
    assert demande.est_en_retard
    with pytest.raises(ActionRefusee):
        demande.enregistrer_premier_contact(by=expert_caue, date=timezone.localdate())
    with pytest.raises(TransitionInvalide):
        demande.enregistrer_premier_contact(by=expert_hgi, date=timezone.localdate() + datetime.timedelta(days=1))
    demande.enregistrer_premier_contact(by=expert_hgi, date=timezone.localdate())
    demande.refresh_from_db()
    assert not demande.est_en_retard
    assert Demande.objects.en_retard().count() == 0
    assert demande.history.first().history_change_reason == "Premier contact effectué"


def test_journal_entry_by_associated_expert_records_author_structure(organisation, expert_hgi, expert_caue):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    demande.experts_associes.add(expert_caue)
    entree = demande.ajouter_entree_journal(by=expert_caue, type="visite", message="Visite du site")
    assert entree.auteur == expert_caue
    assert entree.structure_auteur == organisation["caue"]


def test_journal_refused_to_outsider(organisation, expert_caue):
    demande = demande_hgi(organisation, statut=S.EN_COURS)
    with pytest.raises(ActionRefusee):
        demande.ajouter_entree_journal(by=expert_caue, type="note", message="Je passe par là")


def test_associated_direction_chef_may_write_journal_but_not_move_status(organisation, chef_caue):
    demande = demande_hgi(organisation, statut=S.EN_COURS)
    demande.directions_associees.add(organisation["caue_direction"])
    demande.ajouter_entree_journal(by=chef_caue, type="note", message="Contribution CAUE")
    assert demande.transitions_possibles(chef_caue) == []


def test_a_chef_de_file_who_is_also_expert_elsewhere(organisation, chef_hgi):
    add_membre(chef_hgi, organisation["caue_direction"], Membre.Role.EXPERT)
    demande = demande_hgi(organisation, direction=organisation["caue_direction"])
    with pytest.raises(ActionRefusee):
        demande.transition_to(S.RECEPTIONNE_CHEF_DE_FILE, by=chef_hgi)
