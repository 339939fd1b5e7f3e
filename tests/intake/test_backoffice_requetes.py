"""The back office stays flat with the number of demandes: the list and the detail, as a chef
de file sees them, run the same number of SQL queries however many demandes, journal entries
and history rows there are, and the visibility rules reach the database without join nor
DISTINCT (each clause on an indexed column of the demande)."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.template import Context, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail_modeladmin.views import IndexView

from catalogue.models import Membre
from intake import permissions
from intake.models import Demande, EntreeJournal, PieceJointe
from intake.suivi.admin import DemandeAdmin
from tests.conftest import add_membre, make_user
from tests.factories import DemandeFactory
from tests.intake.backoffice_support import demande_en_retard, demande_hgi, inspect_url
from tests.intake.depot_helpers import catalogue, thematiques  # noqa: F401

S = Demande.Statut
pytestmark = pytest.mark.django_db
LIST_URL = "/admin/intake/demande/"
# The first page holds rows of every kind at both scales (`o=0`: oldest first).
LISTES = ["", "?statut__exact=en_cours", "?mes=toutes", "?retard=oui", "?mes=direction", "?o=0"]


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(url)
    assert response.status_code == 200
    return requetes.captured_queries


def _beaucoup_de_demandes(organisation, catalogue, expert_hgi, expert_caue, n=40):
    """Demandes of every kind a chef de file of HGI's legal direction may meet: his own in
    every status, overdue, with a fiche, with associated experts and directions, others'."""
    statuts = [S.ATTRIBUE_CHEF_DE_FILE, S.EN_COURS, S.ATTRIBUE_EXPERT, S.TERMINE, S.REJETE]
    for i in range(n):
        demande = demande_hgi(organisation, statut=statuts[i % len(statuts)], fiche=catalogue["complexe"])
        demande.experts_associes.add(expert_caue if i % 2 else expert_hgi)
        demande.directions_associees.add(organisation["caue_direction"])
        demande_en_retard(organisation, expert_referent=expert_hgi)
        autre = DemandeFactory(direction=organisation["caue_direction"], statut=S.EN_COURS)
        autre.directions_associees.add(organisation["hgi_juridique"])


@pytest.mark.parametrize("params", LISTES)
def test_list_runs_the_same_queries_at_any_number_of_demandes(
    client, organisation, catalogue, chef_hgi, expert_hgi, expert_caue, params
):
    _beaucoup_de_demandes(organisation, catalogue, expert_hgi, expert_caue, n=2)
    client.force_login(chef_hgi)
    client.get(LIST_URL + params)  # per-process caches (site root, menus) as in a running worker
    peu = len(_requetes(client, LIST_URL + params))
    _beaucoup_de_demandes(organisation, catalogue, expert_hgi, expert_caue)
    assert Demande.objects.count() > 100  # several pages
    client.get(LIST_URL + params)  # the total « sur Y » is counted again once after new demandes
    assert len(_requetes(client, LIST_URL + params)) == peu


def test_list_query_count_for_a_chef_de_file_is_bounded(
    client, organisation, catalogue, chef_hgi, expert_hgi, expert_caue
):
    """No per-row query: 30 rows cost what the session, the menus, the filters' choices, two
    counts, the page and which of its rows he may open cost (23 with the test settings; 28
    when the fiche's title and the permissions came in three prefetches and the menu and the
    list's button asked the same question twice)."""
    _beaucoup_de_demandes(organisation, catalogue, expert_hgi, expert_caue, n=15)
    client.force_login(chef_hgi)
    client.get(LIST_URL)
    requetes = _requetes(client, LIST_URL)
    assert len(requetes) <= 23, "\n".join(q["sql"][:150] for q in requetes)


def test_visibility_and_followed_demandes_reach_sql_without_join_nor_distinct(
    client, organisation, catalogue, chef_hgi, expert_hgi, expert_caue
):
    """Each clause of `filtre_detail` and `suivies_par` is a column of the demande or an
    `= ANY(ARRAY(subquery))` (`IN (subquery)` on SQLite): a join on the many-to-many tables
    made the list DISTINCT and read every demande."""
    _beaucoup_de_demandes(organisation, catalogue, expert_hgi, expert_caue, n=3)
    for queryset in (
        permissions.demandes_visibles_en_detail(chef_hgi, Demande.objects.all()),
        Demande.objects.suivies_par(chef_hgi),
        Demande.objects.suivies_par(expert_hgi),
    ):
        sql = str(queryset.query).upper()
        assert "DISTINCT" not in sql and "JOIN" not in sql, sql
    client.force_login(chef_hgi)
    requetes = [q["sql"] for q in _requetes(client, LIST_URL)]
    page = [sql for sql in requetes if sql.startswith('SELECT "intake_demande"."id", ')]
    assert len(page) == 1
    # Which rows he may open: one query on the page's rows, no join either.
    ouvrables = [
        sql for sql in requetes if sql.startswith('SELECT "intake_demande"."id" AS "pk" FROM') and " IN (" in sql
    ]
    assert len(ouvrables) == 1
    for sql in page + ouvrables:
        assert "DISTINCT" not in sql.upper()
        for table in ("intake_demande_experts_associes", "intake_demande_directions_associees", "catalogue_fichepage"):
            assert f'JOIN "{table}"' not in sql


def test_followed_demandes_keep_every_clause(organisation, catalogue, chef_hgi, expert_hgi, expert_caue):
    """suivies_par: chef de file direction, co-chef de file of the routed demande's fiche,
    référent, associated expert, named chef de file; not an associated direction."""
    fiche = catalogue["complexe"]
    fiche.co_chefs_de_file = [organisation["hgi_juridique"]]
    fiche.save()
    caue = organisation["caue_direction"]
    attendues = {
        "direction": demande_hgi(organisation),
        "co_chef": DemandeFactory(direction=caue, fiche=fiche, statut=S.ATTRIBUE_CHEF_DE_FILE),
        "referent": DemandeFactory(direction=caue, statut=S.EN_COURS, expert_referent=chef_hgi),
        "associe": DemandeFactory(direction=caue, statut=S.EN_COURS),
        "nomme": DemandeFactory(direction=caue, statut=S.EN_COURS, chef_de_file=chef_hgi),
    }
    attendues["associe"].experts_associes.add(chef_hgi)
    exclues = {
        "non_orientee": DemandeFactory(direction=None, fiche=fiche, statut=S.ATTRIBUE_ADMIN),
        "associee": DemandeFactory(direction=caue, statut=S.EN_COURS, expert_referent=expert_caue),
        "autre": DemandeFactory(direction=caue, statut=S.EN_COURS),
    }
    exclues["associee"].directions_associees.add(organisation["hgi_juridique"])
    suivies = set(Demande.objects.suivies_par(chef_hgi).values_list("pk", flat=True))
    assert suivies == {d.pk for d in attendues.values()}
    assert Demande.objects.suivies_par(chef_hgi).count() == len(attendues)
    # What he may open in detail adds the associated direction's demande, not the others.
    visibles = permissions.ids_visibles_en_detail(chef_hgi, Demande.objects.all())
    assert visibles == {d.pk for d in attendues.values() if d != attendues["nomme"]} | {exclues["associee"].pk}


def test_list_filters_by_overdue_on_its_own_rows(client, organisation, chef_hgi, expert_hgi):
    en_retard = demande_en_retard(organisation)
    contactee = demande_en_retard(organisation, premier_contact_le=en_retard.created_at.date())
    close = demande_en_retard(organisation, statut=S.TERMINE)
    a_l_heure = demande_hgi(organisation)
    client.force_login(chef_hgi)
    oui = client.get(LIST_URL + "?retard=oui").context["object_list"]
    non = client.get(LIST_URL + "?retard=non").context["object_list"]
    assert {d.pk for d in oui} == {en_retard.pk}
    assert {d.pk for d in non} == {contactee.pk, close.pk, a_l_heure.pk}


def _demande_chargee(organisation, expert_hgi, expert_caue, chef_hgi, n):
    """A demande with `n` journal entries (each with an attachment), `n` référent changes
    among `n` experts and `n` changes of its associated experts and directions."""
    demande = demande_hgi(organisation, statut=S.EN_COURS, expert_referent=expert_hgi)
    experts = [
        add_membre(make_user(f"expert.{demande.pk}.{i}"), organisation["hgi_juridique"], Membre.Role.EXPERT)
        for i in range(n)
    ]
    directions = [organisation["caue_direction"], organisation["hgi_ingenierie"]]
    for i in range(n):
        entree = EntreeJournal.objects.create(demande=demande, auteur=expert_hgi, message=f"Étape {i}")
        PieceJointe.objects.create(
            demande=demande,
            entree=entree,
            fichier=ContentFile(b"plan", name="plan.pdf"),
            nom_original=f"plan-{i}.pdf",
            type_mime="application/pdf",
            taille=4,
        )
        demande.affecter(
            by=chef_hgi,
            referent=experts[i],
            experts_associes=[expert_caue] if i % 2 else [],
            directions_associees=[directions[i % 2]],
            reason=f"Changement {i}",
        )
        demande.refresh_from_db()
    return demande


def test_detail_runs_the_same_queries_however_long_its_history_and_journal(
    client, organisation, chef_hgi, expert_hgi, expert_caue
):
    courte = _demande_chargee(organisation, expert_hgi, expert_caue, chef_hgi, 1)
    longue = _demande_chargee(organisation, expert_hgi, expert_caue, chef_hgi, 6)
    assert longue.history.count() >= 7
    client.force_login(chef_hgi)
    client.get(inspect_url(courte))
    peu = _requetes(client, inspect_url(courte))
    beaucoup = _requetes(client, inspect_url(longue))
    assert len(beaucoup) == len(peu), "\n".join(q["sql"][:150] for q in beaucoup)
    contenu = client.get(inspect_url(longue)).content.decode()
    # The history still names each référent and associated direction, as before.
    assert "EXPERT.{}.5".format(longue.pk) in contenu or f"expert.{longue.pk}.5" in contenu
    assert "plan-5.pdf" in contenu


def test_detail_query_count_is_bounded(client, organisation, chef_hgi, expert_hgi, expert_caue):
    demande = _demande_chargee(organisation, expert_hgi, expert_caue, chef_hgi, 3)
    client.force_login(chef_hgi)
    client.get(inspect_url(demande))
    requetes = _requetes(client, inspect_url(demande))
    assert len(requetes) <= 35, "\n".join(q["sql"][:150] for q in requetes)


@pytest.mark.parametrize(
    "query, new_params, remove",
    [
        ("", {"fiche__page_ptr__exact": 12}, ["fiche__isnull"]),
        ("statut__exact=en_cours&mes=toutes&q=Mur%C3%A9", {"mes": None}, []),
        ("statut__exact=en_cours&statut__exact=termine&annee=2026", {"annee": "2025"}, ["statut"]),
        ("direction__id__exact=3&o=1.-2", {"direction__id__exact": 4, "epci": "7"}, None),
    ],
)
def test_list_links_are_the_same_as_modeladmins(chef_hgi, query, new_params, remove):
    request = RequestFactory().get(LIST_URL + "?" + query)
    request.user = chef_hgi
    vue = DemandeAdmin().index_view_class(model_admin=DemandeAdmin())
    vue.request = request
    vue.params = request.GET.copy()
    assert vue.get_query_string(new_params, remove) == IndexView.get_query_string(vue, new_params, remove)


def test_a_member_without_role_on_the_demande_sees_neither_detail_nor_followed(organisation, expert_caue):
    demande = demande_hgi(organisation, statut=S.EN_COURS)
    assert not Demande.objects.suivies_par(expert_caue).filter(pk=demande.pk).exists()
    assert demande.pk not in permissions.ids_visibles_en_detail(expert_caue, Demande.objects.all())
    assert Membre.objects.filter(user=expert_caue).exists()


def _sans_blancs(html):
    """The markup without the blanks between tags (modeladmin's templates leave some before a
    cell's closing tag when the row has no button)."""
    return re.sub(r"\s+</td>", "</td>", re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))).strip()


@pytest.mark.parametrize("persona", ["chef_hgi", "expert_caue", "administrateur"])
@pytest.mark.parametrize("params", ["?mes=toutes", "?mes=toutes&o=-1.3", "?q=inexistant"])
def test_list_table_is_modeladmins_markup(
    client, organisation, catalogue, expert_hgi, expert_caue, persona, params, request
):
    """DemandeIndexView.tableau writes the rows without modeladmin's per-cell templates: the
    same table, cell for cell, buttons included (« Ouvrir » only where the detail is open)."""
    _beaucoup_de_demandes(organisation, catalogue, expert_hgi, expert_caue, n=3)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST_URL + params)
    contexte = {
        "view": response.context["view"],
        "object_list": response.context["object_list"],
        "request": response.wsgi_request,
    }
    modeladmin = Template("{% load modeladmin_tags %}{% result_list %}").render(Context(contexte))
    notre = get_template("intake/admin/_demande_tableau.html").render(contexte)
    assert _sans_blancs(notre) == _sans_blancs(modeladmin)
    assert _sans_blancs(notre) in _sans_blancs(response.content.decode())
