"""What a public site owes: sitemap, robots.txt, titles, descriptions, Open Graph, 404/500,
navigation and footer from the site settings, and the standard pages."""

import pytest
from django.template.loader import render_to_string
from wagtail.models import Site

from actualites.models import ActualitePage, ParametresSite, StandardPage
from operations.donnees_initiales.editorial import pages_obligatoires
from tests.actualites.conftest import make_image
from tests.conftest import publish


def test_sitemap_lists_the_published_pages(client, sections):
    article = publish(sections["actualites"], ActualitePage(title="Article", slug="article", chapo="…"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<urlset" in xml
    for page in [*sections.values(), article]:
        assert page.url in xml


def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    texte = response.content.decode()
    assert "Disallow: /admin/" in texte
    assert "Sitemap: http://testserver/sitemap.xml" in texte


def test_page_title_description_and_open_graph(client, sections):
    page = publish(
        sections["actualites"],
        ActualitePage(
            title="Revel rénove son école",
            slug="revel",
            chapo="Un projet exemplaire de rénovation énergétique.",
            image=make_image(),
            image_texte_alternatif="L'école rénovée",
        ),
    )
    html = client.get(page.url).content.decode()
    assert "<title>Revel rénove son école — Plateforme d&#x27;appui aux territoires</title>" in html
    assert '<meta name="description" content="Un projet exemplaire de rénovation énergétique.">' in html
    assert '<meta property="og:title" content="Revel rénove son école">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://testserver/actualites/revel/">' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html
    assert '<meta property="og:image:alt" content="L&#x27;école rénovée">' in html


def test_search_description_wins_over_the_chapo(client, sections):
    page = ActualitePage(title="A", slug="a", chapo="Chapô.", search_description="Description pour les moteurs.")
    page = publish(sections["actualites"], page)
    assert '<meta name="description" content="Description pour les moteurs.">' in client.get(page.url).content.decode()


def test_default_sharing_image_comes_from_the_site_settings(client, home_page):
    parametres = ParametresSite.for_site(Site.objects.get(is_default_site=True))
    parametres.image_partage = make_image("Partage")
    parametres.save()
    assert '<meta property="og:image" content="http://testserver/media/images/' in client.get("/").content.decode()


def test_404_page_is_useful(client, home_page):
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'action="/catalogue/"' in html
    assert 'href="/demande/"' in html
    assert 'class="lien-evitement"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_500_page_renders_without_context_or_database(settings):
    # No `db` fixture: any query would raise, which is what a 500 page must survive.
    settings.PLATEFORME = {**settings.PLATEFORME, "NOM": "Plateforme du 65", "COURRIEL": "appui@cd65.test"}
    html = render_to_string("500.html")
    assert "Le service rencontre une difficulté" in html
    assert "Plateforme du 65" in html
    assert "mailto:appui@cd65.test" in html


def test_navigation_and_footer_come_from_the_site_settings(client, sections, home_page):
    parametres = ParametresSite.for_site(Site.objects.get(is_default_site=True))
    parametres.navigation = [
        ("lien", {"page": sections["agenda"], "libelle": ""}),
        ("lien", {"libelle": "Déposer une demande", "adresse": "/demande/", "mise_en_avant": True}),
    ]
    parametres.liens_pied = [("lien", {"libelle": "Nous écrire", "adresse": "mailto:equipe@exemple.test"})]
    parametres.save()

    html = client.get("/agenda/").content.decode()

    assert '<a href="/agenda/" aria-current="page">Agenda</a>' in html
    assert '<a href="/demande/" class="bouton bouton--secondaire">Déposer une demande</a>' in html
    assert '<a href="mailto:equipe@exemple.test">Nous écrire</a>' in html
    assert ">Actualités</a>" not in html.split('aria-label="Navigation principale"')[1].split("</nav>")[0]


def test_contact_block_defaults_to_the_platform_settings_and_can_be_overridden(client, home_page, settings):
    html = client.get("/").content.decode()
    assert settings.PLATEFORME["COURRIEL"] in html
    assert settings.PLATEFORME["TELEPHONE"] in html

    parametres = ParametresSite.for_site(Site.objects.get(is_default_site=True))
    parametres.contact_courriel = "equipe.plateforme@exemple.test"
    parametres.contact_telephone = "05 00 00 00 00"
    parametres.save()

    html = client.get("/").content.decode()
    assert 'href="mailto:equipe.plateforme@exemple.test"' in html
    assert 'href="tel:0500000000"' in html


def test_a_menu_link_needs_a_page_or_an_address():
    from wagtail.blocks import StructBlockValidationError

    from actualites.models.reglages import LienBlock

    with pytest.raises(StructBlockValidationError):
        LienBlock().clean(LienBlock().to_python({"libelle": "Vide", "page": None, "adresse": ""}))


def test_mandatory_pages_say_what_they_must(client, home_page):
    for slug, titre, chapo, corps, plan in pages_obligatoires():
        publish(home_page, StandardPage(title=titre, slug=slug, chapo=chapo, corps=corps, afficher_plan_du_site=plan))

    donnees = client.get("/donnees-personnelles/").content.decode()
    for attendu in ["Ce que nous collectons", "Pourquoi", "Combien de temps", "Vos droits", "CNIL"]:
        assert attendu in donnees
    assert "État de conformité" in client.get("/accessibilite/").content.decode()
    assert "Directeur de la publication" in client.get("/mentions-legales/").content.decode()

    plan = client.get("/plan-du-site/").content.decode()
    for slug in ["mentions-legales", "donnees-personnelles", "accessibilite"]:
        assert f'href="/{slug}/"' in plan
