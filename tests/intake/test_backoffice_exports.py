"""Exports of the filtered list, read back with csv and openpyxl."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from intake.backoffice.exports import COLONNES
from intake.models import Demande
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_en_retard, demande_hgi

S = Demande.Statut
pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"
COURRIEL = COLONNES.__len__() + 3  # index of "Courriel"


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def deux_demandes(organisation):
    hgi = demande_hgi(organisation, demandeur_email="maire@hgi.test")
    caue = DemandeFactory(direction=organisation["caue_direction"], statut=S.ATTRIBUE_CHEF_DE_FILE,
                          demandeur_email="maire@caue.test")
    return hgi, caue


def test_csv_has_personal_columns_only_for_demandes_seen_in_detail(client, deux_demandes, chef_hgi):
    hgi, caue = deux_demandes
    client.force_login(chef_hgi)
    rows = _csv(client.get(LIST_URL + "?export=csv&mes=toutes"))
    by_numero = {row[0]: row for row in rows[1:]}
    assert rows[0][0] == "Numéro"
    assert by_numero[str(hgi.numero)][COURRIEL] == "maire@hgi.test"
    assert by_numero[str(caue.numero)][COURRIEL] == ""
    assert by_numero[str(caue.numero)][7] == caue.collectivite.nom


def test_xlsx_for_an_expert_of_another_structure_has_no_personal_data(client, deux_demandes, expert_caue):
    client.force_login(expert_caue)
    rows = _xlsx(client.get(LIST_URL + "?export=xlsx&mes=toutes"))
    assert len(rows) == 3
    assert all(row[COURRIEL] in (None, "") for row in rows[1:])


def test_administrator_export_has_everything(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    rows = _xlsx(client.get(LIST_URL + "?export=xlsx"))
    assert {row[COURRIEL] for row in rows[1:]} == {"maire@hgi.test", "maire@caue.test"}


def test_export_follows_the_current_filters(client, organisation, chef_hgi):
    en_retard = demande_en_retard(organisation)
    demande_hgi(organisation)
    client.force_login(chef_hgi)
    rows = _csv(client.get(LIST_URL + "?retard=oui&export=csv"))
    assert [row[0] for row in rows[1:]] == [str(en_retard.numero)]
    assert rows[1][12] == "oui"


def test_export_of_my_direction(client, deux_demandes, chef_hgi):
    hgi, _ = deux_demandes
    client.force_login(chef_hgi)
    assert "Exporter les demandes de ma direction" in client.get(LIST_URL).content.decode()
    rows = _xlsx(client.get(LIST_URL + "?mes=direction&export=xlsx"))
    assert [row[0] for row in rows[1:]] == [hgi.numero]


def test_export_refused_to_editor(client, deux_demandes, editeur):
    client.force_login(editeur)
    response = client.get(LIST_URL + "?export=csv")
    assert response.status_code in (302, 403)
    assert not getattr(response, "streaming", False)


def test_every_column_says_what_the_demande_says(client, organisation, chef_hgi, expert_hgi):
    """The export reads plain values (speed): each column must still match the model's own reading."""
    from tests.factories import CollectiviteFactory

    lieu = CollectiviteFactory(code="31555", nom="Toulouse", codes_postaux=["31000", "31100"])
    demande = demande_en_retard(
        organisation, statut=S.EN_COURS, expert_referent=expert_hgi, lieu=lieu, demandeur_fonction="Maire",
    )
    libre = DemandeFactory(statut=S.ABANDONNE, direction=organisation["hgi_juridique"], fiche=None,
                           thematique=None, lieu=None, lieu_precision="Lieu-dit Le Bourg")
    client.force_login(chef_hgi)
    rows = {row[0]: row for row in _csv(client.get(LIST_URL + "?export=csv"))[1:]}
    ligne = rows[str(demande.numero)]
    assert ligne[:COURRIEL - 3] == [
        str(demande.numero), timezone.localtime(demande.created_at).strftime("%d/%m/%Y %H:%M"), "En cours",
        str(demande.thematique or ""), demande.fiche.title if demande.fiche_id else "Demande libre",
        demande.direction.structure.nom, demande.direction.libelle_court, demande.collectivite.nom,
        demande.get_type_collectivite_display(), "Toulouse (31000)",
        demande.echeance_premier_contact.strftime("%d/%m/%Y"), "", "oui", "",
    ]
    assert ligne[COURRIEL - 3:] == [
        demande.demandeur_nom, demande.demandeur_prenom, "Maire", demande.demandeur_email,
        demande.demandeur_telephone, demande.message, expert_hgi.get_full_name(),
    ]
    autre = rows[str(libre.numero)]
    assert autre[2] == "Abandonné" and autre[3] == "" and autre[4] == "Demande libre"
    assert autre[9] == "Lieu-dit Le Bourg" and autre[12] == "non"


NOM = COLONNES.__len__()  # index of "Demandeur nom"
FORMULES = ['=HYPERLINK("http://evil.test","Cliquez")', "+33 1 00", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def demandes_piegees(organisation):
    return {valeur: demande_hgi(organisation, demandeur_nom=valeur, message=valeur) for valeur in FORMULES}


def test_csv_cells_that_look_like_formulas_stay_text(client, demandes_piegees, administrateur):
    client.force_login(administrateur)
    rows = {row[0]: row for row in _csv(client.get(LIST_URL + "?export=csv"))[1:]}
    for valeur, demande in demandes_piegees.items():
        assert rows[str(demande.numero)][NOM] == "'" + valeur
        assert rows[str(demande.numero)][NOM + 5] == "'" + valeur  # the message too


def test_xlsx_cells_that_look_like_formulas_are_strings_not_formulas(client, demandes_piegees, administrateur):
    client.force_login(administrateur)
    response = client.get(LIST_URL + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cellules = {row[0].value: row[NOM] for row in sheet.iter_rows(min_row=2)}
    for valeur, demande in demandes_piegees.items():
        cellule = cellules[demande.numero]
        assert cellule.data_type == "s"
        assert cellule.value == "'" + valeur.replace("\r", "\n")  # XML stores a CR as a line feed
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_ordinary_values_are_not_altered(client, organisation, administrateur):
    demande = demande_hgi(organisation, demandeur_nom="Dupont-Martin", demandeur_telephone="05 61 00 00 00")
    client.force_login(administrateur)
    rows = {row[0]: row for row in _csv(client.get(LIST_URL + "?export=csv"))[1:]}
    assert rows[str(demande.numero)][NOM] == "Dupont-Martin"
    assert rows[str(demande.numero)][NOM + 4] == "05 61 00 00 00"
