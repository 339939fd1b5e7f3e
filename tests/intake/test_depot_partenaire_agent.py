"""The cas 2 form speaks to the agent who records a demande, and offers the same collectivité
suggestions as the public form."""

import pytest

from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    collectivites,
    donnees_formulaire,
    thematiques,
)

pytestmark = pytest.mark.django_db
URL = "/admin/demandes/transmettre/"
FORMULAIRE_PUBLIC_MOTS = ["Votre demande", "votre collectivité", "votre commune", "Indiquez votre nom.", "votre titre"]


def test_the_form_uses_the_public_collectivite_suggestions(client, chef_hgi, collectivites):
    client.force_login(chef_hgi)
    contenu = client.get(URL).content.decode()
    assert 'class="formulaire-depot" data-url-collectivites="/' in contenu
    assert "intake/depot.js" in contenu
    assert ".autocomplete__liste" in contenu and ".visuellement-cache" in contenu
    # Without JavaScript the list of the referential stays, as on the public form.
    assert 'value="31232"' in contenu


def test_labels_speak_to_the_agent(client, chef_hgi, collectivites):
    client.force_login(chef_hgi)
    contenu = client.get(URL).content.decode()
    for libelle in [
        "Civilité du demandeur (facultatif)",
        "Nom du demandeur",
        "Courriel du demandeur",
        "Collectivité demandeuse",
        "Demande reçue",
        "— Choisissez la collectivité —",
        "Laissez vide si le projet se situe dans la commune demandeuse.",
    ]:
        assert libelle in contenu, libelle
    for mots in FORMULAIRE_PUBLIC_MOTS:
        assert mots not in contenu, mots


def test_errors_speak_of_the_demandeur(client, chef_hgi, collectivites):
    client.force_login(chef_hgi)
    response = client.post(URL, {"consentement": "on"})
    assert response.status_code == 200
    contenu = response.content.decode()
    for message in [
        "Indiquez le nom du demandeur.",
        "Choisissez la collectivité demandeuse.",
        "Résumez la demande reçue.",
    ]:
        assert message in contenu, message
    assert "Indiquez votre nom." not in contenu


def test_the_public_form_keeps_its_own_words(client, collectivites, thematiques):
    from intake.depot.forms import DepotPublicForm
    from intake.depot.partenaire import DepotPartenaireForm

    DepotPartenaireForm(user=None)
    public = DepotPublicForm()
    assert public.fields["message"].label == "Votre demande"
    assert public.fields["demandeur_nom"].error_messages["required"] == "Indiquez votre nom."
    assert public.fields["collectivite"].empty_label == "— Choisissez votre collectivité —"


def test_outsiders_do_not_get_the_form(client, editeur):
    client.force_login(editeur)
    assert client.get(URL).status_code in (302, 403)
