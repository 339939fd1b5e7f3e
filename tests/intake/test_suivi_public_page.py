"""The private tracking page reached by the link of the accusé de réception."""

import pytest

from catalogue.models import Membre
from intake.depot.services import deposer_demande
from intake.models import Demande, EntreeJournal
from tests.intake.depot_helpers import _cache_vide, catalogue, collectivites, donnees_service, thematiques  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def demande(collectivites, catalogue):
    return deposer_demande(
        **donnees_service(collectivites, fiche=catalogue["urgente"], message="Message confidentiel du maire")
    )


def test_the_tracking_page_shows_status_dates_and_timeline(client, demande):
    response = client.get(f"/suivi/{demande.jeton_suivi}/")
    assert response.status_code == 200
    contenu = response.content.decode()
    assert f"demande n°{demande.numero}" in contenu
    assert 'aria-current="step"' in contenu and "Orientée" in contenu
    assert "Attribué chef de file" not in contenu  # back-office names are explained, not shown
    assert "Conseil juridique urgent" in contenu
    assert "Haute-Garonne Ingénierie" in contenu
    assert 'name="robots" content="noindex, nofollow"' in contenu
    # The secret link never leaves the site; "no-referrer" would make Chromium post with Origin: null (CSRF refusal).
    assert response["Referrer-Policy"] == "same-origin"


def test_the_timeline_lists_each_status_change(client, demande, expert_hgi, organisation):
    expert_hgi.first_name, expert_hgi.last_name = "Julie", "Expert"
    expert_hgi.save()
    Membre.objects.filter(user=expert_hgi).update(fonction="Juriste")
    demande.statut, demande.expert_referent = Demande.Statut.ATTRIBUE_EXPERT, expert_hgi
    demande._change_reason = "Motif interne à ne pas montrer"
    demande.save()
    contenu = client.get(f"/suivi/{demande.jeton_suivi}/").content.decode()
    etapes = contenu[contenu.index('class="chronologie"') :]
    assert etapes.index("Demande confiée à la structure compétente") < etapes.index("Expert référent désigné")
    assert "Julie Expert, Juriste" in contenu and "Haute-Garonne Ingénierie" in contenu
    assert "Motif interne" not in contenu


def test_the_tracking_page_shows_no_journal_and_no_personal_data(client, demande, chef_hgi):
    EntreeJournal.objects.create(demande=demande, auteur=chef_hgi, message="Note interne de l'expert")
    contenu = client.get(f"/suivi/{demande.jeton_suivi}/").content.decode()
    assert "Note interne" not in contenu
    assert "Message confidentiel" not in contenu
    assert "maire@grenade.test" not in contenu
    assert "05 61 82 61 00" not in contenu


def test_the_tracking_page_shows_no_other_demande(client, demande, collectivites):
    autre = deposer_demande(**donnees_service(collectivites, demandeur_nom="Autre"))
    contenu = client.get(f"/suivi/{demande.jeton_suivi}/").content.decode()
    assert f"n°{autre.numero}" not in contenu


@pytest.mark.parametrize("jeton", ["x" * 43, "inconnu-mais-bien-forme-0123456789", "court", "a" * 80, "..%2F..%2Fetc"])
def test_an_unknown_or_malformed_token_gives_404(client, demande, jeton):
    assert client.get(f"/suivi/{jeton}/").status_code == 404


def test_the_tracking_page_needs_few_queries(client, demande, django_assert_max_num_queries):
    # The first request of a site creates its settings row: measure the steady state.
    client.get(f"/suivi/{demande.jeton_suivi}/")
    with django_assert_max_num_queries(5):
        assert client.get(f"/suivi/{demande.jeton_suivi}/").status_code == 200
