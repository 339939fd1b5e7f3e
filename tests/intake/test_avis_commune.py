"""The commune is kept informed: one email to the demandeur at each
step that matters to it, written with the action (nothing when the action is refused), holding
its own demande and the experts' professional contacts only; a rejet also tells the
administrators, who are never offered to send a demande back to themselves."""

import pytest

from catalogue.models import Membre
from intake.models import Demande, Notification
from tests.intake.backoffice_support import demande_hgi, inspect_url

S = Demande.Statut
pytestmark = pytest.mark.django_db


def _statut(client, demande, statut, motif=""):
    return client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/statut/",
        {"statut": statut, "motif": motif, "version": demande.version},
    )


def _au_demandeur(demande):
    return list(Notification.objects.filter(to=[demande.demandeur_email]))


def _autre_demande(organisation):
    return demande_hgi(
        organisation, demandeur_nom="Voisin-Secret", demandeur_prenom="Paul", demandeur_telephone="05 99 99 99 99"
    )


def _sans_donnees_d_autrui(notification, autre):
    assert autre.demandeur_nom not in notification.body
    assert autre.demandeur_email not in notification.body
    assert autre.demandeur_telephone not in notification.body
    assert str(autre.numero) not in notification.body


def test_orientation_tells_the_commune_which_structure_and_direction(client, organisation, administrateur):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    autre = _autre_demande(organisation)
    client.force_login(administrateur)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/orientation/",
        {"direction": organisation["hgi_juridique"].pk, "version": demande.version},
    )
    assert response.status_code == 302
    [avis] = _au_demandeur(demande)
    assert avis.kind == "collectivite_orientation"
    assert "Haute-Garonne Ingénierie" in avis.body
    assert "Direction assistance juridique et financière" in avis.body
    assert f"/suivi/{demande.jeton_suivi}/" in avis.body
    _sans_donnees_d_autrui(avis, autre)


def test_redirecting_a_rejected_demande_says_it_was_redirected(client, organisation, administrateur):
    demande = demande_hgi(organisation, statut=S.REJETE, motif="Hors champ")
    client.force_login(administrateur)
    client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/orientation/",
        {"direction": organisation["caue_direction"].pk, "version": demande.version},
    )
    [avis] = _au_demandeur(demande)
    assert "réorientée" in avis.body
    assert "Conseil d'architecture, d'urbanisme et de l'environnement" in avis.body


def test_refused_orientation_writes_no_email(client, organisation, chef_hgi):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_ADMIN, direction=None)
    client.force_login(chef_hgi)
    client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/orientation/",
        {"direction": organisation["hgi_juridique"].pk, "version": demande.version},
    )
    assert Notification.objects.count() == 0


def test_designation_gives_the_commune_the_referent_s_professional_contact(client, organisation, chef_hgi, expert_hgi):
    expert_hgi.first_name, expert_hgi.last_name = "Julie", "Expert"
    expert_hgi.save()
    Membre.objects.filter(user=expert_hgi).update(fonction="Juriste", telephone="05 34 00 00 01")
    demande = demande_hgi(organisation)
    autre = _autre_demande(organisation)
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {"expert_referent": expert_hgi.pk, "version": demande.version},
    )
    assert response.status_code == 302
    [avis] = _au_demandeur(demande)
    assert avis.kind == "collectivite_referent"
    assert "Julie Expert, Juriste" in avis.body
    assert expert_hgi.email in avis.body and "05 34 00 00 01" in avis.body
    assert "Haute-Garonne Ingénierie" in avis.body
    _sans_donnees_d_autrui(avis, autre)


def test_a_second_assignment_with_the_same_referent_writes_nothing_to_the_commune(
    client, organisation, chef_hgi, expert_hgi
):
    demande = demande_hgi(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi)
    client.force_login(chef_hgi)
    client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {"expert_referent": expert_hgi.pk, "version": demande.version},
    )
    assert _au_demandeur(demande) == []


def test_refused_designation_writes_no_email(client, organisation, chef_caue, expert_hgi):
    demande = demande_hgi(organisation)
    demande.directions_associees.add(organisation["caue_direction"])  # chef_caue sees it, may not designate
    client.force_login(chef_caue)
    client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {"expert_referent": expert_hgi.pk, "version": demande.version},
    )
    assert Notification.objects.count() == 0


def test_rejet_tells_the_commune_the_motif_and_the_administrators_with_a_link(
    client, organisation, chef_hgi, administrateur
):
    demande = demande_hgi(organisation)
    autre = _autre_demande(organisation)
    client.force_login(chef_hgi)
    assert _statut(client, demande, S.REJETE, "Aucun expert compétent sur ce sujet").status_code == 302
    [avis] = _au_demandeur(demande)
    assert avis.kind == "collectivite_rejet"
    assert "Motif : Aucun expert compétent sur ce sujet" in avis.body
    _sans_donnees_d_autrui(avis, autre)
    [admin] = Notification.objects.filter(kind="rejet_administrateurs")
    assert admin.to == [administrateur.email]
    assert "Aucun expert compétent sur ce sujet" in admin.body
    assert inspect_url(demande) in admin.body
    assert demande.demandeur_email not in admin.body and demande.demandeur_nom not in admin.body


@pytest.mark.parametrize(
    ("statut", "kind", "extra"),
    [(S.TERMINE, "collectivite_termine", {}), (S.ABANDONNE, "collectivite_abandon", {"motif": "La commune renonce"})],
)
def test_end_and_abandon_tell_the_commune_once(client, organisation, expert_hgi, statut, kind, extra):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    assert _statut(client, demande, statut, extra.get("motif", "")).status_code == 302
    [avis] = _au_demandeur(demande)
    assert avis.kind == kind
    assert "Haute-Garonne Ingénierie" in avis.body
    if extra:
        assert "La commune renonce" in avis.body


def test_refused_status_change_writes_no_email(client, organisation, expert_caue, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    demande.experts_associes.add(expert_caue)  # sees the demande, may not close it
    client.force_login(expert_caue)
    assert _statut(client, demande, S.TERMINE).status_code == 403
    assert Notification.objects.count() == 0


def test_a_status_change_without_a_reason_writes_no_email(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    assert _statut(client, demande, S.REJETE, "").status_code == 400
    assert Notification.objects.count() == 0


def test_confirming_reception_tells_the_commune_nothing(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    _statut(client, demande, S.RECEPTIONNE_CHEF_DE_FILE)
    assert Notification.objects.count() == 0


# --- Item 9: the administrator never sends a demande back to itself -------------------------


@pytest.mark.parametrize("statut", [S.ATTRIBUE_CHEF_DE_FILE, S.RECEPTIONNE_CHEF_DE_FILE])
def test_administrator_is_never_offered_to_send_back_to_itself(client, organisation, administrateur, statut):
    demande = demande_hgi(organisation, statut=statut)
    assert S.ATTRIBUE_ADMIN not in demande.transitions_possibles(administrateur)
    client.force_login(administrateur)
    contenu = client.get(inspect_url(demande)).content.decode()
    assert "Renvoyer à l&#x27;administrateur" not in contenu and "Renvoyer à l'administrateur" not in contenu
    assert _statut(client, demande, S.ATTRIBUE_ADMIN, "Je me la renvoie").status_code == 403
    demande.refresh_from_db()
    assert demande.statut == statut


def test_administrator_who_is_also_chef_de_file_is_not_offered_the_send_back(client, organisation, administrateur):
    from tests.conftest import add_membre

    add_membre(administrateur, organisation["hgi_juridique"], Membre.Role.CHEF_DE_FILE)
    demande = demande_hgi(organisation)
    assert S.ATTRIBUE_ADMIN not in demande.transitions_possibles(administrateur)
    client.force_login(administrateur)
    assert _statut(client, demande, S.ATTRIBUE_ADMIN, "Je me la renvoie").status_code == 403


def test_rejected_demande_is_taken_back_by_the_administrator_under_its_own_label(client, organisation, administrateur):
    demande = demande_hgi(organisation, statut=S.REJETE, motif="Pas d'expert")
    client.force_login(administrateur)
    contenu = client.get(inspect_url(demande)).content.decode()
    assert "Reprendre la demande pour l&#x27;orienter" in contenu
    assert "Renvoyer à l&#x27;administrateur" not in contenu


def test_chef_de_file_still_sends_back_to_the_administrator(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    assert "Renvoyer à l&#x27;administrateur" in client.get(inspect_url(demande)).content.decode()
    assert _statut(client, demande, S.ATTRIBUE_ADMIN, "Hors de notre champ").status_code == 302
    demande.refresh_from_db()
    assert demande.statut == S.ATTRIBUE_ADMIN
