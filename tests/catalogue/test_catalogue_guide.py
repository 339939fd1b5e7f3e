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
