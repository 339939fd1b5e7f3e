"""Ressources: filters, and reserved ressources never reachable anonymously, file URL included."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from actualites.models import RessourcePage, collection_reservee
from tests.actualites.conftest import make_document
from tests.conftest import publish
from tests.factories import ThematiqueFactory


def ressource(index, slug, reservee=False, document=None, **valeurs):
    thematiques = valeurs.pop("thematiques", [])
    structures = valeurs.pop("structures", [])
    page = RessourcePage(
        title=valeurs.pop("title", slug.capitalize()),
        slug=slug,
        resume="Résumé.",
        document=document or make_document(f"Document {slug}", filename=f"{slug}.pdf"),
        reservee=reservee,
        **valeurs,
    )
    page.thematiques.set(thematiques)
    page.structures.set(structures)
    return publish(index, page)


@pytest.fixture
def bibliotheque(sections):
    index = sections["ressources"]
    return {
        "publique": ressource(index, "guide-public", type_ressource=RessourcePage.Type.GUIDE),
        "reservee": ressource(
            index, "compte-rendu-copil", reservee=True, type_ressource=RessourcePage.Type.COMPTE_RENDU
        ),
    }


def titres(response):
    return sorted(page.title for page in response.context["ressources"])


def test_publishing_a_reserved_ressource_protects_the_page_and_moves_the_document(bibliotheque):
    reservee = bibliotheque["reservee"]
    reservee.document.refresh_from_db()
    assert PageViewRestriction.objects.filter(page=reservee, restriction_type=PageViewRestriction.LOGIN).exists()
    assert reservee.document.collection == collection_reservee()
    assert not PageViewRestriction.objects.filter(page=bibliotheque["publique"]).exists()


def test_anonymous_visitors_do_not_see_reserved_ressources_listed(client, bibliotheque):
    response = client.get("/ressources/")
    assert titres(response) == ["Guide-public"]
    assert b"Compte-rendu-copil" not in response.content


def test_logged_in_network_members_see_reserved_ressources(client, expert_hgi, bibliotheque):
    client.force_login(expert_hgi)
    response = client.get("/ressources/")
    assert titres(response) == ["Compte-rendu-copil", "Guide-public"]
    assert "Réservée au réseau" in response.content.decode()


def test_anonymous_is_sent_to_login_for_a_reserved_ressource_page(client, bibliotheque):
    response = client.get(bibliotheque["reservee"].url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"] or "/login/" in response["Location"]
    assert b"Compte-rendu-copil" not in response.content


def test_anonymous_is_refused_the_reserved_document_url(client, bibliotheque):
    document = bibliotheque["reservee"].document
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not getattr(response, "streaming", False)


def test_the_media_file_of_a_reserved_document_is_not_served(client, bibliotheque):
    document = bibliotheque["reservee"].document
    assert document.file.url.startswith("/media/documents/")
    assert client.get(document.file.url).status_code == 404


def test_logged_in_user_downloads_the_reserved_document(client, expert_hgi, bibliotheque):
    client.force_login(expert_hgi)
    assert client.get(bibliotheque["reservee"].url).status_code == 200
    response = client.get(bibliotheque["reservee"].document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_public_document_is_downloadable_anonymously(client, bibliotheque):
    response = client.get(bibliotheque["publique"].document.url)
    assert response.status_code == 200


def test_reserved_ressources_are_absent_from_the_anonymous_api(client, bibliotheque):
    pages = client.get("/api/v2/pages/?type=actualites.RessourcePage&fields=document").json()
    assert [item["title"] for item in pages["items"]] == ["Guide-public"]
    documents = client.get("/api/v2/documents/").json()
    assert [item["title"] for item in documents["items"]] == ["Document guide-public"]
    assert client.get(f"/api/v2/pages/{bibliotheque['reservee'].pk}/").status_code == 404


def test_reserved_ressources_are_absent_from_the_sitemap(client, bibliotheque):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/ressources/guide-public/" in xml
    assert "compte-rendu-copil" not in xml


def test_a_public_ressource_may_not_point_to_a_reserved_document(sections):
    document = make_document("Annuaire", collection=collection_reservee(), filename="annuaire.pdf")
    with pytest.raises(ValidationError) as erreur:
        ressource(sections["ressources"], "annuaire", document=document)
    assert "reservee" in erreur.value.message_dict


def test_unreserving_removes_the_page_restriction(bibliotheque):
    page = bibliotheque["reservee"]
    page.reservee = False
    page.document = make_document("Version publique", filename="publique.pdf")
    page.save_revision().publish()
    assert not PageViewRestriction.objects.filter(page=page).exists()


def test_ressources_filter_by_thematique_structure_and_type(client, sections, organisation):
    index = sections["ressources"]
    urbanisme = ThematiqueFactory(nom="Urbanisme")
    ressource(index, "modele-plu", type_ressource=RessourcePage.Type.MODELE, thematiques=[urbanisme])
    ressource(index, "guide-caue", type_ressource=RessourcePage.Type.GUIDE, structures=[organisation["caue"]])
    ressource(
        index, "presentation-hgi", type_ressource=RessourcePage.Type.PRESENTATION, structures=[organisation["hgi"]]
    )

    assert titres(client.get(f"/ressources/?thematique={urbanisme.slug}")) == ["Modele-plu"]
    assert titres(client.get("/ressources/?structure=caue")) == ["Guide-caue"]
    assert titres(client.get("/ressources/?type=presentation")) == ["Presentation-hgi"]
    assert titres(client.get("/ressources/?type=guide&structure=hgi")) == []
