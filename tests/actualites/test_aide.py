"""The "Aide" menu: the four user guides in the Wagtail admin, the communes' guide on the public
site, the capture images (login required, no path traversal) and the images the guides use."""

import pytest
from django.urls import reverse

from actualites import aide
from tests.intake.depot_helpers import demande_page  # noqa: F401

pytestmark = pytest.mark.django_db

GUIDES_ADMIN = ["traiter-une-demande", "mettre-a-jour-sa-page-et-ses-fiches", "administrer-la-plateforme"]


@pytest.mark.parametrize("slug", list(aide.GUIDES))
def test_aide_guide_renders_inside_the_admin_for_a_back_office_user(client, chef_hgi, slug):
    client.force_login(chef_hgi)
    response = client.get(reverse("actualites_aide_guide", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert aide.GUIDES[slug][0] in html
    assert "<h2>" in html
    assert 'class="guide-aide"' in html
    for nom in aide.captures_du_guide(slug):
        assert f'src="/admin/aide/captures/{nom}"' in html


def test_aide_guide_for_a_partner_contributor_and_an_editor(client, partenaire_caue, editeur):
    for user in (partenaire_caue, editeur):
        client.force_login(user)
        assert (
            client.get(reverse("actualites_aide_guide", args=["mettre-a-jour-sa-page-et-ses-fiches"])).status_code
            == 200
        )


def test_aide_unknown_guide_is_404(client, administrateur):
    client.force_login(administrateur)
    assert client.get("/admin/aide/inconnu/").status_code == 404


def test_aide_menu_shows_the_four_guides(client, rf, expert_caue):
    from wagtail.admin.menu import help_menu

    client.force_login(expert_caue)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for slug in aide.GUIDES:
        assert reverse("actualites_aide_guide", args=[slug]) in html
    request = rf.get("/admin/")
    request.user = expert_caue
    items = help_menu.menu_items_for_request(request)
    assert [item.label for item in items][:4] == [titre for titre, _public in aide.GUIDES.values()]
    assert not any(item.name.startswith("whats-new-in-wagtail") for item in items)


@pytest.mark.parametrize("slug", GUIDES_ADMIN)
def test_aide_admin_guides_refused_to_anonymous_users(client, slug):
    response = client.get(reverse("actualites_aide_guide", args=[slug]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_aide_admin_captures_refused_to_anonymous_users(client):
    response = client.get(reverse("actualites_aide_capture", args=["backoffice-liste.png"]))
    assert response.status_code == 302


def test_aide_public_guide_for_communes(client, home_page):
    response = client.get("/aide/deposer-une-demande/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Déposer une demande</h1>" in html
    assert "Envoyer ma demande" in html
    assert 'src="/aide/captures/depot-formulaire.png"' in html
    assert "/admin/" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_aide_public_captures_only_those_of_the_public_guide(client):
    response = client.get(reverse("aide_capture_publique", args=["depot-suivi.png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(reverse("aide_capture_publique", args=["admin-orienter.png"])).status_code == 404


def test_aide_capture_served_to_back_office_user(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.get(reverse("actualites_aide_capture", args=["backoffice-liste.png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/aide/captures/../../README.md",
        "/admin/aide/captures/..%2F..%2FREADME.md",
        "/admin/aide/captures/..%2Ftraiter-une-demande.md",
        "/admin/aide/captures/%2e%2e%2fcaptures%2fbackoffice-liste.png",
        "/admin/aide/captures/absente.png",
        "/admin/aide/captures/BACKOFFICE-LISTE.PNG",
        "/aide/captures/..%2F..%2Fmanage.py",
    ],
)
def test_aide_capture_path_traversal_is_refused(client, administrateur, url):
    client.force_login(administrateur)
    assert client.get(url).status_code == 404


def test_aide_servir_capture_rejects_names_outside_the_pattern():
    from django.http import Http404

    for nom in ["../settings.py", "a/b.png", ".hidden.png", "x.png\x00.md", "../captures/accueil.png"]:
        with pytest.raises(Http404):
            aide.servir_capture(nom)


def test_aide_every_image_a_guide_references_exists():
    references = set()
    for slug in aide.GUIDES:
        noms = aide.captures_du_guide(slug)
        assert noms, f"le guide {slug} n'a aucune capture"
        for nom in noms:
            assert aide.CAPTURE_NAME.match(nom), nom
            assert (aide.CAPTURES_DIR / nom).is_file(), f"{slug} : capture manquante {nom}"
        references.update(noms)
    # The Makefile copies exactly these names; nothing unused is committed.
    assert references == {chemin.name for chemin in aide.CAPTURES_DIR.glob("*.png")}


def test_aide_raw_html_in_markdown_is_escaped(tmp_path, monkeypatch):
    (tmp_path / "traiter-une-demande.md").write_text(
        "# Titre\n\n<script>alert(1)</script>\n\nTexte <b onclick=x>gras</b> ![x](captures/a.png)\n", encoding="utf-8"
    )
    monkeypatch.setattr(aide, "GUIDES_DIR", tmp_path)
    html = aide.rendre_guide("traiter-une-demande", "/admin/aide/captures/")
    assert "<script>" not in html
    assert "<b onclick" not in html
    assert "&lt;script&gt;" in html
    assert 'src="/admin/aide/captures/a.png"' in html
    assert "Titre" not in html


def test_aide_intake_form_links_to_the_public_guide(client, demande_page):
    response = client.get("/demande/")
    assert response.status_code == 200
    assert 'href="/aide/deposer-une-demande/"' in response.content.decode()
