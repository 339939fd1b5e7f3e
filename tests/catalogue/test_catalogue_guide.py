"""The printable guide: a PDF of the published catalogue, rendered once per catalogue change."""

import io

import pytest
from pypdf import PdfReader

from catalogue import guide
from catalogue.models import ReglagesCatalogue

pytestmark = pytest.mark.django_db


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), len(reader.pages)


@pytest.fixture
def rendus(monkeypatch):
    """Counts the (slow) WeasyPrint renderings."""
    calls = []
    original = guide.rendre_pdf

    def counting():
        calls.append(1)
        return original()

    monkeypatch.setattr(guide, "rendre_pdf", counting)
    return calls


def test_guide_pdf_holds_cover_contents_and_every_published_fiche(client, fiches, catalogue):
    reglages = ReglagesCatalogue.load()
    reglages.millesime = 2026
    reglages.save()
    fiches["conseil"].unpublish()
    response = client.get("/catalogue/guide.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(b"".join(response.streaming_content))
    assert pages >= 3  # cover, table of contents, fiches
    assert "2026" in text and "Sommaire" in text
    for key in ("intercommunalite", "bourg", "planification"):
        assert " ".join(fiches[key].title.split()) in text
    assert fiches["conseil"].title not in text  # unpublished
    assert catalogue["urbanisme"].nom in text
    assert "Haute-Garonne Ingénierie" in text  # chef de file
    assert "dajf@hgi.test" in text or "contact@hgi.test" in text  # contacts


def test_guide_is_not_rendered_again_when_nothing_changed(client, fiches, rendus):
    first = b"".join(client.get("/catalogue/guide.pdf").streaming_content)
    second = b"".join(client.get("/catalogue/guide.pdf").streaming_content)
    assert len(rendus) == 1
    assert first == second


def test_guide_is_rendered_again_after_a_publication(client, fiches, rendus):
    client.get("/catalogue/guide.pdf")
    fiche = fiches["bourg"]
    fiche.title = "Revitaliser un centre-bourg"
    fiche.save_revision().publish()
    text, _ = pdf_text(b"".join(client.get("/catalogue/guide.pdf").streaming_content))
    assert len(rendus) == 2
    assert "Revitaliser un centre-bourg" in text
    assert len(list(guide.dossier_guide().glob("guide-*.pdf"))) == 1  # the old one is removed


def test_guide_is_rendered_again_after_an_unpublication_or_new_millesime(fiches):
    before = guide.empreinte_catalogue()
    fiches["bourg"].unpublish()
    after_unpublish = guide.empreinte_catalogue()
    reglages = ReglagesCatalogue.load()
    reglages.millesime += 1
    reglages.save()
    assert len({before, after_unpublish, guide.empreinte_catalogue()}) == 3


def _qr_codes_on_page(page):
    """The texts of the QR codes embedded as images in one PDF page."""
    zxingcpp = pytest.importorskip("zxingcpp")
    textes = []
    for image in page.images:
        textes += [code.text for code in zxingcpp.read_barcodes(image.image)]
    return textes


def test_guide_cover_has_the_platform_identity_and_the_guide_title(client, fiches, settings):
    settings.PLATEFORME = {
        **settings.PLATEFORME,
        "NOM": "Plateforme Territoires 82",
        "DEPARTEMENT_NOM": "Département de Tarn-et-Garonne",
    }
    reglages = ReglagesCatalogue.load()
    reglages.millesime = 2027
    reglages.save()
    reader = PdfReader(io.BytesIO(guide.rendre_pdf()))
    couverture = " ".join(reader.pages[0].extract_text().split())
    assert "Plateforme Territoires 82" in couverture
    assert "Guide des accompagnements 2027" in couverture
    assert "Département de Tarn-et-Garonne" in couverture
    assert "Comment faire une demande" not in couverture  # a page of its own


def test_guide_explains_how_to_file_a_demande_with_the_deadlines(fiches):
    reader = PdfReader(io.BytesIO(guide.rendre_pdf()))
    page = " ".join(reader.pages[1].extract_text().split())
    assert page.startswith("Comment faire une demande")
    for etape in (
        "Choisissez une fiche",
        "Remplissez le formulaire en ligne",
        "accusé de réception",
        "Suivez votre demande",
    ):
        assert etape in page
    assert "http://testserver/demande/" in page
    assert "sous 3 jours" in page and "sous 10 jours" in page


def test_guide_lists_partners_contacts(fiches, organisation):
    organisation["caue"].telephone = "05 61 00 00 00"
    organisation["caue"].courriel = "accueil@caue.test"
    organisation["caue"].save()
    text, _ = pdf_text(guide.rendre_pdf())
    partenaires = text[text.rindex("Les partenaires et leurs contacts") :]
    assert "Haute-Garonne Ingénierie (HGI)" in partenaires and "contact@hgi.test" in partenaires
    assert "05 61 00 00 00" in partenaires and "accueil@caue.test" in partenaires


def test_each_fiche_has_qr_codes_to_its_page_and_its_form(fiches):
    fiche = fiches["planification"]
    url_page = "http://testserver" + fiche.url
    url_formulaire = f"http://testserver/demande/?fiche={fiche.pk}"
    reader = PdfReader(io.BytesIO(guide.rendre_pdf()))
    pages = [
        page
        for page in reader.pages
        if "PLUi/PLU/cartes" in page.extract_text() and "Chef de file" in page.extract_text()
    ]
    assert len(pages) == 1
    assert url_page in "".join(pages[0].extract_text().split())  # printed too, for those without a phone
    codes = _qr_codes_on_page(pages[0])
    assert url_page in codes
    assert url_formulaire in codes


def test_a_fiche_not_filed_online_has_no_form_qr_code(fiches):
    fiche = fiches["planification"]
    fiche.demande_en_ligne = False
    fiche.save_revision().publish()
    reader = PdfReader(io.BytesIO(guide.rendre_pdf()))
    codes = [code for page in reader.pages for code in _qr_codes_on_page(page)]
    assert "http://testserver" + fiche.url in codes
    assert f"http://testserver/demande/?fiche={fiche.pk}" not in codes
    assert f"http://testserver/demande/?fiche={fiches['bourg'].pk}" in codes


def test_guide_is_rendered_again_when_the_site_address_changes(fiches, settings):
    before = guide.empreinte_catalogue()
    settings.WAGTAILADMIN_BASE_URL = "https://territoires.exemple.fr"
    assert guide.empreinte_catalogue() != before
