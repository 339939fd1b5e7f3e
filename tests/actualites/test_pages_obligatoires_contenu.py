"""What the obligatory pages say (accessibility statement, legal notice), where the communes'
help page is linked, and how a second load of the initial data treats these pages."""

import datetime

import pytest
from django.utils.html import escape

from actualites.models import StandardPage
from operations.donnees_initiales.editorial import load_pages_obligatoires

AIDE = 'href="/aide/deposer-une-demande/"'


@pytest.fixture
def plateforme(settings):
    """Change some of the platform's identity settings for one test."""

    def regler(**valeurs):
        settings.PLATEFORME = {**settings.PLATEFORME, **valeurs}

    return regler


def texte(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_page_links_the_communes_help_page(client, home_page):
    html = texte(client, "/")
    contenu = html.split('id="contenu"', 1)[1].split('class="pied"', 1)[0]
    assert AIDE in contenu


def test_footer_links_the_communes_help_page(client, home_page):
    pied = texte(client, "/").split('class="pied"', 1)[1]
    assert AIDE in pied


def test_footer_keeps_the_help_link_when_editors_set_the_footer_links(client, home_page):
    from wagtail.models import Site

    from actualites.models import ParametresSite

    parametres = ParametresSite.for_site(Site.objects.get(root_page=home_page))
    parametres.liens_pied = [("lien", {"libelle": "Mentions légales", "adresse": "/mentions-legales/"})]
    parametres.save()
    pied = texte(client, "/").split('class="pied"', 1)[1]
    assert 'href="/mentions-legales/"' in pied
    assert AIDE in pied


def test_site_map_links_the_communes_help_page(client, home_page):
    load_pages_obligatoires(home_page)
    plan = texte(client, "/plan-du-site/").split('class="plan-du-site"', 1)[1]
    assert AIDE in plan


def test_help_page_linked_everywhere_exists(client, home_page):
    assert client.get("/aide/deposer-une-demande/").status_code == 200


def test_accessibility_statement_gives_rate_date_test_environment_and_defenseur_des_droits(
    client, home_page, plateforme
):
    plateforme(ACCESSIBILITE_TAUX=72, ACCESSIBILITE_DATE=datetime.date(2026, 11, 15))
    load_pages_obligatoires(home_page)
    html = texte(client, "/accessibilite/")
    assert "partiellement conforme" in html
    assert "Auto-évaluation du 15 novembre 2026 : 72 % des critères RGAA 4.1" in html
    assert "Cette déclaration a été établie le 15 novembre 2026." in html
    assert "Environnement de test" in html
    for outil in ["NVDA", "VoiceOver", "Firefox", "Safari"]:
        assert outil in html
    assert "Défenseur des droits" in html
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert 'href="https://formulaire.defenseurdesdroits.fr/"' in html


def test_accessibility_statement_says_the_rate_is_not_measured_until_a_self_assessment(client, home_page):
    load_pages_obligatoires(home_page)
    html = texte(client, "/accessibilite/")
    assert "Taux de conformité : pas encore mesuré" in html
    assert "% des critères" not in html
    # Without any measure the RGAA's rule is « non conforme », on the statement and in the footer.
    assert "Le site est non conforme" in html
    assert "partiellement conforme" not in html
    assert "Accessibilité : non conforme" in html
    # Dated anyway: the day the statement was published.
    page = StandardPage.objects.get(slug="accessibilite")
    assert "Cette déclaration a été établie le" in html
    assert str(page.first_published_at.year) in html.split("Cette déclaration a été établie le", 1)[1][:40]


@pytest.mark.parametrize(
    "taux, etat",
    [
        (None, "non conforme"),
        (0, "non conforme"),
        (49, "non conforme"),
        (50, "partiellement conforme"),
        (99, "partiellement conforme"),
        (100, "totalement conforme"),
    ],
)
def test_conformance_state_follows_the_rgaa_rule(client, home_page, plateforme, taux, etat):
    from operations.donnees_initiales.editorial import etat_de_conformite

    plateforme(ACCESSIBILITE_TAUX=taux)
    assert etat_de_conformite() == etat
    load_pages_obligatoires(home_page)
    html = texte(client, "/accessibilite/")
    assert f"Le site est {etat} au référentiel" in html
    assert f"Accessibilité : {etat}</a>" in html


def test_a_rate_outside_0_to_100_is_refused_at_startup(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env
    from config.settings.base import _pourcentage_ou_rien

    monkeypatch.setenv("PLATEFORME_ACCESSIBILITE_TAUX", "140")
    with pytest.raises(ImproperlyConfigured):
        env("PLATEFORME_ACCESSIBILITE_TAUX", None, cast=_pourcentage_ou_rien)
    monkeypatch.setenv("PLATEFORME_ACCESSIBILITE_TAUX", "")
    assert env("PLATEFORME_ACCESSIBILITE_TAUX", None, cast=_pourcentage_ou_rien) is None


def test_legal_notice_names_the_departement_as_host_by_default(client, home_page, settings):
    load_pages_obligatoires(home_page)
    html = texte(client, "/mentions-legales/")
    attendu = f"hébergé par le {settings.PLATEFORME['DEPARTEMENT_NOM']}, {settings.PLATEFORME['ADRESSE']}"
    assert escape(attendu) in html or attendu in html


def test_legal_notice_names_the_host_of_the_settings(client, home_page, plateforme):
    plateforme(
        HEBERGEUR_NOM="Hébergeur Exemple SAS",
        HEBERGEUR_ADRESSE="2 rue Kellermann, 59100 Roubaix",
        HEBERGEUR_TELEPHONE="09 72 10 10 07",
    )
    load_pages_obligatoires(home_page)
    html = texte(client, "/mentions-legales/")
    assert "Hébergeur Exemple SAS, 2 rue Kellermann, 59100 Roubaix" in html
    assert "09 72 10 10 07" in html


def test_a_second_load_updates_a_page_nobody_edited(client, home_page, plateforme):
    load_pages_obligatoires(home_page)
    plateforme(HEBERGEUR_NOM="Hébergeur Exemple SAS")
    assert load_pages_obligatoires(home_page) == 0
    assert "Hébergeur Exemple SAS" in texte(client, "/mentions-legales/")


def test_a_second_load_never_overwrites_an_editors_text(client, home_page, plateforme, editeur):
    load_pages_obligatoires(home_page)
    page = StandardPage.objects.get(slug="mentions-legales")
    page.chapo = "Texte revu par le service juridique."
    page.save_revision(user=editeur).publish()
    plateforme(HEBERGEUR_NOM="Hébergeur Exemple SAS")
    load_pages_obligatoires(home_page)
    html = texte(client, "/mentions-legales/")
    assert "Texte revu par le service juridique." in html
    assert "Hébergeur Exemple SAS" not in html


def test_a_second_load_leaves_an_editors_draft_alone(home_page, plateforme, editeur):
    load_pages_obligatoires(home_page)
    page = StandardPage.objects.get(slug="mentions-legales")
    page.chapo = "Brouillon du service juridique."
    page.save_revision(user=editeur)
    plateforme(HEBERGEUR_NOM="Hébergeur Exemple SAS")
    load_pages_obligatoires(home_page)
    page.refresh_from_db()
    assert page.get_latest_revision().user == editeur
    assert "Hébergeur Exemple SAS" not in str(page.corps.raw_data)


def test_a_second_load_with_the_same_text_adds_no_revision(home_page):
    load_pages_obligatoires(home_page)
    revisions = {p.slug: p.revisions.count() for p in StandardPage.objects.all()}
    load_pages_obligatoires(home_page)
    assert {p.slug: p.revisions.count() for p in StandardPage.objects.all()} == revisions


def test_the_statement_writes_the_first_of_the_month_the_french_way(client, home_page, plateforme):
    plateforme(ACCESSIBILITE_TAUX=72, ACCESSIBILITE_DATE=datetime.date(2026, 12, 1))
    load_pages_obligatoires(home_page)
    html = texte(client, "/accessibilite/")
    assert "Auto-évaluation du 1er décembre 2026" in html
    assert "établie le 1er décembre 2026." in html
