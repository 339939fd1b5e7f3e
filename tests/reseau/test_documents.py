"""Shared documents: upload into folders, versions, moderation by the administrator, downloads
recorded, never public unless an editor publishes them."""

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.models import Notification
from reseau import documents
from reseau.models import DocumentPartage, Dossier, Telechargement
from tests.intake.depot_helpers import PDF_MINIMAL, fichier_pdf


@pytest.fixture
def dossier(thematiques):
    return Dossier.objects.create(
        nom="Comité technique", categorie="Comité technique", thematique=thematiques["juridique"]
    )


@pytest.fixture
def document_valide(dossier, expert_hgi, administrateur):
    document = documents.deposer(
        dossier=dossier, titre="Plaquette", fichier=fichier_pdf("plaquette.pdf"), par=expert_hgi
    )
    return documents.moderer(document, par=administrateur, valider=True)


URL_PUBLICATION = reverse("reseau_publication")


def url_dossier(dossier):
    return reverse("reseau_dossier", args=[dossier.pk])


def url_telecharger(document):
    return reverse("reseau_telecharger", args=[document.pk])


def test_a_member_uploads_a_document_that_waits_for_validation(client, dossier, chef_hgi, expert_caue):
    client.force_login(chef_hgi)
    response = client.post(url_dossier(dossier), {"titre": "Programme des permanences", "fichier": fichier_pdf()})
    assert response.status_code == 302
    document = DocumentPartage.objects.get()
    assert document.statut == DocumentPartage.Statut.EN_ATTENTE and document.depose_par == chef_hgi
    assert document.version == 1
    # Stored under PRIVATE_ROOT, never under MEDIA_ROOT.
    assert os.path.abspath(document.fichier.path).startswith(os.path.abspath(settings.PRIVATE_ROOT))
    assert "Programme des permanences" in client.get(url_dossier(dossier)).content.decode()
    assert client.get(url_telecharger(document)).status_code == 200
    client.force_login(expert_caue)
    assert "Programme des permanences" not in client.get(url_dossier(dossier)).content.decode()
    assert client.get(url_telecharger(document)).status_code == 404


def test_a_file_of_a_refused_format_gets_a_french_message(client, dossier, chef_hgi):
    client.force_login(chef_hgi)
    faux = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url_dossier(dossier), {"titre": "Faux", "fichier": faux})
    assert response.status_code == 400
    assert "format accepté" in response.content.decode()
    assert not DocumentPartage.objects.exists()


def test_the_administrator_validates_and_members_download(client, dossier, expert_hgi, administrateur, expert_caue):
    document = documents.deposer(dossier=dossier, titre="Rapport", fichier=fichier_pdf(), par=expert_hgi)
    client.force_login(administrateur)
    assert "Rapport" in client.get(url_dossier(dossier)).content.decode()
    client.post(url_dossier(dossier), {"action": "valider", "document": document.pk})
    document.refresh_from_db()
    assert document.statut == DocumentPartage.Statut.VALIDE and document.modere_par == administrateur
    assert any(expert_hgi.email in n.to for n in Notification.objects.filter(kind=documents.KIND_MODERATION))
    client.force_login(expert_caue)
    response = client.get(url_telecharger(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_MINIMAL
    assert Telechargement.objects.filter(document=document, user=expert_caue).count() == 1


def test_a_refusal_needs_a_reason(client, dossier, expert_hgi, administrateur):
    document = documents.deposer(dossier=dossier, titre="Brouillon", fichier=fichier_pdf(), par=expert_hgi)
    client.force_login(administrateur)
    assert client.post(url_dossier(dossier), {"action": "refuser", "document": document.pk}).status_code == 400
    document.refresh_from_db()
    assert document.statut == DocumentPartage.Statut.EN_ATTENTE
    client.post(url_dossier(dossier), {"action": "refuser", "document": document.pk, "motif": "Document obsolète"})
    document.refresh_from_db()
    assert document.statut == DocumentPartage.Statut.REFUSE and document.motif_refus == "Document obsolète"
    assert document.history.first().history_change_reason == "Document refusé : Document obsolète"


def test_members_cannot_moderate(client, dossier, expert_hgi, chef_caue):
    document = documents.deposer(dossier=dossier, titre="Rapport", fichier=fichier_pdf(), par=expert_hgi)
    client.force_login(chef_caue)
    assert client.post(url_dossier(dossier), {"action": "valider", "document": document.pk}).status_code == 403
    document.refresh_from_db()
    assert document.statut == DocumentPartage.Statut.EN_ATTENTE
    assert "Créer le dossier" not in client.get(reverse("reseau_documents")).content.decode()
    assert client.post(reverse("reseau_documents"), {"nom": "Pirate"}).status_code == 403
    assert not Dossier.objects.filter(nom="Pirate").exists()


def test_a_new_version_replaces_the_previous_one(client, dossier, document_valide, chef_caue):
    client.force_login(chef_caue)
    client.post(
        url_dossier(dossier), {"titre": "Plaquette 2026", "fichier": fichier_pdf(), "remplace": document_valide.pk}
    )
    nouvelle = DocumentPartage.objects.exclude(pk=document_valide.pk).get()
    assert nouvelle.version == 2 and nouvelle.remplace == document_valide


def test_the_administrator_creates_a_folder(client, administrateur, thematiques):
    client.force_login(administrateur)
    response = client.post(
        reverse("reseau_documents"), {"nom": "Rencontre annuelle", "categorie": "Rencontre annuelle"}
    )
    assert response.status_code == 302
    assert Dossier.objects.filter(nom="Rencontre annuelle").exists()
    assert client.post(reverse("reseau_documents"), {"nom": ""}).status_code == 400


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_outsiders_cannot_reach_folders(client, request, persona, dossier):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url_dossier(dossier)).status_code == 403
    assert client.post(url_dossier(dossier), {"titre": "Intrus", "fichier": fichier_pdf()}).status_code == 403
    assert not DocumentPartage.objects.exists()


def test_anonymous_visitors_never_download(client, document_valide):
    response = client.get(url_telecharger(document_valide))
    assert response.status_code in (302, 403)
    assert Telechargement.objects.count() == 0


def test_the_partner_cannot_download_a_validated_document(client, document_valide, partenaire_caue):
    client.force_login(partenaire_caue)
    assert client.get(url_telecharger(document_valide)).status_code == 403


def test_an_editor_publishes_a_validated_document_on_the_site(client, document_valide, editeur, dossier, expert_hgi):
    from wagtail.documents import get_document_model

    en_attente = documents.deposer(dossier=dossier, titre="Brouillon interne", fichier=fichier_pdf(), par=expert_hgi)
    client.force_login(editeur)
    page = client.get(URL_PUBLICATION).content.decode()
    assert "Plaquette" in page and "Brouillon interne" not in page
    assert client.post(URL_PUBLICATION, {"document": en_attente.pk}).status_code == 404
    assert client.post(URL_PUBLICATION, {"document": document_valide.pk}).status_code == 302
    document_valide.refresh_from_db()
    public = get_document_model().objects.get()
    assert document_valide.document_publie == public
    assert public.collection.name == settings.RESEAU_COLLECTION_PUBLIQUE
    assert public.file.read() == PDF_MINIMAL


@pytest.mark.parametrize("persona", ["chef_hgi", "partenaire_caue"])
def test_only_editors_and_administrators_publish(client, request, persona, document_valide):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL_PUBLICATION).status_code == 403
    assert client.post(URL_PUBLICATION, {"document": document_valide.pk}).status_code == 403
    document_valide.refresh_from_db()
    assert document_valide.document_publie is None
    assert URL_PUBLICATION not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_only_administrators_manage_folders_in_the_list(client, administrateur, chef_hgi, dossier):
    url = reverse("reseau_dossier_modeladmin_index")
    client.force_login(administrateur)
    assert url in client.get(reverse("reseau_documents")).content.decode()
    assert "Comité technique" in client.get(url).content.decode()
    client.force_login(chef_hgi)
    assert url not in client.get(reverse("reseau_documents")).content.decode()
    assert client.get(url).status_code in (302, 403)
    assert client.post(reverse("reseau_dossier_modeladmin_delete", args=[dossier.pk])).status_code in (302, 403)
    assert Dossier.objects.filter(pk=dossier.pk).exists()
