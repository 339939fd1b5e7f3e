"""Every admin menu entry and every modeladmin page, walked as each persona.

No page answers 500; a menu entry a persona sees never leads to a refusal; a page a persona
may not see answers a refusal (302 to the dashboard, 403 or 404); the demandeur's email
never appears in a page of a persona who may not see the demande's detail."""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

from intake.models import Demande, Notification
from reseau.models import Dossier
from tests.intake.backoffice_support import demande_hgi
from tests.pilotage.helpers import un_de_chaque

pytestmark = pytest.mark.django_db

PERSONAS = ["administrateur", "editeur", "chef_hgi", "expert_hgi", "expert_caue", "partenaire_caue"]
EMAIL = "demandeur.secret@mairie.test"
# Who may see the detail of the HGI demande: the administrator, the chef
# de file of its direction and its expert référent.
VOIENT_LA_DEMANDE = {"administrateur", "chef_hgi", "expert_hgi"}
MEMBRES = {"chef_hgi", "expert_hgi", "expert_caue"}
REFUS = (302, 403, 404)
DASHBOARD = "/admin/"
MODELADMIN_URL = re.compile(r"^(?P<app>\w+?)_(?P<model>[a-z0-9]+)_modeladmin_(?P<action>\w+)$")


@pytest.fixture
def donnees(organisation, expert_hgi, chef_hgi, expert_caue):
    demande = demande_hgi(organisation, demandeur_email=EMAIL, expert_referent=expert_hgi)
    Notification.objects.create(to=[EMAIL], subject=f"Accusé de réception {EMAIL}", body="Bonjour", demande=demande)
    Dossier.objects.create(nom="Comité technique")  # the network's folders have a modeladmin too
    un_de_chaque(organisation)  # the steering models (pilotage)
    return demande


def _modeladmin_urls():
    """(app_label, model_name, action) of every URL wagtail-modeladmin registered."""
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                match = MODELADMIN_URL.match(pattern.name)
                if match:
                    found.add((match["app"], match["model"], match["action"]))

    walk(get_resolver().url_patterns)
    return sorted(found)


def _url(app, model, action, obj):
    if action in ("index", "create", "choose_parent"):
        suffix = "" if action == "index" else f"{action}/"
    else:
        suffix = f"{action}/{obj.pk}/"
    return f"/admin/{app}/{model}/{suffix}"


def _attendu(persona, model, action):
    """The status a persona gets on a modeladmin page: 200, or None for a refusal."""
    if model is Demande:
        if action == "index":
            return 200 if persona in MEMBRES | {"administrateur"} else None
        if action in ("inspect", "history"):
            return 200 if persona in VOIENT_LA_DEMANDE else None
        if action == "create":  # the cas 2 form, for chefs de file and experts
            return 302 if persona in MEMBRES else None
        return None  # no edit, no delete: a demande changes through its actions
    if model is Notification:
        return 200 if persona == "administrateur" and action in ("index", "inspect", "history") else None
    if model._meta.label == "pilotage.Bilan" and action != "delete":  # éditeurs write the bilans' texts
        return 200 if persona in ("administrateur", "editeur") else None
    return 200 if persona == "administrateur" else None  # the org chart, and any other model


def _contenu(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _verifier_sans_fuite(persona, url, response):
    assert response.status_code != 500, url
    if persona not in VOIENT_LA_DEMANDE:
        assert EMAIL not in _contenu(response), url


def test_every_modeladmin_url_is_walked():
    urls = _modeladmin_urls()
    models = {(app, model) for app, model, _ in urls}
    assert {
        ("intake", "demande"),
        ("intake", "notification"),
        ("catalogue", "structure"),
        ("catalogue", "direction"),
        ("catalogue", "membre"),
    } <= models
    assert ("intake", "demande", "history") in urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_modeladmin_pages_as_persona(client, donnees, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for app, model_name, action in _modeladmin_urls():
        model = apps.get_model(app, model_name)
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model_name} to walk"
        url = _url(app, model_name, action, obj)
        response = client.get(url)
        _verifier_sans_fuite(persona, url, response)
        attendu = _attendu(persona, model, action)
        if attendu is None:
            assert response.status_code in REFUS, url
            if response.status_code == 302:
                assert response["Location"] == DASHBOARD, url
        else:
            assert response.status_code == attendu, url


def _menu_items(menu, request):
    for item in menu.menu_items_for_request(request):
        if isinstance(item, SubmenuMenuItem):
            yield from _menu_items(item.menu, request)
        else:
            yield item


def _all_menu_items(menu):
    for item in menu.registered_menu_items:
        if isinstance(item, SubmenuMenuItem):
            yield from _all_menu_items(item.menu)
        else:
            yield item


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_menu_entries_as_persona(client, donnees, persona, request):
    client.force_login(request.getfixturevalue(persona))
    dashboard = client.get(DASHBOARD)
    assert dashboard.status_code == 200
    _verifier_sans_fuite(persona, DASHBOARD, dashboard)
    visibles = {str(item.url) for item in _menu_items(admin_menu, dashboard.wsgi_request)}
    assert visibles, "every demo account signs in to the admin and has a menu"
    for item in _all_menu_items(admin_menu):
        url = str(item.url)
        if not url.startswith("/"):
            continue  # links outside the site (documentation)
        response = client.get(url)
        _verifier_sans_fuite(persona, url, response)
        if url in visibles:
            # A menu entry never leads to a refusal.
            assert response.status_code in (200, 302), url
            if response.status_code == 302:
                assert response["Location"] != DASHBOARD and "login" not in response["Location"], url
        else:
            assert response.status_code in REFUS + (200,), url


def test_list_offers_no_button_that_leads_to_a_refusal(client, donnees, administrateur, chef_hgi):
    """Cas 2 is for chefs de file and experts: no "Enregistrer une demande reçue" button for the
    administrator, whom the form would refuse."""
    client.force_login(administrateur)
    assert "Enregistrer une demande reçue" not in client.get("/admin/intake/demande/").content.decode()
    client.force_login(chef_hgi)
    assert "Enregistrer une demande reçue" in client.get("/admin/intake/demande/").content.decode()


@pytest.mark.parametrize(
    "url", ["/admin/catalogue/structure/", "/admin/catalogue/direction/", "/admin/catalogue/membre/"]
)
def test_organisation_lists_open_for_the_administrator_and_link_to_edit(client, chef_hgi, administrateur, url):
    client.force_login(administrateur)
    response = client.get(url)
    assert response.status_code == 200
    assert "/inspect/" not in response.content.decode()
    assert f"{url}edit/" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/intake/demande/inspect/abc/",
        "/admin/intake/demande/history/abc/",
        "/admin/intake/demande/edit/abc/",
        "/admin/intake/notification/inspect/abc/",
        "/admin/intake/notification/history/abc/",
        "/admin/catalogue/structure/edit/abc/",
        "/admin/catalogue/direction/delete/abc/",
        "/admin/catalogue/membre/history/abc/",
        "/admin/catalogue/structure/edit/99999/",
    ],
)
def test_an_object_address_that_is_not_a_key_is_a_404(client, administrateur, url):
    client.force_login(administrateur)
    assert client.get(url).status_code == 404
