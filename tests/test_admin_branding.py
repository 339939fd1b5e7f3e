"""The back office carries the platform's name and logo, and its login page is in French."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ENGLISH_WORDS = ["Sign in", "Forgotten password", "Username", "Password", "Remember me", "Enter password", "Skip to"]


def title_of(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def without_scripts(response):
    return re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)


@pytest.mark.django_db
def test_login_page_title_ends_with_the_platform_name(client):
    title = title_of(client.get("/admin/login/"))
    assert title.endswith(settings.PLATEFORME["NOM"].replace("'", "&#x27;"))
    assert "Wagtail" not in title


@pytest.mark.django_db
def test_login_page_is_entirely_in_french(client):
    html = without_scripts(client.get("/admin/login/"))
    for word in ENGLISH_WORDS:
        assert word not in html, word
    assert "Mot de passe" in html
    assert "Se souvenir de moi" in html


@pytest.mark.django_db
def test_login_page_shows_the_platform_name_and_logo_not_wagtails(client):
    html = without_scripts(client.get("/admin/login/"))
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert "Wagtail" not in heading
    assert settings.PLATEFORME["NOM"].replace("'", "&#x27;") in heading
    assert settings.PLATEFORME["LOGO"] in html
    assert 'aria-label="Wagtail"' not in html


@pytest.mark.django_db
def test_failed_login_message_is_in_french(client):
    html = client.post("/admin/login/", {"username": "personne", "password": "faux"}).content.decode()
    assert "didn&#x27;t match" not in html and "didn't match" not in html
    assert "mot de passe" in html.lower()


@pytest.mark.django_db
def test_back_office_pages_carry_the_platform_name_logo_and_icon(client, administrateur):
    client.force_login(administrateur)
    response = client.get("/admin/")
    title = title_of(response)
    assert title.endswith(settings.PLATEFORME["NOM"].replace("'", "&#x27;"))
    assert "Wagtail" not in title
    html = response.content.decode()
    branding = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S).group(1)
    assert settings.PLATEFORME["LOGO"] in branding
    assert settings.PLATEFORME["FAVICON"] in html
    assert "wagtailadmin/images/favicon.ico" not in html


@pytest.mark.django_db
def test_public_pages_link_the_favicon(client):
    response = client.get("/une-page-qui-n-existe-pas/")
    assert response.status_code == 404
    assert (
        f'rel="icon" type="image/svg+xml" href="/static/{settings.PLATEFORME["FAVICON"]}"' in response.content.decode()
    )


def test_favicon_file_is_an_svg_in_the_platform_colour():
    path = finders.find(settings.PLATEFORME["FAVICON"])
    assert path
    content = Path(path).read_text()
    assert content.startswith("<svg")
    assert settings.PLATEFORME["COULEUR_PRINCIPALE"] in content
