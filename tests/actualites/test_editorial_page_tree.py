"""Each editorial page type is created under the right parent only, and renders."""

import pytest
from django.core.exceptions import ValidationError

from actualites.models import (
    ActualiteIndexPage,
    ActualitePage,
    AgendaPage,
    EvenementPage,
    HomePage,
    RessourceIndexPage,
    RessourcePage,
    StandardPage,
)
from tests.actualites.conftest import dans, make_document
from tests.conftest import publish


@pytest.mark.parametrize(
    "model, parents_autorises",
    [
        (StandardPage, {HomePage, StandardPage}),
        (ActualiteIndexPage, {HomePage}),
        (ActualitePage, {ActualiteIndexPage}),
        (AgendaPage, {HomePage}),
        (EvenementPage, {AgendaPage}),
        (RessourceIndexPage, {HomePage}),
        (RessourcePage, {RessourceIndexPage}),
    ],
)
def test_each_page_type_has_its_allowed_parents(model, parents_autorises):
    for parent in [HomePage, StandardPage, ActualiteIndexPage, AgendaPage, RessourceIndexPage, ActualitePage]:
        assert (model in parent.allowed_subpage_models()) == (parent in parents_autorises), (model, parent)


def test_a_second_actualites_index_cannot_be_created(sections, home_page):
    assert not ActualiteIndexPage.can_create_at(home_page)
    assert not AgendaPage.can_create_at(home_page)
    assert StandardPage.can_create_at(home_page)


def test_the_admin_refuses_an_article_under_the_agenda(client, administrateur, sections):
    assert not ActualitePage.can_create_at(sections["agenda"])
    assert ActualitePage.can_create_at(sections["actualites"])
    client.force_login(administrateur)
    response = client.get(f"/admin/pages/add/actualites/actualitepage/{sections['agenda'].pk}/")
    assert response.status_code in (302, 403)
    assert client.get(f"/admin/pages/add/actualites/actualitepage/{sections['actualites'].pk}/").status_code == 200


def test_every_editorial_page_renders(client, sections, home_page):
    article = publish(
        sections["actualites"], ActualitePage(title="Une actualité", slug="une-actualite", chapo="Chapô.")
    )
    evenement = publish(
        sections["agenda"],
        EvenementPage(title="Salon des maires", slug="salon", chapo="Le salon.", lieu="Toulouse", date_debut=dans(10)),
    )
    ressource = publish(
        sections["ressources"],
        RessourcePage(title="Guide", slug="guide", resume="Le guide.", document=make_document()),
    )
    standard = publish(home_page, StandardPage(title="Mentions légales", slug="mentions-legales", chapo="Qui édite."))
    for page in [home_page, *sections.values(), article, evenement, ressource, standard]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title.encode() in response.content or page is home_page


def test_event_end_before_start_is_refused(sections):
    evenement = EvenementPage(
        title="Comité", slug="comite", chapo="…", lieu="Toulouse", date_debut=dans(5), date_fin=dans(4)
    )
    with pytest.raises(ValidationError) as erreur:
        sections["agenda"].add_child(instance=evenement)
    assert "date_fin" in erreur.value.message_dict
