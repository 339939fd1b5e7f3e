"""Each core rule lives in one function that every caller uses: the callback delay by
nature, the overdue test, the administrators' addresses."""

import datetime

import pytest
from django.utils import timezone

from catalogue import roles
from catalogue.enums import NatureFiche, delai_rappel_jours
from intake import deadlines
from intake.models import ActionRefusee, Demande, Notification, TransitionInvalide
from intake.notifications import relances
from intake.statistiques import calculs as statistiques
from intake.suivi import circuit
from pilotage import services as pilotage_services
from tests.conftest import make_user
from tests.intake.backoffice_support import demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db


def _jours(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_delai_par_nature_une_seule_regle():
    assert delai_rappel_jours(NatureFiche.URGENTE) == 3
    assert delai_rappel_jours("complexe") == 10
    assert delai_rappel_jours(None) == delai_rappel_jours("") == 10
    assert NatureFiche.URGENTE.delai_rappel_jours == 3
    assert deadlines.delai_jours(None) == 10
    assert statistiques.delai_jours({"fiche_id": 1, "fiche__nature": "urgente"}) == 3
    assert statistiques.delai_jours({"fiche_id": None, "fiche__nature": None}) == 10
    with pytest.raises(ValueError):
        delai_rappel_jours("inconnue")


def test_retard_en_python_et_en_base_concordent(organisation):
    cas = {
        "echue_hier": demande_hgi(organisation, echeance_premier_contact=_jours(-1)),
        "echue_aujourdhui": demande_hgi(organisation, echeance_premier_contact=_jours(0)),
        "contactee": demande_hgi(organisation, echeance_premier_contact=_jours(-5), premier_contact_le=_jours(-6)),
        "close": demande_hgi(organisation, statut=S.TERMINE, echeance_premier_contact=_jours(-5)),
    }
    en_base = set(Demande.objects.en_retard().values_list("pk", flat=True))
    for nom, demande in cas.items():
        demande.refresh_from_db()
        assert demande.est_en_retard == (demande.pk in en_base), nom
    assert en_base == {cas["echue_hier"].pk}
    # Tomorrow, the one due today is overdue too, in both forms.
    demain = _jours(1)
    assert set(Demande.objects.en_retard(demain).values_list("pk", flat=True)) == {
        cas["echue_hier"].pk,
        cas["echue_aujourdhui"].pk,
    }
    assert Demande.retard(S.ATTRIBUE_CHEF_DE_FILE, None, _jours(0), demain)


def test_adresses_administrateurs_groupe_seulement_jamais_is_superuser(administrateur):
    make_user("super.utilisateur", is_superuser=True, is_staff=True)
    inactif = make_user("admin.inactif", is_active=False)
    sans_courriel = make_user("admin.sans.courriel")
    sans_courriel.email = ""
    sans_courriel.save()
    for user in (inactif, sans_courriel):
        user.groups.add(administrateur.groups.get())
    assert roles.adresses_administrateurs() == [administrateur.email]
    assert roles.administrateurs() == [administrateur]


def test_escalade_et_conventions_utilisent_les_memes_administrateurs(
    organisation, administrateur, monkeypatch, settings
):
    make_user("super.utilisateur", is_superuser=True, is_staff=True)
    envois = []
    monkeypatch.setattr(relances, "envoyer_courriel", lambda **kwargs: envois.append(kwargs))
    settings.DEMANDES_DELAI_ESCALADE_JOURS = 3
    demande_hgi(organisation, echeance_premier_contact=_jours(-3))
    relances.relancer()
    escalade = [e for e in envois if e["subject"].startswith("Escalade")]
    assert escalade[0]["to"] == [administrateur.email]
    assert not hasattr(pilotage_services, "administrateurs")
    assert not hasattr(relances, "administrateurs")


def test_orientation_passe_par_la_table_mais_pas_par_transition_to(organisation, administrateur):
    for statut in (S.ATTRIBUE_ADMIN, S.RECEPTIONNE_ADMIN, S.REJETE):
        assert Demande.TRANSITIONS[(statut, S.ATTRIBUE_CHEF_DE_FILE)] == {"admin"}
    demande = demande_hgi(organisation, statut=S.REJETE, motif="Hors compétence")
    assert S.ATTRIBUE_CHEF_DE_FILE not in demande.transitions_possibles(administrateur)
    with pytest.raises(TransitionInvalide):
        demande.transition_to(S.ATTRIBUE_CHEF_DE_FILE, by=administrateur)
    demande.refresh_from_db()
    assert demande.statut == S.REJETE
    demande.router(by=administrateur, direction=organisation["hgi_juridique"])
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE


def test_router_ne_sort_pas_du_circuit(organisation, administrateur, monkeypatch):
    """router changes the status only along an edge of the table (checked by the same function)."""
    demande = demande_hgi(organisation, statut=S.RECEPTIONNE_ADMIN, direction=None)
    monkeypatch.setitem(Demande.TRANSITIONS, (S.RECEPTIONNE_ADMIN, S.ATTRIBUE_CHEF_DE_FILE), set())
    with pytest.raises(ActionRefusee):
        demande.router(by=administrateur, direction=organisation["hgi_juridique"])
    demande.refresh_from_db()
    assert demande.statut == S.RECEPTIONNE_ADMIN


def test_affecter_ne_sort_pas_du_circuit(organisation, chef_hgi, expert_hgi, monkeypatch):
    demande = demande_hgi(organisation)
    monkeypatch.delitem(Demande.TRANSITIONS, (demande.statut, S.ATTRIBUE_EXPERT))
    with pytest.raises(TransitionInvalide):
        demande.affecter(by=chef_hgi, referent=expert_hgi)
    demande.refresh_from_db()
    assert demande.expert_referent_id is None


def test_le_modele_n_ecrit_aucun_courriel_le_service_si(organisation, administrateur, chef_hgi, expert_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    demande.router(by=administrateur, direction=organisation["hgi_juridique"])
    designations = demande.affecter(by=chef_hgi, referent=expert_hgi)
    assert designations.referent == expert_hgi and demande.statut == S.ATTRIBUE_EXPERT
    assert Notification.objects.count() == 0
    autre = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    circuit.orienter(autre, by=administrateur, direction=organisation["hgi_juridique"])
    assert set(Notification.objects.filter(demande=autre).values_list("kind", flat=True)) >= {"orientation"}
    assert Notification.objects.filter(demande=autre).count() == 2  # the direction and the commune
