"""Correction of a demande's data: the administrator and the chefs de file of
the demande correct the demandeur's contact, the collectivité or the fiche with a reason kept in
the history; a corrected e-mail address gets the accusé again, exactly once; everyone else is
refused and never sees the button."""

import html

import pytest

from catalogue.enums import TypeCollectivite
from intake.models import Demande, Notification
from tests.factories import CollectiviteFactory
from tests.intake.backoffice_support import demande_hgi, inspect_url
from tests.intake.depot_helpers import catalogue, thematiques  # noqa: F401

S = Demande.Statut
pytestmark = pytest.mark.django_db


def _url(demande):
    return f"/admin/intake/demande/suivi/{demande.pk}/correction/"


def _donnees(demande, **changements):
    demande.refresh_from_db()
    data = {
        "version": demande.version,
        "demandeur_email": demande.demandeur_email,
        "demandeur_nom": demande.demandeur_nom,
        "demandeur_prenom": demande.demandeur_prenom,
        "demandeur_fonction": demande.demandeur_fonction,
        "demandeur_telephone": demande.demandeur_telephone,
        "type_collectivite": demande.type_collectivite,
        "collectivite": demande.collectivite.code,
        "fiche": demande.fiche_id or "",
        "motif": "Erreur de saisie signalée par la mairie au téléphone",
    }
    data.update(changements)
    return data


def _accuses(demande):
    return list(Notification.objects.filter(demande=demande, kind=Notification.Kind.ACCUSE_RECEPTION))


@pytest.fixture
def demande(organisation):
    return demande_hgi(organisation, demandeur_email="mairie@grenade.tset")


def test_the_administrator_corrects_the_email_and_the_accuse_is_sent_again_once(client, demande, administrateur):
    client.force_login(administrateur)
    response = client.post(_url(demande), _donnees(demande, demandeur_email="mairie@grenade.test"))
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.demandeur_email == "mairie@grenade.test"
    [accuse] = _accuses(demande)
    assert accuse.to == ["mairie@grenade.test"]
    assert str(demande.numero) in accuse.body
    assert "Adresse électronique indiquée : mairie@grenade.test" in accuse.body

    ligne = demande.history.order_by("-history_date", "-history_id").first()
    assert ligne.history_change_reason == "Correction : Erreur de saisie signalée par la mairie au téléphone"
    assert ligne.history_user == administrateur
    assert ligne.demandeur_email == "mairie@grenade.test"
    # The history of the detail shows the change and the reason.
    contenu = html.unescape(client.get(inspect_url(demande)).content.decode())
    assert "mairie@grenade.tset → mairie@grenade.test" in contenu
    assert "Correction : Erreur de saisie signalée par la mairie au téléphone" in contenu


def test_the_chef_de_file_corrects_other_data_without_resending_the_accuse(client, demande, chef_hgi):
    autre_commune = CollectiviteFactory(nom="Merville")
    client.force_login(chef_hgi)
    response = client.post(
        _url(demande),
        _donnees(
            demande,
            demandeur_nom="Martinez",
            demandeur_telephone="05 61 99 99 99",
            collectivite=autre_commune.code,
        ),
    )
    assert response.status_code == 302
    demande.refresh_from_db()
    assert (demande.demandeur_nom, demande.demandeur_telephone, demande.collectivite) == (
        "Martinez",
        "05 61 99 99 99",
        autre_commune,
    )
    assert _accuses(demande) == []
    assert Notification.objects.count() == 0


def test_changing_the_fiche_does_not_reroute(client, organisation, administrateur, catalogue):
    demande = demande_hgi(organisation, fiche=catalogue["urgente"], thematique=catalogue["urgente"].thematique)
    echeance, direction, statut = demande.echeance_premier_contact, demande.direction_id, demande.statut
    client.force_login(administrateur)
    page = html.unescape(client.get(inspect_url(demande)).content.decode())
    assert "Corriger la fiche ne réoriente pas la demande" in page
    response = client.post(_url(demande), _donnees(demande, fiche=catalogue["complexe"].pk))
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.fiche_id == catalogue["complexe"].pk
    assert demande.thematique_id == catalogue["complexe"].thematique_id
    assert (demande.echeance_premier_contact, demande.direction_id, demande.statut) == (echeance, direction, statut)


def test_the_button_is_shown_to_the_administrator_and_the_chef_de_file_only(
    client, demande, administrateur, chef_hgi, expert_hgi, chef_caue
):
    demande.expert_referent = expert_hgi
    demande.save()
    demande.directions_associees.add(chef_caue.membres.first().direction)
    for user, visible in [(administrateur, True), (chef_hgi, True), (expert_hgi, False), (chef_caue, False)]:
        client.force_login(user)
        contenu = client.get(inspect_url(demande)).content.decode()
        assert ("Corriger la demande" in contenu) is visible, user
        assert (_url(demande) in contenu) is visible, user


@pytest.mark.parametrize("persona", ["expert_hgi", "chef_caue"])
def test_those_who_see_the_detail_but_do_not_lead_it_are_refused(client, demande, request, persona, chef_caue):
    user = request.getfixturevalue(persona)
    demande.expert_referent = request.getfixturevalue("expert_hgi")
    demande.save()
    demande.directions_associees.add(chef_caue.membres.first().direction)
    client.force_login(user)
    response = client.post(_url(demande), _donnees(demande, demandeur_email="pirate@exemple.test"))
    assert response.status_code == 403
    demande.refresh_from_db()
    assert demande.demandeur_email == "mairie@grenade.tset"
    assert Notification.objects.count() == 0


def test_an_outsider_gets_a_not_found(client, demande, expert_caue):
    client.force_login(expert_caue)
    response = client.post(_url(demande), _donnees(demande, demandeur_email="pirate@exemple.test"))
    assert response.status_code == 404
    demande.refresh_from_db()
    assert demande.demandeur_email == "mairie@grenade.tset"


def test_the_model_method_refuses_an_expert(demande, expert_hgi):
    from intake.models import ActionRefusee

    demande.expert_referent = expert_hgi
    demande.save()
    with pytest.raises(ActionRefusee):
        demande.corriger(by=expert_hgi, reason="Essai", demandeur_nom="Autre")


@pytest.mark.parametrize(
    ("changements", "message"),
    [
        ({"motif": "  "}, "Indiquez le motif de la correction."),
        ({"demandeur_email": "pas-une-adresse"}, "Saisissez une adresse électronique valide"),
        ({"collectivite": "99999"}, "Cette collectivité ne figure pas dans le référentiel."),
        ({"demandeur_nom": "<b onclick=x>Nom</b>"}, "ne doit pas contenir de balises HTML"),
        ({"type_collectivite": TypeCollectivite.CC}, "n'est pas du type"),
    ],
)
def test_bad_input_is_refused_in_french_and_keeps_the_typed_values(
    client, demande, administrateur, changements, message
):
    client.force_login(administrateur)
    data = _donnees(demande, demandeur_prenom="Prénom-Tapé", **changements)
    response = client.post(_url(demande), data)
    assert response.status_code == 400
    contenu = html.unescape(response.content.decode())
    assert message in contenu
    assert "Prénom-Tapé" in contenu
    demande.refresh_from_db()
    assert demande.demandeur_prenom == "Sophie"
    assert Notification.objects.count() == 0


def test_nothing_changed_is_refused_with_a_message(client, demande, administrateur):
    client.force_login(administrateur)
    nombre = demande.history.count()
    response = client.post(_url(demande), _donnees(demande))
    assert response.status_code == 400
    assert "Aucune donnée n'a changé" in html.unescape(response.content.decode())
    assert demande.history.count() == nombre


def test_a_stale_form_is_refused(client, demande, administrateur):
    client.force_login(administrateur)
    data = _donnees(demande, demandeur_email="mairie@grenade.test", version="2000-01-01T00:00:00+00:00")
    response = client.post(_url(demande), data)
    assert response.status_code == 409
    assert "mairie@grenade.test" in response.content.decode()
    assert _accuses(demande) == []


def test_an_anonymised_demande_cannot_be_corrected(client, demande, administrateur):
    from intake.models import Anonymisation

    Anonymisation.objects.create(demande=demande, motif=Anonymisation.Motif.RETENTION)
    client.force_login(administrateur)
    response = client.post(_url(demande), _donnees(demande, demandeur_email="nouvelle@grenade.test"))
    assert response.status_code == 400
    assert "anonymisée" in html.unescape(response.content.decode())
    demande.refresh_from_db()
    assert demande.demandeur_email == "mairie@grenade.tset"
    assert _accuses(demande) == []
