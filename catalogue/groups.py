"""The platform's groups and what each may do in the Wagtail admin.

Run after every `migrate` (post_migrate), so the groups exist on every database,
including a fresh test database, with the permissions Django created meanwhile.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalogue import roles
from catalogue.models import Structure

PAGE_PERMISSIONS_EDITEUR = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
PAGE_PERMISSIONS_ADMIN = PAGE_PERMISSIONS_EDITEUR + ["bulk_delete_page"]
PAGE_PERMISSIONS_PARTENAIRE = ["add_page", "change_page"]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]
# A partner group edits documents and images only in its own collection ("Documents <sigle>"),
# as it edits only its own pages; platform media (convention, reserved ressources, home page
# images) it may only pick in a chooser. Wagtail has no moderation workflow for documents: the
# per-structure scope is the rule.
COLLECTION_PERMISSIONS_PARTENAIRE_CHOIX = [
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "choose_image"),
]


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _admin_access():
    return _permission("wagtailadmin", "access_admin")


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _grant_collections(group, collection, pairs):
    for app_label, codename in pairs:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


def ensure_groups():
    """Create or complete the platform-wide groups (idempotent)."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()

    administrateurs, _ = Group.objects.get_or_create(name=roles.GROUPE_ADMINISTRATEURS)
    # Administrators run the platform: every model permission, all pages and collections.
    administrateurs.permissions.add(*Permission.objects.exclude(content_type__app_label="axes"))
    if root_page:
        _grant_pages(administrateurs, root_page, PAGE_PERMISSIONS_ADMIN)
    if root_collection:
        _grant_collections(administrateurs, root_collection, COLLECTION_PERMISSIONS)

    editeurs, _ = Group.objects.get_or_create(name=roles.GROUPE_EDITEURS)
    editorial = Permission.objects.filter(
        Q(content_type__app_label="actualites")
        | Q(content_type__app_label="catalogue", content_type__model="thematique")
        # The éditeurs prepare the yearly guide: they set the millésime en cours.
        | Q(content_type__app_label="catalogue", content_type__model="reglagescatalogue")
        | Q(content_type__app_label="wagtailadmin", codename="access_admin")
        | Q(content_type__app_label="wagtailcore", codename__in=["change_workflowstate"])
    )
    editeurs.permissions.add(*editorial)
    if root_page:
        _grant_pages(editeurs, root_page, PAGE_PERMISSIONS_EDITEUR)
    if root_collection:
        _grant_collections(editeurs, root_collection, COLLECTION_PERMISSIONS)

    reseau, _ = Group.objects.get_or_create(name=roles.GROUPE_RESEAU)
    reseau.permissions.add(_admin_access())

    # Every migrate brings existing partner groups to the current rule (own collection only).
    for structure in Structure.objects.all():
        ensure_partner_group(structure)


def ensure_partner_group(structure, old_sigle=None):
    """The "Partenaires <sigle>" group of a structure, renamed when the sigle changes."""
    if old_sigle and old_sigle != structure.sigle:
        Group.objects.filter(name=f"Partenaires {old_sigle}").update(name=structure.nom_groupe_partenaires)
    group, _ = Group.objects.get_or_create(name=structure.nom_groupe_partenaires)
    group.permissions.add(_admin_access())
    page = getattr(structure, "page", None) if structure.pk else None
    if page is not None:
        _grant_pages(group, page, PAGE_PERMISSIONS_PARTENAIRE)
    root_collection = Collection.get_first_root_node()
    if root_collection:
        _grant_collections(group, collection_partenaire(structure, group), COLLECTION_PERMISSIONS)
        _grant_collections(group, root_collection, COLLECTION_PERMISSIONS_PARTENAIRE_CHOIX)
        # Older installs granted add/change on the root collection, i.e. on every platform document.
        choix = [codename for _, codename in COLLECTION_PERMISSIONS_PARTENAIRE_CHOIX]
        GroupCollectionPermission.objects.filter(group=group, collection=root_collection).exclude(
            permission__codename__in=choix
        ).delete()
    return group


def nom_collection_partenaire(structure):
    return f"Documents {structure.sigle}"


def collection_partenaire(structure, group=None):
    """The collection where the partner group of `structure` adds and edits its documents and
    images (created under the root, renamed with the sigle)."""
    nom = nom_collection_partenaire(structure)
    collection = None
    if group is not None:
        collection = (
            Collection.objects.filter(
                depth__gt=1,
                group_permissions__group=group,
                group_permissions__permission__content_type__app_label="wagtaildocs",
                group_permissions__permission__codename="change_document",
            )
            .order_by("depth", "pk")
            .first()
        )
    if collection is None:
        collection = Collection.objects.filter(name=nom, depth=2).first()
    if collection is None:
        return Collection.get_first_root_node().add_child(name=nom)
    if collection.name != nom:
        collection.name = nom
        collection.save(update_fields=["name"])
    return collection


def sync_reseau_membership(user):
    """Keep a user in the "Réseau des experts" group exactly while it has a Membre row."""
    group, _ = Group.objects.get_or_create(name=roles.GROUPE_RESEAU)
    if user.membres.exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    roles.forget(user)


NOM_WORKFLOW = "Validation plateforme"
NOM_TACHE_VALIDATION = "Validation par l'administrateur ou un éditeur"


def ensure_workflow(catalogue_index):
    """The "Validation plateforme" workflow on the catalogue (idempotent).

    Partner groups may add and change pages but not publish: their changes are
    submitted to this workflow, approved by an administrator or an éditeur.
    """
    workflow, _ = Workflow.objects.get_or_create(name=NOM_WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=NOM_TACHE_VALIDATION).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=NOM_TACHE_VALIDATION)
    task.groups.add(
        Group.objects.get_or_create(name=roles.GROUPE_ADMINISTRATEURS)[0],
        Group.objects.get_or_create(name=roles.GROUPE_EDITEURS)[0],
    )
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=WorkflowTask.objects.filter(workflow=workflow).count()
        )
    WorkflowPage.objects.get_or_create(page=catalogue_index, defaults={"workflow": workflow})
    return workflow
