"""Attachments: checked by content, stored privately, served only to those who may see the demande."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.depot.forms import valider_piece_jointe
from intake.depot.services import deposer_demande
from intake.models import AccesDemande
from tests.intake.depot_helpers import (  # noqa: F401
    PDF_MINIMAL,
    PNG_MINIMAL,
    _cache_vide,
    catalogue,
    collectivites,
    donnees_service,
    fichier_docx,
    fichier_pdf,
    thematiques,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fichier,mime",
    [
        (lambda: fichier_pdf(), "application/pdf"),
        (lambda: SimpleUploadedFile("plan.png", PNG_MINIMAL), "image/png"),
        (lambda: fichier_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (
            lambda: SimpleUploadedFile("tableau.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
            "application/vnd.ms-excel",
        ),
    ],
)
def test_accepted_formats_are_recognised_by_content(fichier, mime):
    assert valider_piece_jointe(fichier()).type_detecte == mime


def test_a_pdf_named_as_an_image_is_recognised_as_pdf():
    assert valider_piece_jointe(SimpleUploadedFile("photo.jpg", PDF_MINIMAL)).type_detecte == "application/pdf"


@pytest.mark.parametrize(
    "contenu",
    [
        b"MZ\x90\x00" + b"\x00" * 100,
        b"<html><script>alert(1)</script></html>",
        b"#!/bin/sh\nrm -rf /\n",
        b"PK\x03\x04" + b"\x00" * 50,
    ],
)
def test_other_contents_are_refused_whatever_their_name(contenu):
    with pytest.raises(ValidationError):
        valider_piece_jointe(SimpleUploadedFile("document.pdf", contenu))


@pytest.fixture
def piece(collectivites, catalogue):
    demande = deposer_demande(
        **donnees_service(collectivites, fiche=catalogue["urgente"]),
        pieces_jointes=[valider_piece_jointe(fichier_pdf())],
    )
    return demande.pieces_jointes.get()


def url(piece):
    return f"/demandes/pieces-jointes/{piece.pk}/"


def test_the_chef_de_file_of_the_direction_downloads_the_attachment(client, piece, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(url(piece))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_MINIMAL
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_administrator_downloads_the_attachment(client, piece, administrateur):
    client.force_login(administrateur)
    assert client.get(url(piece)).status_code == 200


def test_the_expert_referent_downloads_the_attachment(client, piece, expert_hgi):
    piece.demande.expert_referent = expert_hgi
    piece.demande.save()
    client.force_login(expert_hgi)
    assert client.get(url(piece)).status_code == 200


def test_an_expert_of_the_direction_not_on_the_demande_gets_a_404(client, piece, expert_hgi):
    client.force_login(expert_hgi)
    assert client.get(url(piece)).status_code == 404


@pytest.mark.parametrize("persona", ["chef_caue", "expert_caue", "partenaire_caue", "editeur"])
def test_other_structures_and_roles_get_a_404_as_for_a_missing_file(client, piece, persona, request):
    """An outsider cannot tell an existing attachment from a missing one."""
    client.force_login(request.getfixturevalue(persona))
    existante = client.get(url(piece))
    absente = client.get(f"/demandes/pieces-jointes/{piece.pk + 1000}/")
    assert existante.status_code == absente.status_code == 404
    assert existante.content.replace(url(piece).encode(), b"URL") == absente.content.replace(
        f"/demandes/pieces-jointes/{piece.pk + 1000}/".encode(), b"URL"
    )
    assert not AccesDemande.objects.exists()


@pytest.mark.parametrize("persona", ["chef_caue", "expert_hgi", "editeur"])
def test_the_former_back_office_address_gives_outsiders_a_404_too(client, piece, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/admin/intake/piece-jointe/{piece.pk}/", follow=True)
    assert response.status_code == 404


def test_the_former_back_office_address_leads_allowed_users_to_the_file(client, piece, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(f"/admin/intake/piece-jointe/{piece.pk}/")
    assert response.status_code == 301
    assert response["Location"] == url(piece)
    assert b"".join(client.get(response["Location"]).streaming_content) == PDF_MINIMAL


def test_the_detail_page_links_the_one_attachment_route(client, piece, chef_hgi):
    client.force_login(chef_hgi)
    page = client.get(f"/admin/intake/demande/inspect/{piece.demande.pk}/").content.decode()
    assert f'href="{url(piece)}"' in page
    assert "/admin/intake/piece-jointe/" not in page


def test_each_download_is_written_in_the_access_log(client, piece, chef_hgi):
    client.force_login(chef_hgi)
    client.get(url(piece))
    client.get(url(piece))
    acces = AccesDemande.objects.filter(nature=AccesDemande.Nature.PIECE_JOINTE)
    assert acces.count() == 2
    assert {(a.user, a.demande_id, a.objet) for a in acces} == {(chef_hgi, piece.demande_id, piece.nom_original)}


def test_an_associated_direction_chef_de_file_downloads_the_attachment(client, piece, chef_caue, organisation):
    piece.demande.directions_associees.add(organisation["caue_direction"])
    client.force_login(chef_caue)
    assert client.get(url(piece)).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, piece):
    response = client.get(url(piece))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_anonymous_visitors_cannot_tell_whether_an_attachment_exists(client, piece):
    assert client.get(f"/demandes/pieces-jointes/{piece.pk + 1000}/").status_code == 302


def test_attachments_are_not_reachable_under_media(client, piece):
    assert client.get(f"/media/{piece.fichier.name}").status_code == 404
