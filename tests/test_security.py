import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_security_headers_are_sent_on_public_and_admin_pages(client, home_page, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def test_public_pages_forbid_inline_scripts(client, home_page):
    csp = client.get("/").headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split("; ") if part.startswith("script-src"))
    assert "unsafe-inline" not in script_src


def test_login_locks_after_repeated_failures_even_with_the_right_password(client, settings, home_page):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("victime", password="le-bon-mot-de-passe")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "victime", "password": "mauvais"})
    response = client.post("/admin/login/", {"username": "victime", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 429
    assert "temporairement verrouillé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client, settings, home_page):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("distrait", password="le-bon-mot-de-passe")
    for _ in range(2):
        client.post("/admin/login/", {"username": "distrait", "password": "mauvais"})
    assert client.post("/admin/login/", {"username": "distrait", "password": "le-bon-mot-de-passe"}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post("/admin/login/", {"username": "distrait", "password": "mauvais"})
    assert client.post("/admin/login/", {"username": "distrait", "password": "le-bon-mot-de-passe"}).status_code == 302


@pytest.mark.parametrize("url", ["/admin/", "/admin/account/", "/admin/users/"])
def test_the_admin_sends_no_agent_email_hash_to_gravatar(client, administrateur, url):
    client.force_login(administrateur)
    response = client.get(url)
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()
    assert "avatar" in response.content.decode()  # the avatar is still drawn, from the platform itself
