"""Yearly review: millésime en cours, "Fiches à revoir" report, "Valider sans modification"."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageLogEntry

from catalogue.models import ReglagesCatalogue
from catalogue.revue import ACTION_VALIDEE, fiches_a_revoir, valider_sans_modification

pytestmark = pytest.mark.django_db

URL = "/admin/catalogue/fiches-a-revoir/"


@pytest.fixture
def millesime_2026(db):
    reglages = ReglagesCatalogue.load()
    reglages.millesime = 2026
    reglages.save()
    return 2026


def test_millesime_en_cours_is_an_editable_setting(millesime_2026):
    assert ReglagesCatalogue.millesime_en_cours() == 2026


def test_fiches_a_revoir_groups_unvalidated_fiches_by_structure(fiches, catalogue, millesime_2026):
    groupes = fiches_a_revoir(2026)
    # Structures in their display order (same ordre here: by name).
    assert [structure.sigle for structure, _ in groupes] == ["CAUE", "HGI"]
    par_sigle = {structure.sigle: [f.title for f in liste] for structure, liste in groupes}
    # "conseil" is validated for 2026: not to review.
    assert sorted(par_sigle["HGI"]) == sorted([fiches["intercommunalite"].title, fiches["bourg"].title])
    assert par_sigle["CAUE"] == [fiches["planification"].title]
    assert groupes[0][0].nom_groupe_partenaires == "Partenaires CAUE"


def test_fiches_a_revoir_uses_the_current_millesime_by_default(fiches, millesime_2026):
    assert sum(len(liste) for _, liste in fiches_a_revoir()) == 3
    assert sum(len(liste) for _, liste in fiches_a_revoir(2027)) == 4


def test_fiches_a_revoir_ignores_unpublished_fiches(fiches, millesime_2026):
    fiches["planification"].unpublish()
    assert [s.sigle for s, _ in fiches_a_revoir(2026)] == ["HGI"]


def test_report_lists_fiches_for_administrators_and_editeurs(client, administrateur, editeur, fiches, millesime_2026):
    for user in (administrateur, editeur):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Fiches à revoir" in html
        assert "Élaborer un projet de revitalisation de bourg centre" in html
        assert "Bénéficier d&#x27;un conseil juridique" not in html
        assert "Valider sans modification" in html


@pytest.mark.parametrize("persona", ["partenaire_caue", "chef_hgi", "expert_caue"])
def test_report_is_refused_to_other_back_office_users(client, request, persona, fiches):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code in (302, 403)
    response = client.post(f"{URL}{fiches['bourg'].pk}/valider/")
    assert response.status_code in (302, 403)
    fiches["bourg"].refresh_from_db()
    assert fiches["bourg"].millesime is None


def test_report_is_refused_to_anonymous(client, fiches):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_report_menu_item_is_shown_only_to_reviewers(client, administrateur, partenaire_caue, fiches):
    client.force_login(administrateur)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(partenaire_caue)
    assert URL not in client.get("/admin/").content.decode()


def test_valider_sans_modification_creates_a_logged_published_revision(client, administrateur, fiches, millesime_2026):
    fiche = fiches["bourg"]
    revisions_avant = fiche.revisions.count()
    client.force_login(administrateur)
    response = client.post(f"{URL}{fiche.pk}/valider/")
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert fiche.millesime == 2026
    assert fiche.revisions.count() == revisions_avant + 1
    assert fiche.live_revision == fiche.latest_revision
    entry = PageLogEntry.objects.get(page=fiche, action=ACTION_VALIDEE)
    assert entry.user == administrateur and entry.data == {"millesime": 2026}
    assert "Fiche à jour 2026" in client.get(fiche.url).content.decode()
    assert fiche.title not in [f.title for _, liste in fiches_a_revoir(2026) for f in liste]


def test_validation_is_get_proof(client, administrateur, fiches, millesime_2026):
    client.force_login(administrateur)
    assert client.get(f"{URL}{fiches['bourg'].pk}/valider/").status_code == 405


def test_valider_sans_modification_refuses_a_fiche_with_pending_changes(editeur, fiches, millesime_2026):
    fiche = fiches["bourg"]
    fiche.chapo = "Brouillon en attente"
    fiche.save_revision()
    with pytest.raises(ValidationError):
        valider_sans_modification(fiche, editeur)
    fiche.refresh_from_db()
    assert fiche.millesime is None


def test_report_offers_no_button_for_a_fiche_with_pending_changes(client, editeur, fiches, millesime_2026):
    fiche = fiches["planification"]
    fiche.chapo = "Brouillon en attente"
    fiche.save_revision()
    client.force_login(editeur)
    html = client.get(URL).content.decode()
    assert f"{URL}{fiche.pk}/valider/" not in html
    assert "Modifications en attente" in html


def test_valider_sans_modification_refuses_a_partner(partenaire_caue, fiches, millesime_2026):
    with pytest.raises(PermissionDenied):
        valider_sans_modification(fiches["planification"], partenaire_caue)


def test_editeurs_may_change_the_millesime_setting(editeur, partenaire_caue):
    assert editeur.has_perm("catalogue.change_reglagescatalogue")
    assert not partenaire_caue.has_perm("catalogue.change_reglagescatalogue")
