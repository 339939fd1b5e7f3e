"""intake.depot.services.deposer_demande: numbering, routing of both circuits, échéance, history,
private attachments, idempotency."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from intake.depot.forms import valider_piece_jointe
from intake.depot.services import deposer_demande
from intake.models import Demande, Notification
from tests.factories import DemandeFactory
from tests.intake.depot_helpers import (  # noqa: F401
    _cache_vide,
    catalogue,
    collectivites,
    donnees_service,
    fichier_pdf,
    thematiques,
)

pytestmark = pytest.mark.django_db


def test_a_free_request_goes_to_the_platform_administrator(collectivites, thematiques):
    demande = deposer_demande(**donnees_service(collectivites, thematique=thematiques["juridique"]))
    assert demande.statut == Demande.Statut.ATTRIBUE_ADMIN
    assert demande.direction is None
    assert demande.est_libre
    assert demande.echeance_premier_contact == timezone.localdate() + datetime.timedelta(days=10)


def test_a_request_on_a_fiche_goes_to_the_fiche_chef_de_file_direction(collectivites, catalogue, organisation):
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    assert demande.statut == Demande.Statut.ATTRIBUE_CHEF_DE_FILE
    assert demande.direction == organisation["hgi_juridique"]
    assert demande.thematique == catalogue["urgente"].thematique
    assert demande.echeance_premier_contact == timezone.localdate() + datetime.timedelta(days=3)


def test_a_request_on_a_complex_fiche_gets_ten_days(collectivites, catalogue, organisation):
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["complexe"]))
    assert demande.direction == organisation["caue_direction"]
    assert demande.echeance_premier_contact == timezone.localdate() + datetime.timedelta(days=10)


def test_a_partner_request_goes_to_the_given_direction(collectivites, organisation, chef_hgi):
    demande = deposer_demande(
        **donnees_service(collectivites, source=Demande.Source.PARTENAIRE),
        direction=organisation["hgi_juridique"],
        par=chef_hgi,
    )
    assert demande.statut == Demande.Statut.ATTRIBUE_CHEF_DE_FILE
    assert demande.direction == organisation["hgi_juridique"]
    assert demande.chef_de_file == chef_hgi
    assert demande.history.first().history_user == chef_hgi
    assert "transmise par un partenaire" in demande.history.first().history_change_reason


def test_numeros_follow_each_other(collectivites):
    premiere = deposer_demande(**donnees_service(collectivites))
    seconde = deposer_demande(**donnees_service(collectivites))
    assert seconde.numero == premiere.numero + 1


def test_numbering_starts_at_the_configured_value(collectivites, settings):
    settings.INTAKE_NUMERO_DEPART = 2400
    assert deposer_demande(**donnees_service(collectivites)).numero == 2400
    assert deposer_demande(**donnees_service(collectivites)).numero == 2401


def test_numbering_continues_after_existing_demandes(collectivites):
    DemandeFactory(numero=730, collectivite=collectivites["grenade"])
    assert deposer_demande(**donnees_service(collectivites)).numero == 731


def test_each_demande_gets_its_own_secret_tracking_token(collectivites):
    premiere = deposer_demande(**donnees_service(collectivites))
    seconde = deposer_demande(**donnees_service(collectivites))
    assert len(premiere.jeton_suivi) >= 40
    assert premiere.jeton_suivi != seconde.jeton_suivi


def test_filing_records_a_history_row_with_its_reason(collectivites, catalogue):
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    historique = demande.history.get()
    assert historique.history_type == "+"
    assert "Conseil juridique urgent" in historique.history_change_reason


def test_filing_writes_the_two_emails_in_the_outbox(collectivites, catalogue):
    demande = deposer_demande(**donnees_service(collectivites, fiche=catalogue["urgente"]))
    kinds = set(Notification.objects.filter(demande=demande).values_list("kind", flat=True))
    assert kinds == {Notification.Kind.ACCUSE_RECEPTION, Notification.Kind.NOUVELLE_DEMANDE}


def test_attachments_are_stored_outside_public_media(collectivites, settings):
    fichier = valider_piece_jointe(fichier_pdf())
    demande = deposer_demande(**donnees_service(collectivites), pieces_jointes=[fichier])
    piece = demande.pieces_jointes.get()
    assert piece.nom_original == "projet.pdf"
    assert piece.type_mime == "application/pdf"
    chemin = piece.fichier.path
    assert chemin.startswith(str(settings.PRIVATE_ROOT))
    assert not chemin.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        piece.fichier.url  # noqa: B018


def test_the_same_idempotency_key_never_files_twice(collectivites):
    premiere = deposer_demande(**donnees_service(collectivites), idempotency_key="api:abc")
    seconde = deposer_demande(**donnees_service(collectivites), idempotency_key="api:abc")
    assert premiere.pk == seconde.pk
    assert Demande.objects.count() == 1
    assert Notification.objects.count() == 2


def test_a_failure_while_filing_leaves_nothing(collectivites, monkeypatch):
    def panne(demande):
        raise RuntimeError("panne")

    monkeypatch.setattr("intake.depot.services.notifier_depot", panne)
    with pytest.raises(RuntimeError):
        deposer_demande(**donnees_service(collectivites), pieces_jointes=[valider_piece_jointe(fichier_pdf())])
    assert Demande.objects.count() == 0
    assert Notification.objects.count() == 0


def test_an_empty_file_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        valider_piece_jointe(SimpleUploadedFile("vide.pdf", b"", content_type="application/pdf"))
