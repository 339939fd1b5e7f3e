"""The back-office pages per persona: list, detail, actions, attachments, history."""

import html

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import Demande, PieceJointe
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_en_retard, demande_hgi, inspect_url
from tests.intake.depot_helpers import catalogue, thematiques  # noqa: F401

S = Demande.Statut
pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"


PDF_MINIMAL = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _piece_jointe(demande):
    return PieceJointe.objects.create(
        demande=demande,
        fichier=ContentFile(b"plan", name="plan.pdf"),
        nom_original="plan.pdf",
        type_mime="application/pdf",
        taille=4,
    )


# --- list -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrateur", "chef_hgi", "expert_hgi", "expert_caue", "chef_caue"])
def test_every_back_office_user_sees_the_list_without_personal_data(client, organisation, persona, request):
    demande = demande_hgi(organisation, demandeur_nom="Dupuy-Secret")
    client.force_login(request.getfixturevalue(persona))
    # Members open on their own demandes; « Toutes les demandes » is the whole list.
    response = client.get(LIST_URL + "?mes=toutes")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"n°{demande.numero}" in content
    assert "Dupuy-Secret" not in content
    assert demande.demandeur_email not in content


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_editors_and_partner_contributors_do_not_see_the_list(client, organisation, persona, request):
    demande_hgi(organisation)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST_URL)
    assert response.status_code in (302, 403)


def test_list_links_to_detail_only_when_allowed(client, organisation, expert_caue, chef_hgi):
    demande = demande_hgi(organisation)
    client.force_login(expert_caue)
    assert inspect_url(demande) not in client.get(LIST_URL).content.decode()
    client.force_login(chef_hgi)
    assert inspect_url(demande) in client.get(LIST_URL).content.decode()


def test_list_has_no_edit_nor_delete_link(client, organisation, administrateur):
    demande = demande_hgi(organisation)
    client.force_login(administrateur)
    content = client.get(LIST_URL).content.decode()
    assert f"/admin/intake/demande/edit/{demande.pk}/" not in content
    assert f"/admin/intake/demande/delete/{demande.pk}/" not in content
    assert client.get(f"/admin/intake/demande/edit/{demande.pk}/").status_code == 404
    assert client.post(f"/admin/intake/demande/delete/{demande.pk}/").status_code == 404
    assert Demande.objects.filter(pk=demande.pk).exists()


def test_filter_en_retard_shows_only_overdue(client, organisation, chef_hgi):
    en_retard = demande_en_retard(organisation)
    a_l_heure = demande_hgi(organisation)
    client.force_login(chef_hgi)
    content = client.get(LIST_URL + "?retard=oui").content.decode()
    assert f"n°{en_retard.numero}" in content
    assert f"n°{a_l_heure.numero}" not in content
    assert "En retard" in content


def test_filter_mes_demandes_and_search(client, organisation, expert_hgi):
    mienne = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    autre = DemandeFactory(
        direction=organisation["caue_direction"], statut=S.ATTRIBUE_CHEF_DE_FILE, collectivite__nom="Saint-Gaudens"
    )
    client.force_login(expert_hgi)
    content = client.get(LIST_URL + "?mes=suivies").content.decode()
    assert f"n°{mienne.numero}" in content and f"n°{autre.numero}" not in content
    content = client.get(LIST_URL + f"?q={autre.collectivite.nom}").content.decode()
    assert f"n°{autre.numero}" in content and f"n°{mienne.numero}" not in content


@pytest.mark.parametrize("params", ["?statut__exact=en_cours", "?annee=2026", "?structure=1", "?epci=1", "?o=3"])
def test_filters_and_sorting_answer(client, organisation, administrateur, params):
    demande_hgi(organisation)
    client.force_login(administrateur)
    assert client.get(LIST_URL + params).status_code == 200


def test_list_query_count_does_not_grow_with_rows(
    client, organisation, chef_hgi, expert_hgi, django_assert_max_num_queries
):
    client.force_login(chef_hgi)
    for _ in range(3):
        demande_hgi(organisation).experts_associes.add(expert_hgi)
    client.get(LIST_URL)
    with django_assert_max_num_queries(40) as few:
        client.get(LIST_URL)
    peu = len(few.captured_queries)
    for _ in range(25):
        demande_hgi(organisation).experts_associes.add(expert_hgi)
    client.get(LIST_URL)  # the total « sur Y » is counted again once after new demandes
    with django_assert_max_num_queries(peu):
        client.get(LIST_URL)


def test_the_total_of_the_list_counts_a_new_demande_at_once(client, organisation, chef_hgi):
    """« X sur Y »: Y is kept in the cache, under the last demande's number."""
    client.force_login(chef_hgi)
    demande_hgi(organisation)
    assert client.get(LIST_URL).context["all_count"] == 1
    demande_hgi(organisation, direction=organisation["caue_direction"])
    assert client.get(LIST_URL).context["all_count"] == 2
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(LIST_URL).context["all_count"] == 2
    assert not [
        q for q in requetes.captured_queries if q["sql"] == 'SELECT COUNT(*) AS "__count" FROM "intake_demande"'
    ]


def test_list_counts_once_unfiltered_and_shows_both_counts_filtered(client, organisation, administrateur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    demande_hgi(organisation, statut=S.EN_COURS)
    demande_hgi(organisation)
    demande_hgi(organisation)
    client.force_login(administrateur)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(LIST_URL)
    comptes = [
        q["sql"]
        for q in requetes.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "intake_demande"')
    ]
    assert len(comptes) == 1
    assert (response.context["result_count"], response.context["all_count"]) == (3, 3)
    assert response.context["paginator"].count == 3
    response = client.get(LIST_URL + "?statut__exact=en_cours")
    assert (response.context["result_count"], response.context["all_count"]) == (1, 3)
    response = client.get(LIST_URL + "?q=inexistant")
    assert (response.context["result_count"], response.context["all_count"]) == (0, 3)


def test_fiche_filter_lists_titles_and_filters(client, organisation, administrateur, catalogue):
    fiche = catalogue["complexe"]
    avec = demande_hgi(organisation, fiche=fiche)
    sans = demande_hgi(organisation)
    client.force_login(administrateur)
    content = client.get(LIST_URL).content.decode()
    assert html.escape(fiche.title) in content
    content = client.get(LIST_URL + f"?fiche__id__exact={fiche.pk}").content.decode()
    assert f"n°{avec.numero}" in content and f"n°{sans.numero}" not in content


# --- detail -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["administrateur", "chef_hgi"])
def test_detail_shows_personal_data_to_those_handling_it(client, organisation, persona, request):
    demande = demande_hgi(organisation, demandeur_nom="Dupuy-Secret")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(inspect_url(demande))
    assert response.status_code == 200
    assert "Dupuy-Secret" in response.content.decode()


def test_referent_and_associated_expert_see_the_detail(client, organisation, expert_hgi, expert_caue):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    demande.experts_associes.add(expert_caue)
    for user in (expert_hgi, expert_caue):
        client.force_login(user)
        assert client.get(inspect_url(demande)).status_code == 200


def test_expert_of_another_structure_guessing_urls_sees_nothing(client, organisation, expert_caue, expert_hgi):
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi, demandeur_nom="Dupuy-Secret")
    piece = _piece_jointe(demande)
    client.force_login(expert_caue)
    responses = [
        client.get(inspect_url(demande)),
        client.get(f"/demandes/pieces-jointes/{piece.pk}/"),
        client.post(
            f"/admin/intake/demande/suivi/{demande.pk}/statut/", {"statut": S.TERMINE, "version": demande.version}
        ),
        client.post(f"/admin/intake/demande/suivi/{demande.pk}/journal/", {"type": "note", "message": "x"}),
        client.post(
            f"/admin/intake/demande/suivi/{demande.pk}/premier-contact/",
            {"date": timezone.localdate().isoformat(), "version": demande.version},
        ),
        client.post(f"/admin/intake/demande/suivi/{demande.pk}/affectation/", {"version": demande.version}),
        client.post(f"/admin/intake/demande/suivi/{demande.pk}/orientation/", {"version": demande.version}),
    ]
    for response in responses:
        assert response.status_code in (403, 404)
        assert b"Dupuy-Secret" not in response.content
    demande.refresh_from_db()
    assert demande.statut == S.EN_COURS and not demande.journal.exists()


def test_detail_shows_only_actions_the_user_may_take(client, organisation, chef_hgi, expert_hgi):
    demande = demande_hgi(organisation)
    client.force_login(expert_hgi)
    demande.experts_associes.add(expert_hgi)
    content = client.get(inspect_url(demande)).content.decode()
    assert "Confirmer la réception" not in content
    assert "Désigner les experts" not in content
    client.force_login(chef_hgi)
    content = client.get(inspect_url(demande)).content.decode()
    assert "Confirmer la réception" in content
    assert "Désigner les experts" in content
    assert "Orienter la demande" not in content


def test_attachment_served_to_allowed_user_only(client, organisation, chef_hgi, chef_caue):
    demande = demande_hgi(organisation)
    piece = _piece_jointe(demande)
    client.force_login(chef_hgi)
    response = client.get(f"/demandes/pieces-jointes/{piece.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"plan"
    client.force_login(chef_caue)
    assert client.get(f"/demandes/pieces-jointes/{piece.pk}/").status_code == 404


# --- actions ----------------------------------------------------------------------------


def test_status_action_through_the_view(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/statut/",
        {"statut": S.RECEPTIONNE_CHEF_DE_FILE, "version": demande.version},
    )
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == S.RECEPTIONNE_CHEF_DE_FILE
    assert demande.history.first().history_user == chef_hgi


def test_status_action_refused_by_role_gives_403(client, organisation, expert_hgi):
    demande = demande_hgi(organisation)
    demande.experts_associes.add(expert_hgi)
    client.force_login(expert_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/statut/",
        {"statut": S.RECEPTIONNE_CHEF_DE_FILE, "version": demande.version},
    )
    assert response.status_code == 403
    demande.refresh_from_db()
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE


def test_missing_reason_keeps_the_user_on_the_page_with_message(client, organisation, chef_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/statut/",
        {"statut": S.REJETE, "motif": "", "version": demande.version},
    )
    assert response.status_code == 400
    assert "Indiquez le motif" in response.content.decode()


def test_stale_form_gets_a_clear_message_and_keeps_the_typed_text(client, organisation, chef_hgi, administrateur):
    demande = demande_hgi(organisation)
    version = demande.version
    demande.transition_to(S.RECEPTIONNE_CHEF_DE_FILE, by=administrateur)
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/statut/",
        {"statut": S.REJETE, "motif": "Motif longuement rédigé", "version": version},
    )
    assert response.status_code == 409
    content = html.unescape(response.content.decode())
    assert "modifiée par quelqu'un d'autre" in content
    assert "Motif longuement rédigé" in content
    demande.refresh_from_db()
    assert demande.statut == S.RECEPTIONNE_CHEF_DE_FILE


def test_stale_journal_is_not_lost(client, organisation, chef_hgi, administrateur):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    demande.transition_to(S.RECEPTIONNE_CHEF_DE_FILE, by=administrateur)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/", {"type": "appel", "message": "Appel au maire"}
    )
    assert response.status_code == 302
    assert demande.journal.get().message == "Appel au maire"


def test_assignment_view_by_chef_de_file(client, organisation, chef_hgi, expert_hgi):
    demande = demande_hgi(organisation)
    client.force_login(chef_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/affectation/",
        {
            "expert_referent": expert_hgi.pk,
            "version": demande.version,
            "directions_associees": [organisation["caue_direction"].pk],
        },
    )
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.expert_referent == expert_hgi
    assert demande.statut == S.ATTRIBUE_EXPERT
    content = client.get(inspect_url(demande)).content.decode()
    assert "Directions associées" in content and "Expert référent" in content


def test_journal_with_attachment_then_timeline_and_history(client, organisation, expert_hgi):
    from django.core.files.uploadedfile import SimpleUploadedFile

    demande = demande_hgi(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    client.post(f"/admin/intake/demande/suivi/{demande.pk}/statut/", {"statut": S.EN_COURS, "version": demande.version})
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/",
        {"type": "visite", "message": "Visite de la mairie", "fichiers": [SimpleUploadedFile("cr.pdf", PDF_MINIMAL)]},
    )
    assert response.status_code == 302
    entree = demande.journal.get()
    piece = entree.pieces_jointes.get()
    assert piece.nom_original == "cr.pdf" and piece.type_mime == "application/pdf"
    content = client.get(inspect_url(demande)).content.decode()
    assert "Visite de la mairie" in content
    assert "Statut : En cours" in content
    assert "Attribué expert(s) → En cours" in content


def test_journal_refuses_a_disguised_attachment_and_keeps_the_message(client, organisation, expert_hgi):
    from django.core.files.uploadedfile import SimpleUploadedFile

    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/",
        {
            "type": "note",
            "message": "Note avec un faux PDF",
            "fichiers": [SimpleUploadedFile("cr.pdf", b"MZ\x90\x00binaire")],
        },
    )
    assert response.status_code in (200, 400)
    assert "format accepté" in response.content.decode()
    assert "Note avec un faux PDF" in response.content.decode()
    assert not demande.journal.exists()


def test_first_contact_view(client, organisation, expert_hgi):
    demande = demande_en_retard(organisation, statut=S.ATTRIBUE_EXPERT, expert_referent=expert_hgi)
    client.force_login(expert_hgi)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/premier-contact/",
        {"date": timezone.localdate().isoformat(), "version": demande.version},
    )
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.premier_contact_le == timezone.localdate()


def test_orientation_view_for_administrator_only(client, organisation, administrateur, chef_hgi):
    demande = DemandeFactory(statut=S.ATTRIBUE_ADMIN, message="Révision du PLU et urbanisme")
    client.force_login(chef_hgi)
    assert client.get(inspect_url(demande)).status_code == 404
    client.force_login(administrateur)
    assert "Orienter la demande" in client.get(inspect_url(demande)).content.decode()
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/orientation/",
        {"direction": organisation["hgi_juridique"].pk, "version": demande.version},
    )
    assert response.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE


def test_create_button_leads_to_cas_2_form_or_back_to_list(client, organisation, chef_hgi, partenaire_caue):
    client.force_login(chef_hgi)
    response = client.get("/admin/intake/demande/create/")
    assert response.status_code == 302
    client.force_login(partenaire_caue)
    assert client.get("/admin/intake/demande/create/").status_code in (302, 403)


def test_dashboard_panels(client, organisation, chef_hgi):
    en_retard = demande_en_retard(organisation)
    client.force_login(chef_hgi)
    content = client.get("/admin/").content.decode()
    assert "Demandes à traiter maintenant" in content
    assert "Demandes en retard" in content
    assert f"n°{en_retard.numero}" in content


def test_dashboard_has_no_demandes_panel_for_editor(client, editeur):
    content = client.get("/admin/").content.decode() if client.force_login(editeur) is None else ""
    assert "Demandes en retard" not in content


def test_dashboard_for_administrator_lists_free_requests_to_route(client, administrateur):
    libre = DemandeFactory(statut=S.ATTRIBUE_ADMIN)
    client.force_login(administrateur)
    content = client.get("/admin/").content.decode()
    assert f"n°{libre.numero}" in content
    assert inspect_url(libre) in content


def test_search_by_numero(client, organisation, chef_hgi):
    cherchee = demande_hgi(organisation, numero=4242)
    autre = demande_hgi(organisation, numero=1717)
    client.force_login(chef_hgi)
    content = client.get(LIST_URL + "?q=4242").content.decode()
    assert f"n°{cherchee.numero}" in content and f"n°{autre.numero}" not in content
