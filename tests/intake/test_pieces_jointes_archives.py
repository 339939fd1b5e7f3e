"""Zip-based documents (.docx, .xlsx, .odt…) are refused when their declared content is a
"zip bomb": too large once unpacked, too compressed, or made of too many parts."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.depot.forms import valider_piece_jointe
from intake.models import Demande
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    demande_page,
    donnees_formulaire,
    fichier_docx,
    thematiques,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def bombe(nom="rapport.docx", taille=30 * 1024 * 1024):
    """A real .docx container whose document part is `taille` bytes of zeros (≈ 1,000:1)."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as membre:
            bloc = b"\x00" * (1024 * 1024)
            for _ in range(taille // len(bloc)):
                membre.write(bloc)
    return SimpleUploadedFile(nom, tampon.getvalue(), content_type=DOCX)


def test_the_crafted_archive_is_small_and_recognised_as_a_word_document():
    fichier = bombe()
    assert fichier.size < 200 * 1024


def test_a_zip_bomb_named_docx_is_refused():
    with pytest.raises(ValidationError) as erreur:
        valider_piece_jointe(bombe())
    assert "« rapport.docx » a été refusé : une fois décompressé" in erreur.value.messages[0]


def test_a_bomb_declaring_more_than_100_mb_is_refused():
    with pytest.raises(ValidationError, match="anormalement volumineux"):
        valider_piece_jointe(bombe("tableau.docx", taille=110 * 1024 * 1024))


def test_an_archive_of_thousands_of_parts_is_refused():
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(1000):
            archive.writestr(f"word/media/p{i}.xml", "x")
    with pytest.raises(ValidationError, match="anormalement volumineux"):
        valider_piece_jointe(SimpleUploadedFile("parties.docx", tampon.getvalue()))


def test_an_ordinary_document_is_still_accepted():
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:p>Compte rendu de la réunion du conseil municipal.</w:p>" * 2000)
    assert valider_piece_jointe(SimpleUploadedFile("cr.docx", tampon.getvalue())).type_detecte == DOCX
    assert valider_piece_jointe(fichier_docx()).type_detecte == DOCX


@pytest.mark.django_db
def test_the_form_refuses_the_bomb_in_french_and_keeps_what_was_typed(
    client, demande_page, catalogue, collectivites, thematiques
):
    data = donnees_formulaire(collectivites, thematiques["juridique"])
    data["pieces_jointes"] = [bombe()]
    response = client.post("/demande/", data)
    contenu = response.content.decode()
    assert response.status_code == 400
    assert "« rapport.docx » a été refusé : une fois décompressé" in contenu
    assert 'value="Durand"' in contenu
    assert "Nous voulons réaménager la place du village" in contenu
    assert Demande.objects.count() == 0
