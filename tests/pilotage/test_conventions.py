"""Partners' conventions: term and renewal, reminders before the échéance
(once per convention, term and threshold), the partners' list and the private document."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from intake.models import Notification
from pilotage.models import Convention, RappelConvention
from pilotage.services import conventions_des_partenaires, relancer_conventions

pytestmark = pytest.mark.django_db
J = datetime.date


def convention(structure, **extra):
    valeurs = {
        "intitule": "Convention de partenariat",
        "date_debut": J(2024, 1, 1),
        "date_fin": J(2029, 12, 31),
        "signataires": "Le Président du Département\nLe Président de la structure",
    }
    valeurs.update(extra)
    return Convention.objects.create(structure=structure, **valeurs)


# --- Term and renewal ---------------------------------------------------------------------


def test_a_convention_without_renewal_ends_at_its_end_date(organisation):
    c = convention(organisation["hgi"], date_fin=J(2025, 12, 31))
    assert c.echeance(J(2026, 6, 1)) == J(2025, 12, 31)
    assert not c.est_en_vigueur(J(2026, 6, 1))
    assert c.est_en_vigueur(J(2025, 6, 1))


def test_tacit_renewal_extends_the_term_by_its_duration_up_to_the_maximum(organisation):
    # Tarn-et-Garonne MSAP: 2 years (2018/2019), renewable twice by tacit renewal.
    c = convention(
        organisation["caue"],
        date_debut=J(2018, 1, 1),
        date_fin=J(2019, 12, 31),
        reconduction=Convention.Reconduction.TACITE,
        nombre_reconductions=2,
    )
    assert c.echeance(J(2019, 6, 1)) == J(2019, 12, 31)
    assert c.echeance(J(2020, 1, 1)) == J(2021, 12, 31)
    assert c.echeance(J(2023, 3, 1)) == J(2023, 12, 31)
    assert c.echeance(J(2024, 3, 1)) == J(2023, 12, 31)
    assert not c.est_en_vigueur(J(2024, 3, 1))


def test_unlimited_tacit_renewal_keeps_the_convention_in_force(organisation):
    c = convention(
        organisation["caue"],
        date_debut=J(2018, 3, 15),
        date_fin=J(2019, 3, 14),
        reconduction=Convention.Reconduction.TACITE,
    )
    assert c.echeance(J(2026, 6, 1)) == J(2027, 3, 14)


def test_a_terminated_convention_ends_on_its_termination(organisation):
    c = convention(organisation["hgi"], resiliee_le=J(2025, 6, 30))
    assert c.echeance(J(2025, 1, 1)) == J(2025, 6, 30)
    assert not c.est_en_vigueur(J(2025, 7, 1))


def test_the_end_must_follow_the_start(organisation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as erreur:
        Convention(
            structure=organisation["hgi"],
            intitule="x",
            date_debut=J(2025, 1, 1),
            date_fin=J(2024, 1, 1),
            signataires="x",
        ).full_clean()
    assert "date_fin" in erreur.value.message_dict


# --- Reminders ------------------------------------------------------------------------------


def test_administrators_are_reminded_once_before_the_echeance(organisation, administrateur, settings):
    settings.PILOTAGE_RAPPEL_CONVENTIONS_JOURS = [90, 30]
    c = convention(organisation["hgi"], date_fin=J(2026, 12, 31), reconduction=Convention.Reconduction.EXPRESSE)
    assert relancer_conventions(J(2026, 9, 1)) == 0
    assert relancer_conventions(J(2026, 10, 10)) == 1
    assert relancer_conventions(J(2026, 10, 11)) == 0
    assert relancer_conventions(J(2026, 12, 5)) == 1
    assert relancer_conventions(J(2026, 12, 6)) == 0
    assert [r.seuil for r in RappelConvention.objects.order_by("created_at")] == [90, 30]
    notification = Notification.objects.filter(kind="rappel_convention").first()
    assert notification.to == [administrateur.email]
    assert "échéance le 31/12/2026" in notification.subject
    assert "reconduction doit être expressément signée" in notification.body
    assert f"/admin/pilotage/convention/edit/{c.pk}/" in notification.body


def test_a_first_run_close_to_the_echeance_sends_only_the_nearest_threshold(organisation, administrateur, settings):
    settings.PILOTAGE_RAPPEL_CONVENTIONS_JOURS = [90, 30]
    convention(organisation["hgi"], date_fin=J(2026, 12, 31))
    assert relancer_conventions(J(2026, 12, 20)) == 1
    assert RappelConvention.objects.get().seuil == 30


def test_a_tacitly_renewed_convention_is_reminded_again_for_its_next_term(organisation, administrateur, settings):
    settings.PILOTAGE_RAPPEL_CONVENTIONS_JOURS = [30]
    convention(
        organisation["caue"],
        date_debut=J(2024, 1, 1),
        date_fin=J(2024, 12, 31),
        reconduction=Convention.Reconduction.TACITE,
    )
    assert relancer_conventions(J(2024, 12, 15)) == 1
    assert relancer_conventions(J(2025, 12, 15)) == 1
    assert RappelConvention.objects.count() == 2


def test_the_command_is_idempotent(organisation, administrateur, settings):
    settings.PILOTAGE_RAPPEL_CONVENTIONS_JOURS = [30000]  # reaches 2099 and fits the small integer column
    convention(organisation["hgi"], date_debut=J(2020, 1, 1), date_fin=J(2099, 12, 31))
    call_command("relancer_conventions", stdout=open("/dev/null", "w"))
    call_command("relancer_conventions", stdout=open("/dev/null", "w"))
    assert Notification.objects.filter(kind="rappel_convention").count() == 1


# --- Partners' list ---------------------------------------------------------------------------


def test_the_partners_list_shows_who_signed_until_when_and_flags_missing_ones(organisation):
    convention(organisation["hgi"], date_fin=J(2029, 12, 31))
    convention(organisation["caue"], date_debut=J(2020, 1, 1), date_fin=J(2022, 12, 31))
    lignes = {ligne["structure"].sigle: ligne for ligne in conventions_des_partenaires(J(2026, 6, 1))}
    assert lignes["HGI"]["echeance"] == J(2029, 12, 31)
    assert lignes["CAUE"]["convention"] is None


def test_the_partners_list_page(client, administrateur, organisation):
    convention(
        organisation["hgi"],
        date_debut=J(2024, 1, 1),
        date_fin=J(2099, 12, 31),
        document=SimpleUploadedFile("convention.pdf", b"%PDF-1.4 signee", content_type="application/pdf"),
    )
    client.force_login(administrateur)
    contenu = client.get(reverse("pilotage_conventions_partenaires")).content.decode()
    assert "Le Président de la structure" in contenu
    assert "31/12/2099" in contenu
    assert "Aucune convention en vigueur" in contenu  # the CAUE
    assert "1 sans convention en vigueur" in contenu
    assert "Télécharger la convention signée" in contenu


def test_a_member_reads_the_partners_list_without_the_document_link(client, chef_hgi, organisation):
    c = convention(
        organisation["hgi"],
        date_fin=J(2099, 12, 31),
        document=SimpleUploadedFile("convention.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    client.force_login(chef_hgi)
    contenu = client.get(reverse("pilotage_conventions_partenaires")).content.decode()
    assert "Le Président de la structure" in contenu
    assert "Télécharger la convention signée" not in contenu
    assert reverse("pilotage_convention_modeladmin_edit", args=[c.pk]) not in contenu
    assert client.get(reverse("pilotage_convention_document", args=[c.pk])).status_code in (302, 403)


def test_the_signed_document_is_private_and_downloaded_by_administrators(client, administrateur, organisation):
    c = convention(
        organisation["hgi"],
        document=SimpleUploadedFile("convention.pdf", b"%PDF-1.4 signee", content_type="application/pdf"),
    )
    with pytest.raises(ValueError):
        c.document.url
    client.force_login(administrateur)
    response = client.get(reverse("pilotage_convention_document", args=[c.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signee"


def test_a_convention_without_document_answers_404(client, administrateur, organisation):
    c = convention(organisation["hgi"])
    client.force_login(administrateur)
    assert client.get(reverse("pilotage_convention_document", args=[c.pk])).status_code == 404


def test_the_admin_form_refuses_an_executable_document_in_french(client, administrateur, organisation):
    client.force_login(administrateur)
    response = client.post(
        reverse("pilotage_convention_modeladmin_create"),
        {
            "structure": organisation["hgi"].pk,
            "intitule": "Convention",
            "date_debut": "2026-01-01",
            "date_fin": "2031-12-31",
            "reconduction": "expresse",
            "signataires": "Le Président",
            "document": SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream"),
        },
    )
    assert response.status_code == 200
    assert "Déposez la convention en PDF, ODT ou DOCX." in response.content.decode()
    assert not Convention.objects.exists()


def test_the_admin_creates_a_convention_with_its_document(client, administrateur, organisation):
    client.force_login(administrateur)
    response = client.post(
        reverse("pilotage_convention_modeladmin_create"),
        {
            "structure": organisation["hgi"].pk,
            "intitule": "Convention plateforme",
            "date_signature": "2025-12-15",
            "date_debut": "2026-01-01",
            "date_fin": "2031-12-31",
            "reconduction": "expresse",
            "signataires": "Le Président",
            "nombre_reconductions": "2",
            "document": SimpleUploadedFile("convention.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    c = Convention.objects.get()
    assert c.document.name.endswith(".pdf")
    assert c.nombre_reconductions is None  # only meaningful for tacit renewal


def test_the_command_records_its_run_for_the_scheduled_jobs_page(db):
    from operations.models import ExecutionTache

    call_command("tache", "relancer_conventions", stdout=open("/dev/null", "w"))
    assert ExecutionTache.objects.get(tache="relancer_conventions").succes
