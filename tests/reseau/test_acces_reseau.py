"""Personas: nothing of the network's space is reachable anonymously; éditeurs and partner
contributors without a Membre row get no menu and a refusal; members and administrators enter."""

import pytest
from django.urls import reverse

from reseau.wagtail_hooks import MENU_RESEAU


def urls_reseau():
    """Every page of the network's space that takes no argument (menu pages and forms)."""
    return [reverse(url_name) for _, url_name, _ in MENU_RESEAU] + [
        reverse(name) for name in ("reseau_ma_fiche", "reseau_fil_nouveau")
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    for url in urls_reseau():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_editors_and_partners_are_refused_and_see_no_menu(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in urls_reseau():
        assert client.get(url).status_code == 403, url
    accueil = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/reseau/" not in accueil
    assert "Réseau" not in accueil


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_caue", "administrateur"])
def test_members_and_administrators_enter(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in urls_reseau():
        assert client.get(url).status_code == 200, url
    accueil = client.get(reverse("wagtailadmin_home")).content.decode()
    for _, url_name, _ in MENU_RESEAU:
        assert reverse(url_name) in accueil


def test_anonymous_visitors_reach_no_thread_folder_or_document(client, chef_hgi):
    from reseau import discussions, documents
    from reseau.models import Dossier
    from tests.intake.depot_helpers import fichier_pdf

    fil = discussions.ouvrir_fil(auteur=chef_hgi, titre="Sujet", texte="Texte")
    dossier = Dossier.objects.create(nom="Dossier")
    document = documents.deposer(dossier=dossier, titre="Doc", fichier=fichier_pdf(), par=chef_hgi)
    for url in (
        reverse("reseau_fil", args=[fil.pk]),
        reverse("reseau_dossier", args=[dossier.pk]),
        reverse("reseau_telecharger", args=[document.pk]),
        reverse("reseau_publication"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url
        assert client.post(url, {"action": "repondre", "texte": "x"}).status_code == 302, url
    assert fil.messages.count() == 1
