"""Documents follow the per-structure rule of pages: a partner group adds and
edits documents only in its own collection; platform documents (convention, reserved ressources)
it may only pick in a chooser."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from actualites.models import collection_reservee
from catalogue import groups
from catalogue.models import Structure
from tests.conftest import make_user

Document = get_document_model()


def document(titre, collection):
    doc = Document(title=titre, collection=collection)
    doc.file.save(f"{titre.lower().replace(' ', '-')}.pdf", ContentFile(b"%PDF-1.4 original"), save=False)
    doc.save()
    return doc


def collection_de(structure):
    return Collection.objects.get(name=f"Documents {structure.sigle}")


@pytest.fixture
def convention(db):
    return document("Convention partenariale", Collection.get_first_root_node())


@pytest.fixture
def document_caue(organisation):
    return document("Plaquette du CAUE", collection_de(organisation["caue"]))


def modifier(client, doc, titre):
    return client.post(
        f"/admin/documents/edit/{doc.pk}/",
        {"title": titre, "collection": doc.collection_id, "tags": ""},
    )


def refuse(response):
    """Wagtail answers a refused admin view by a redirect to the dashboard with an error message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


def test_each_partner_structure_gets_a_collection_of_its_own(organisation):
    assert collection_de(organisation["caue"]).get_parent().depth == 1
    assert collection_de(organisation["hgi"]) != collection_de(organisation["caue"])


def test_the_partner_cannot_replace_a_platform_document(client, partenaire_caue, convention):
    client.force_login(partenaire_caue)
    assert refuse(client.get(f"/admin/documents/edit/{convention.pk}/"))
    assert refuse(modifier(client, convention, "Convention remplacée"))
    convention.refresh_from_db()
    assert convention.title == "Convention partenariale"


def test_the_partner_cannot_replace_a_reserved_ressource(client, partenaire_caue):
    reservee = document("Guide réservé", collection_reservee())
    client.force_login(partenaire_caue)
    assert refuse(modifier(client, reservee, "Guide remplacé"))
    reservee.refresh_from_db()
    assert reservee.title == "Guide réservé"


def test_the_partner_cannot_edit_another_partners_document(client, organisation, document_caue):
    partenaire_hgi = make_user("partenaire.hgi")
    partenaire_hgi.groups.add(Group.objects.get(name=organisation["hgi"].nom_groupe_partenaires))
    client.force_login(partenaire_hgi)
    assert refuse(modifier(client, document_caue, "Plaquette détournée"))
    document_caue.refresh_from_db()
    assert document_caue.title == "Plaquette du CAUE"


def test_the_partner_edits_a_document_of_its_own_collection(client, partenaire_caue, document_caue):
    client.force_login(partenaire_caue)
    response = modifier(client, document_caue, "Plaquette du CAUE 2026")
    assert response.status_code == 302 and response.url.startswith("/admin/documents/")
    document_caue.refresh_from_db()
    assert document_caue.title == "Plaquette du CAUE 2026"


def test_an_upload_by_the_partner_lands_in_its_own_collection(client, partenaire_caue, organisation):
    client.force_login(partenaire_caue)
    racine = Collection.get_first_root_node()
    client.post(
        "/admin/documents/add/",
        {
            "title": "Intrus",
            "collection": racine.pk,
            "tags": "",
            "file": ContentFile(b"%PDF-1.4 intrus", name="intrus.pdf"),
        },
    )
    # With a single collection to add to, Wagtail drops the field and files it there.
    assert Document.objects.get(title="Intrus").collection == collection_de(organisation["caue"])


def test_the_documents_list_shows_an_edit_link_only_for_the_partners_documents(
    client, partenaire_caue, convention, document_caue
):
    client.force_login(partenaire_caue)
    html = client.get("/admin/documents/").content.decode()
    assert f"/admin/documents/edit/{document_caue.pk}/" in html
    assert f"/admin/documents/edit/{convention.pk}/" not in html
    assert "Convention partenariale" not in html


def test_the_partner_may_still_choose_a_platform_document(client, partenaire_caue, convention):
    client.force_login(partenaire_caue)
    response = client.get("/admin/documents/chooser/")
    assert response.status_code == 200
    assert "Convention partenariale" in response.content.decode()


def test_the_editor_keeps_editing_platform_documents(client, editeur, convention):
    client.force_login(editeur)
    response = modifier(client, convention, "Convention partenariale 2026")
    assert response.status_code == 302 and response.url.startswith("/admin/documents/")


def test_an_older_install_loses_its_root_grants_at_the_next_migrate(organisation):
    """Before this rule, partner groups had add/change on the root collection: ensure_groups
    (run after every migrate) takes them back, without duplicating anything."""
    groupe = Group.objects.get(name=organisation["caue"].nom_groupe_partenaires)
    racine = Collection.get_first_root_node()
    for codename in ("add_document", "change_document"):
        GroupCollectionPermission.objects.create(
            group=groupe,
            collection=racine,
            permission=Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename),
        )
    avant = GroupCollectionPermission.objects.filter(group=groupe).exclude(collection=racine).count()
    groups.ensure_groups()
    groups.ensure_groups()
    sur_racine = set(
        GroupCollectionPermission.objects.filter(group=groupe, collection=racine).values_list(
            "permission__codename", flat=True
        )
    )
    assert sur_racine == {"choose_document", "choose_image"}
    assert GroupCollectionPermission.objects.filter(group=groupe).exclude(collection=racine).count() == avant
    assert Collection.objects.filter(name="Documents CAUE").count() == 1


def test_the_collection_follows_a_new_sigle(organisation, document_caue):
    caue = Structure.objects.get(pk=organisation["caue"].pk)
    caue.sigle = "CAUE31"
    caue.save()
    document_caue.refresh_from_db()
    assert document_caue.collection.name == "Documents CAUE31"
    assert not Collection.objects.filter(name="Documents CAUE").exists()
