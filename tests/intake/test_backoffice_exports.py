"""Exports of the filtered list, read back with csv and openpyxl."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from intake.models import Demande
from intake.suivi.exports import COLONNES
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
    caue = DemandeFactory(
        direction=organisation["caue_direction"], statut=S.ATTRIBUE_CHEF_DE_FILE, demandeur_email="maire@caue.test"
    )
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
        organisation,
        statut=S.EN_COURS,
        expert_referent=expert_hgi,
        lieu=lieu,
        demandeur_fonction="Maire",
    )
    libre = DemandeFactory(
        statut=S.ABANDONNE,
        direction=organisation["hgi_juridique"],
        fiche=None,
        thematique=None,
        lieu=None,
        lieu_precision="Lieu-dit Le Bourg",
    )
    client.force_login(chef_hgi)
    rows = {row[0]: row for row in _csv(client.get(LIST_URL + "?export=csv"))[1:]}
    ligne = rows[str(demande.numero)]
    assert ligne[: COURRIEL - 3] == [
        str(demande.numero),
        timezone.localtime(demande.created_at).strftime("%d/%m/%Y %H:%M"),
        "En cours",
        str(demande.thematique or ""),
        demande.fiche.title if demande.fiche_id else "Demande libre",
        demande.direction.structure.nom,
        demande.direction.libelle_court,
        demande.collectivite.nom,
        demande.get_type_collectivite_display(),
        "Toulouse (31000)",
        demande.echeance_premier_contact.strftime("%d/%m/%Y"),
        "",
        "oui",
        "",
    ]
    assert ligne[COURRIEL - 3 :] == [
        demande.demandeur_nom,
        demande.demandeur_prenom,
        "Maire",
        demande.demandeur_email,
        demande.demandeur_telephone,
        demande.message,
        expert_hgi.get_full_name(),
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


def _classeur(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_xlsx_dates_are_real_date_cells_in_french_format(client, organisation, administrateur):
    import datetime

    cree = timezone.make_aware(datetime.datetime(2026, 11, 2, 23, 30), datetime.timezone.utc)  # 3 Nov, 00:30 in Paris
    cloture = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 15))
    demande = demande_hgi(
        organisation,
        statut=S.TERMINE,
        created_at=cree,
        echeance_premier_contact=datetime.date(2026, 11, 13),
        premier_contact_le=datetime.date(2026, 11, 5),
        cloturee_le=cloture,
    )
    client.force_login(administrateur)
    sheet = _classeur(client.get(LIST_URL + "?export=xlsx")).active
    ligne = {row[0].value: row for row in sheet.iter_rows(min_row=2)}[demande.numero]
    depose, echeance, contact, cloturee = ligne[1], ligne[10], ligne[11], ligne[13]
    assert all(cellule.is_date for cellule in (depose, echeance, contact, cloturee))
    assert depose.value == datetime.datetime(2026, 11, 3, 0, 30)  # local time, as the list shows it
    assert depose.number_format == cloturee.number_format == "dd/mm/yyyy hh:mm"
    assert echeance.value.date() == datetime.date(2026, 11, 13) and contact.value.date() == datetime.date(2026, 11, 5)
    assert echeance.number_format == contact.number_format == "dd/mm/yyyy"
    assert cloturee.value == datetime.datetime(2026, 11, 20, 9, 15)
    assert ligne[0].data_type == "n"  # the numéro is a number


def test_xlsx_empty_dates_stay_empty_cells(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    sheet = _classeur(client.get(LIST_URL + "?export=xlsx")).active
    for row in sheet.iter_rows(min_row=2):
        assert row[11].value is None and row[13].value is None  # never contacted, not closed


def test_xlsx_header_is_bold_frozen_filtered_and_columns_are_sized(client, deux_demandes, administrateur):
    client.force_login(administrateur)
    sheet = _classeur(client.get(LIST_URL + "?export=xlsx")).active
    entete = next(sheet.iter_rows(max_row=1))
    assert [cellule.value for cellule in entete][:2] == ["Numéro", "Déposée le"]
    assert all(cellule.font.b for cellule in entete)
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:U3"  # 21 columns, header + 2 demandes
    largeurs = {cellule.value: sheet.column_dimensions[cellule.column_letter].width for cellule in entete}
    assert len(largeurs) == 21 and all(largeur and largeur >= 9 for largeur in largeurs.values())
    assert largeurs["Fiche"] > 40 and largeurs["Message"] > 40 and largeurs["Numéro"] < largeurs["Collectivité"]


def test_xlsx_sheet_carries_the_export_title_and_date(client, deux_demandes, administrateur):
    from intake.suivi.exports import titre_export

    client.force_login(administrateur)
    avant = timezone.localdate()
    classeur = _classeur(client.get(LIST_URL + "?export=xlsx"))
    titres = {titre_export(avant), titre_export(timezone.localdate())}
    assert classeur.sheetnames == ["Demandes"]
    assert classeur.properties.title in titres
    assert classeur.active.oddHeader.center.text in titres  # printed at the top of every page
    assert classeur.active.print_title_rows == "$1:$1"


def test_export_title_says_the_date_in_french():
    import datetime

    from intake.suivi.exports import titre_export

    assert titre_export(datetime.date(2026, 12, 1)) == "Demandes — export du 1er décembre 2026"
    assert titre_export(datetime.date(2027, 2, 14)) == "Demandes — export du 14 février 2027"
    assert titre_export(datetime.date(2026, 8, 2)) == "Demandes — export du 2 août 2026"
