"""The accusé de réception is a real letter of the Département: letterhead, place and date in
French, the collectivité's address, the tracking link whole and as a QR code, the President's
signature block, and a tagged PDF with its language and title."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.utils import timezone
from pypdf import PdfReader

from catalogue.enums import TypeCollectivite
from intake.liens import lien_suivi
from intake.notifications import pdf
from tests.factories import CollectiviteFactory, DemandeFactory, EpciFactory

pytestmark = pytest.mark.django_db


def le_1er_decembre_2026(heure=9, minute=30):
    return timezone.make_aware(datetime.datetime(2026, 12, 1, heure, minute))


@pytest.fixture
def demande():
    aurignac = CollectiviteFactory(code="31028", nom="Aurignac", codes_postaux=["31420"])
    return DemandeFactory(
        collectivite=aurignac,
        demandeur_prenom="Sophie",
        demandeur_nom="Martin",
        demandeur_fonction="Maire",
        created_at=le_1er_decembre_2026(),
        echeance_premier_contact=datetime.date(2026, 12, 11),
    )


def lire(contenu):
    reader = PdfReader(io.BytesIO(contenu))
    lignes = [ligne.strip() for page in reader.pages for ligne in page.extract_text().splitlines()]
    return reader, lignes, " ".join(" ".join(lignes).split())


def figures(reader):
    """The text alternatives of the figures of the tagged PDF, in reading order."""
    alternatives = []

    def parcourir(noeud):
        noeud = noeud.get_object()
        if not hasattr(noeud, "get"):
            return
        if noeud.get("/S") == "/Figure":
            alternatives.append(str(noeud.get("/Alt", "")))
        enfants = noeud.get("/K", [])
        for enfant in enfants if isinstance(enfants, list) else [enfants]:
            parcourir(enfant)

    parcourir(reader.trailer["/Root"]["/StructTreeRoot"])
    return alternatives


def test_letter_is_dated_in_french_at_the_departement_town(demande):
    _, _, texte = lire(pdf.rendre_accuse_pdf(demande))
    assert "Toulouse, le 1er décembre 2026" in texte
    assert "le 1er décembre 2026 à 9h30" in texte  # when the demande was filed
    assert "au plus tard le 11 décembre 2026" in texte


def test_the_place_is_a_setting_and_follows_another_departements_address(demande, settings):
    settings.PLATEFORME = {
        **settings.PLATEFORME,
        "VILLE": "",
        "ADRESSE": "100 boulevard Hubert-Gouze, 82013 Montauban Cedex",
    }
    _, _, texte = lire(pdf.rendre_accuse_pdf(demande))
    assert "Montauban, le 1er décembre 2026" in texte and "Toulouse" not in texte

    settings.PLATEFORME = {**settings.PLATEFORME, "VILLE": "Tarbes"}
    _, _, texte = lire(pdf.rendre_accuse_pdf(demande))
    assert "Tarbes, le 1er décembre 2026" in texte


def test_without_a_known_town_the_date_line_has_no_place(demande, settings):
    settings.PLATEFORME = {**settings.PLATEFORME, "VILLE": "", "ADRESSE": "Hôtel du Département"}
    _, lignes, _ = lire(pdf.rendre_accuse_pdf(demande))
    assert "Le 1er décembre 2026" in lignes


def test_letter_is_addressed_to_the_demandeur_by_function_at_the_mairie(demande):
    _, lignes, texte = lire(pdf.rendre_accuse_pdf(demande))
    bloc = lignes[lignes.index("Sophie Martin") : lignes.index("Sophie Martin") + 4]
    assert bloc == ["Sophie Martin", "Maire", "Mairie d'Aurignac", "31420 AURIGNAC"]
    # No civility is asked on the form: the neutral form, never a guessed « Madame la Maire ».
    assert "Madame, Monsieur," in texte
    assert "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées." in texte


def test_an_epci_is_addressed_by_its_name_only():
    epci = EpciFactory(nom="CC Cœur de Garonne")
    demande = DemandeFactory(collectivite=epci, type_collectivite=TypeCollectivite.CC, demandeur_fonction="Président")
    assert pdf.destinataire(demande) == ["Sophie Martin", "Président", "CC Cœur de Garonne"]


@pytest.mark.parametrize(
    "nom, attendu",
    [
        ("Muret", "Mairie de Muret"),
        ("Aurignac", "Mairie d'Aurignac"),
        ("Le Fousseret", "Mairie du Fousseret"),
        ("Les Varennes", "Mairie des Varennes"),
        ("La Salvetat-Saint-Gilles", "Mairie de La Salvetat-Saint-Gilles"),
        ("Éaunes", "Mairie d'Éaunes"),
    ],
)
def test_mairie_name_follows_french_elision(nom, attendu):
    assert pdf.mairie_de(nom) == attendu


def test_tracking_link_is_printed_whole_on_one_line_and_clickable(demande, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://plateforme-appui-territoires.departement-exemple.fr"
    reader, lignes, _ = lire(pdf.rendre_accuse_pdf(demande))
    url = lien_suivi(demande)
    assert len(url) > 100
    assert url in lignes
    liens = {
        annotation.get_object()["/A"]["/URI"]: annotation.get_object()["/Rect"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    }
    assert url in liens
    # Whole and on one line, yet inside the right margin (2 cm) of the A4 page.
    largeur_page = float(reader.pages[0].mediabox.width)
    assert float(liens[url][2]) <= largeur_page - 56


def test_letterhead_and_signature_block(demande, settings):
    settings.PLATEFORME = {
        **settings.PLATEFORME,
        "PRESIDENT_NOM": "Valérie Rabault",
        "PRESIDENT_TITRE": "Présidente du Département",
    }
    reader, lignes, texte = lire(pdf.rendre_accuse_pdf(demande))
    assert lignes[0] == settings.PLATEFORME["DEPARTEMENT_NOM"]
    assert texte.endswith("Présidente du Département Valérie Rabault")
    # The logo (vector) and the QR code are figures with a text alternative; no signature image
    # unless configured.
    assert figures(reader) == [
        settings.PLATEFORME["DEPARTEMENT_NOM"],
        "QR code menant à la page de suivi de la demande",
    ]


def test_signature_image_from_settings_is_printed(demande, settings, tmp_path):
    from PIL import Image

    signature = tmp_path / "signature.png"
    Image.new("RGB", (300, 100), "white").save(signature)
    settings.PLATEFORME = {**settings.PLATEFORME, "SIGNATURE_IMAGE": str(signature)}
    reader, _, _ = lire(pdf.rendre_accuse_pdf(demande))
    assert figures(reader)[-1] == f"Signature de {settings.PLATEFORME['PRESIDENT_NOM']}"
    assert len(reader.pages[0].images) == 2  # the QR code and the signature (the logo is vector)


def test_a_missing_signature_image_does_not_stop_the_letter(demande, settings, tmp_path):
    settings.PLATEFORME = {**settings.PLATEFORME, "SIGNATURE_IMAGE": str(tmp_path / "absente.png")}
    reader, _, texte = lire(pdf.rendre_accuse_pdf(demande))
    assert len(figures(reader)) == 2
    assert settings.PLATEFORME["PRESIDENT_NOM"] in texte


def test_pdf_is_tagged_in_french_with_a_title(demande):
    reader, _, _ = lire(pdf.rendre_accuse_pdf(demande))
    racine = reader.trailer["/Root"]
    assert racine["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in racine
    assert racine["/Lang"] == "fr"
    assert reader.metadata.title == f"Accusé de réception — demande n°{demande.numero}"
    assert racine["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712


def test_qr_code_decodes_to_the_tracking_link(demande):
    zxingcpp = pytest.importorskip("zxingcpp")
    reader, _, _ = lire(pdf.rendre_accuse_pdf(demande))
    codes = [code.text for image in reader.pages[0].images for code in zxingcpp.read_barcodes(image.image)]
    assert codes == [lien_suivi(demande)]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) absent")
def test_qr_code_reads_back_from_the_printed_page(demande, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    fichier = tmp_path / "lettre.pdf"
    fichier.write_bytes(pdf.rendre_accuse_pdf(demande))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(fichier), str(tmp_path / "page")], check=True)
    codes = [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
    assert codes == [lien_suivi(demande)]


def test_weasyprint_renders_the_letter_without_a_warning(demande, settings, caplog):
    # A dropped CSS rule (e.g. a localised « 7,1pt ») would silently break the one-line link.
    settings.WAGTAILADMIN_BASE_URL = "https://plateforme-appui-territoires.departement-exemple.fr"
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf.rendre_accuse_pdf(demande)
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []
