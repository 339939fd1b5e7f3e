"""The optional civility of the demandeur: asked by the form and the API, never guessed, used by
the accusé letter to write « Madame la Maire » / « Monsieur le Président »."""

import io
import json

import pytest
from pypdf import PdfReader

from intake.models import Demande
from intake.notifications import pdf
from tests.factories import DemandeFactory
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    demande_page,
    donnees_formulaire,
    thematiques,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "civilite, fonction, appel",
    [
        ("madame", "Maire", "Madame la Maire"),
        ("monsieur", "maire de Muret", "Monsieur le Maire"),
        ("madame", "Présidente de la CC des Coteaux", "Madame la Présidente"),
        ("monsieur", "PRESIDENT", "Monsieur le Président"),
        ("madame", "Maire adjointe", "Madame"),
        ("monsieur", "DGS", "Monsieur"),
        ("madame", "", "Madame"),
        ("", "Maire", "Madame, Monsieur"),
    ],
)
def test_the_salutation_names_the_function_only_with_a_civility(civilite, fonction, appel):
    demande = DemandeFactory.build(demandeur_civilite=civilite, demandeur_fonction=fonction)
    assert pdf.formule_appel(demande) == appel


def test_the_letter_greets_madame_la_maire_and_addresses_her_by_name(db):
    demande = DemandeFactory(demandeur_civilite="madame", demandeur_fonction="Maire")
    texte = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.rendre_accuse_pdf(demande))).pages
    )
    assert "Madame Sophie Martin Maire Mairie de" in texte
    assert "Madame la Maire, J'accuse réception" in texte
    assert "Je vous prie d'agréer, Madame la Maire, l'expression de mes salutations distinguées." in texte
    assert "Madame, Monsieur" not in texte


def test_the_public_form_offers_the_civility_and_stores_it(client, demande_page, collectivites, catalogue):
    contenu = client.get("/demande/").content.decode()
    assert 'name="demandeur_civilite"' in contenu and "Civilité (facultatif)" in contenu
    response = client.post(
        "/demande/", donnees_formulaire(collectivites, catalogue["urgente"].thematique, demandeur_civilite="madame")
    )
    assert response.status_code == 302
    assert Demande.objects.get().demandeur_civilite == Demande.Civilite.MADAME


def test_the_public_form_files_without_a_civility(client, demande_page, collectivites, catalogue):
    response = client.post("/demande/", donnees_formulaire(collectivites, catalogue["urgente"].thematique))
    assert response.status_code == 302
    assert Demande.objects.get().demandeur_civilite == ""


def test_an_unknown_civility_is_refused_in_french(client, demande_page, collectivites, catalogue):
    response = client.post(
        "/demande/", donnees_formulaire(collectivites, catalogue["urgente"].thematique, demandeur_civilite="docteur")
    )
    assert response.status_code == 400
    assert "Choisissez « Madame », « Monsieur » ou laissez ce champ vide." in response.content.decode()
    assert not Demande.objects.exists()


def api_corps(collectivites, thematique, **extra):
    return {
        "thematique": thematique.pk,
        "demandeur_nom": "Durand",
        "demandeur_prenom": "Claude",
        "demandeur_fonction": "Président",
        "demandeur_email": "president@cc.test",
        "demandeur_telephone": "05 61 82 61 00",
        "type_collectivite": "commune",
        "collectivite": collectivites["grenade"].code,
        "message": "Nous voulons réaménager la place.",
        "consentement": True,
        **extra,
    }


def test_the_api_accepts_a_civility_and_refuses_an_unknown_one(client, collectivites, thematiques):
    refus = client.post(
        "/api/v2/demandes/",
        json.dumps(api_corps(collectivites, thematiques["juridique"], demandeur_civilite="Mme")),
        content_type="application/json",
    )
    assert refus.status_code == 400
    assert refus.json()["erreur"]["champs"]["demandeur_civilite"] == [
        "Choisissez « Madame », « Monsieur » ou laissez ce champ vide."
    ]
    reponse = client.post(
        "/api/v2/demandes/",
        json.dumps(api_corps(collectivites, thematiques["juridique"], demandeur_civilite="monsieur")),
        content_type="application/json",
    )
    assert reponse.status_code == 201
    assert Demande.objects.get().demandeur_civilite == Demande.Civilite.MONSIEUR


def test_anonymisation_clears_the_civility_without_striking_madame_out_of_texts(db):
    from intake.donnees_personnelles.anonymisation import anonymiser, valeurs_personnelles

    demande = DemandeFactory(demandeur_civilite="madame", message="Madame la Maire souhaite un appui.")
    assert "Madame" not in valeurs_personnelles(demande)
    anonymiser(demande)
    demande.refresh_from_db()
    assert demande.demandeur_civilite == ""
    assert {version.demandeur_civilite for version in demande.history.all()} == {""}
