"""The fiche and direction filters of the demandes list are drop-down lists sent with the list's
other criteria, not one link per fiche (hundreds of links at each display of the list)."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import FichePage
from intake.models import Demande
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_hgi
from tests.intake.depot_helpers import catalogue, thematiques  # noqa: F401

S = Demande.Statut
pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"


def _numeros(response):
    return {d.numero for d in response.context["object_list"]}


def _formulaire(contenu, nom):
    """The <form> holding the <select name=nom>."""
    for formulaire in re.findall(r'<form method="get" class="filtre-deroulant">.*?</form>', contenu, re.S):
        if f'<select id="filtre-{nom}" name="{nom}">' in formulaire:
            return formulaire
    raise AssertionError(f"pas de liste déroulante {nom}")


def test_fiche_filter_is_one_select_with_every_fiche_and_the_free_demandes(
    client, organisation, administrateur, catalogue
):
    demande_hgi(organisation, fiche=catalogue["complexe"])
    client.force_login(administrateur)
    contenu = client.get(LIST_URL + "?statut__exact=attribue_chef_de_file&p=1").content.decode()
    formulaire = _formulaire(contenu, "fiche")
    for fiche in FichePage.objects.all():
        assert f'<option value="{fiche.pk}">{html.escape(fiche.title)}</option>' in formulaire
    assert '<option value="aucun">Demandes libres (sans fiche)</option>' in formulaire
    assert '<option value="" selected>Toutes</option>' in formulaire
    # The other criteria go with the choice; the page number does not (a new list starts at 1).
    assert '<input type="hidden" name="statut__exact" value="attribue_chef_de_file">' in formulaire
    assert 'name="p"' not in formulaire
    assert '<label for="filtre-fiche"' in formulaire
    # No link per fiche any more.
    assert "fiche__page_ptr__exact=" not in contenu


def test_fiche_filter_selects_a_fiche_or_the_free_demandes(client, organisation, administrateur, catalogue):
    fiche = catalogue["complexe"]
    avec = demande_hgi(organisation, fiche=fiche)
    libre = demande_hgi(organisation)
    client.force_login(administrateur)
    response = client.get(LIST_URL, {"fiche": fiche.pk})
    assert _numeros(response) == {avec.numero}
    assert f'<option value="{fiche.pk}" selected>' in _formulaire(response.content.decode(), "fiche")
    response = client.get(LIST_URL, {"fiche": "aucun"})
    assert _numeros(response) == {libre.numero}
    assert '<option value="aucun" selected>' in _formulaire(response.content.decode(), "fiche")
    # Links written before the drop-down list keep working.
    assert _numeros(client.get(LIST_URL, {"fiche__id__exact": fiche.pk})) == {avec.numero}
    # The criterion stays in the list's other links (sorting, other filters).
    assert f"fiche={fiche.pk}" in client.get(LIST_URL, {"fiche": fiche.pk}).content.decode()


@pytest.mark.parametrize("parametre", ["fiche", "direction"])
def test_a_bad_value_shows_the_whole_list_with_a_message_in_french(client, organisation, administrateur, parametre):
    demande_hgi(organisation)
    client.force_login(administrateur)
    response = client.get(LIST_URL, {parametre: "abc"})
    assert (response.status_code, response["Location"]) == (302, LIST_URL)
    assert "filtre n'est pas valable" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_direction_filter_selects_a_direction_or_the_demandes_not_yet_routed(client, organisation, administrateur):
    hgi = demande_hgi(organisation)
    caue = DemandeFactory(direction=organisation["caue_direction"], statut=S.EN_COURS)
    non_orientee = DemandeFactory(direction=None, statut=S.ATTRIBUE_ADMIN)
    client.force_login(administrateur)
    contenu = client.get(LIST_URL).content.decode()
    formulaire = _formulaire(contenu, "direction")
    juridique = organisation["hgi_juridique"]
    assert f'<option value="{juridique.pk}">{html.escape(str(juridique))}</option>' in formulaire
    assert "direction__id__exact=" not in contenu
    assert _numeros(client.get(LIST_URL, {"direction": juridique.pk})) == {hgi.numero}
    assert _numeros(client.get(LIST_URL, {"direction": organisation["caue_direction"].pk})) == {caue.numero}
    assert _numeros(client.get(LIST_URL, {"direction": "aucun"})) == {non_orientee.numero}
    assert _numeros(client.get(LIST_URL, {"direction__id__exact": juridique.pk})) == {hgi.numero}


def test_the_admin_asks_once_per_request_whether_the_user_may_record_a_demande(client, organisation, chef_hgi):
    """The menu entry and the list's button ask the same predicate: one query, not two."""
    demande_hgi(organisation)
    client.force_login(chef_hgi)
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as requetes:
        contenu = client.get(LIST_URL).content.decode()
    assert "Enregistrer une demande reçue" in contenu
    directions_actives = [q for q in requetes.captured_queries if 'FROM "catalogue_direction" WHERE' in q["sql"]]
    assert len(directions_actives) == 1, [q["sql"][:120] for q in directions_actives]
