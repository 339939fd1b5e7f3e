"""Loaders of the catalogue's initial data from fixtures/ (each idempotent)."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from catalogue.models import CatalogueIndexPage, Direction, Membre, Structure, StructurePage, Thematique


def read_fixture(name):
    with (settings.FIXTURES_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _update(instance, values, reason):
    """Save only what differs, so that loading twice leaves no history row."""
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    if instance.pk is None or changed:
        for field in changed:
            setattr(instance, field, values[field])
        instance._change_reason = reason
        instance.save()
        return True
    return False


@transaction.atomic
def load_organisation(name="organisation.json"):
    """The partner structures of the convention and their directions."""
    changes = 0
    for row in read_fixture(name):
        directions = row.pop("directions")
        structure = Structure.objects.filter(sigle=row["sigle"]).first() or Structure(sigle=row["sigle"])
        changes += _update(structure, row, "Données initiales")
        if not directions:
            # A structure without internal directions is its own (single) direction.
            directions = [{"nom": structure.nom, "sigle": "", "email_notification": structure.courriel}]
        for values in directions:
            direction = Direction.objects.filter(structure=structure, nom=values["nom"]).first() or Direction(
                structure=structure, nom=values["nom"]
            )
            changes += _update(direction, values, "Données initiales")
    return changes


@transaction.atomic
def load_thematiques(name="thematiques.json"):
    changes = 0
    for row in read_fixture(name):
        thematique = Thematique.objects.filter(nom=row["nom"]).first() or Thematique(nom=row["nom"])
        changed = [field for field, value in row.items() if getattr(thematique, field) != value]
        if thematique.pk is None or changed:
            for field in changed:
                setattr(thematique, field, row[field])
            thematique.save()
            changes += 1
    return changes


@transaction.atomic
def load_catalogue_pages(home_page):
    """The catalogue index under the home page and one partner page per structure."""
    index = CatalogueIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = CatalogueIndexPage(
            title="Catalogue des accompagnements",
            slug="catalogue",
            introduction="<p>Toutes les offres d'ingénierie du Département et de ses partenaires, par thématique.</p>",
        )
        home_page.add_child(instance=index)
        index.save_revision().publish()
    for structure in Structure.objects.filter(page__isnull=True):
        page = StructurePage(title=structure.nom, slug=structure.slug, structure=structure)
        index.add_child(instance=page)
        page.save_revision().publish()
    return index


@transaction.atomic
def load_demo_accounts(name="demo_accounts.json"):
    """The demo personas of the README (password "demo"). Never in production."""
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        return 0
    User = get_user_model()
    created = 0
    for row in read_fixture(name):
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User(username=row["username"])
            user.set_password("demo")
            created += 1
        user.first_name, user.last_name, user.email = row["first_name"], row["last_name"], row["email"]
        user.is_superuser = user.is_staff = bool(row.get("administrateur"))
        user.save()
        user.groups.add(*[Group.objects.get(name=group) for group in row["groups"]])
        for membre in row["membres"]:
            direction = Direction.objects.get(structure__sigle=membre["structure"], nom=membre["direction"])
            Membre.objects.get_or_create(
                user=user, direction=direction, role=membre["role"], defaults={"fonction": membre.get("fonction", "")}
            )
    return created
