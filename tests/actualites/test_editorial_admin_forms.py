"""Editors edit every editorial page type and the site settings; partner contributors do not."""

from wagtail.models import Site

from actualites.models import ActualitePage, EvenementPage, ParametresSite, RessourcePage, StandardPage
from tests.actualites.conftest import dans, make_document
from tests.conftest import publish


def test_editor_opens_the_edit_form_of_every_editorial_page_type(client, editeur, sections, home_page):
    pages = [
        home_page,
        *sections.values(),
        publish(sections["actualites"], ActualitePage(title="Article", slug="article", chapo="…")),
        publish(
            sections["agenda"], EvenementPage(title="Salon", slug="salon", chapo="…", lieu="L", date_debut=dans(2))
        ),
        publish(
            sections["ressources"], RessourcePage(title="Guide", slug="guide", resume="…", document=make_document())
        ),
        publish(home_page, StandardPage(title="Mentions", slug="mentions")),
    ]
    client.force_login(editeur)
    for page in pages:
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, page
    assert client.get(f"/admin/pages/add/actualites/actualitepage/{sections['actualites'].pk}/").status_code == 200


def test_editor_edits_the_site_settings(client, editeur, home_page):
    site = Site.objects.get(is_default_site=True)
    client.force_login(editeur)
    response = client.get(f"/admin/settings/actualites/parametressite/{site.pk}/")
    assert response.status_code == 200
    assert "Contact de l&#x27;équipe de la plateforme" in response.content.decode()


def test_partner_contributor_cannot_edit_the_site_settings(client, partenaire_caue, home_page):
    site = Site.objects.get(is_default_site=True)
    client.force_login(partenaire_caue)
    response = client.get(f"/admin/settings/actualites/parametressite/{site.pk}/")
    assert response.status_code in (302, 403)
    assert ParametresSite.for_site(site).contact_courriel == ""
