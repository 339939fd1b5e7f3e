"""Loaders of the catalogue's initial data from fixtures/ (each idempotent)."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from wagtail.rich_text import RichText

from catalogue import groups
from catalogue.models import CatalogueIndexPage, Direction, FichePage, Membre, Structure, StructurePage, Thematique


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
    groups.ensure_workflow(index)
    return index


def _direction(sigle_structure, nom_ou_sigle):
    """A direction by its structure's sigle and its own sigle or name ("" = the structure's only direction)."""
    directions = Direction.objects.filter(structure__sigle=sigle_structure)
    if not nom_ou_sigle:
        return directions.order_by("pk").get()
    return directions.filter(sigle=nom_ou_sigle).first() or directions.get(nom=nom_ou_sigle)


@transaction.atomic
def load_pages_partenaires(name="pages_partenaires.json"):
    """Presentation, missions and contacts of each partner page, only where still empty."""
    changes = 0
    for row in read_fixture(name):
        page = StructurePage.objects.filter(structure__sigle=row["sigle"]).first()
        if page is None or page.presentation:
            continue
        page.presentation, page.missions, page.contacts = row["presentation"], row["missions"], row["contacts"]
        page.save_revision().publish()
        changes += 1
    return changes


def _description(row):
    blocs = []
    for intertitre, cle in (
        ("Objectifs", "objectifs"),
        ("Contenu de l'accompagnement", "contenu"),
        ("Modalités", "modalites"),
    ):
        blocs += [("intertitre", intertitre), ("paragraphe", RichText(f"<p>{row[cle]}</p>"))]
    return blocs


@transaction.atomic
def load_fiches(name="fiches.json"):
    """The demo fiches of the guide, under their chef de file's partner page.

    A fiche that already exists (same slug under the same partner page) is left as
    editors made it: loading twice creates nothing.
    """
    thematiques = {t.nom: t for t in Thematique.objects.all()}
    created = 0
    for row in read_fixture(name):
        parent = StructurePage.objects.get(structure__sigle=row["structure"])
        slug = slugify(row["titre"])[:80].strip("-")
        if FichePage.objects.child_of(parent).filter(slug=slug).exists():
            continue
        chef_de_file = _direction(row["structure"], row["direction"])
        structure = chef_de_file.structure
        fiche = FichePage(
            title=row["titre"],
            slug=slug,
            thematique=thematiques[row["thematique"]],
            chapo=row["chapo"],
            description=_description(row),
            beneficiaires=row["beneficiaires"],
            nature=row["nature"],
            cout=row["cout"],
            cout_precision=row["cout_precision"],
            chef_de_file=chef_de_file,
            contact_nom=chef_de_file.nom
            if chef_de_file.nom == structure.nom
            else f"{chef_de_file.nom} ({structure.sigle})",
            contact_courriel=chef_de_file.email_notification or structure.courriel,
            contact_telephone=structure.telephone,
            millesime=row["millesime"],
            demande_en_ligne=row["demande_en_ligne"],
        )
        fiche.co_chefs_de_file = [_direction(*pair) for pair in row["co_chefs_de_file"]]
        fiche.directions_associees = [_direction(*pair) for pair in row["directions_associees"]]
        fiche.mots_cles.add(*row["mots_cles"])
        parent.add_child(instance=fiche)
        fiche.save_revision().publish()
        created += 1
    return created


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


def load_catalogue_contenu(stdout=None):
    """After `load_catalogue_pages`: the partner pages' content and the demo fiches."""
    pages = load_pages_partenaires()
    fiches = load_fiches()
    if stdout is not None:
        stdout.write(f"Catalogue : {pages} page(s) partenaire(s) complétée(s), {fiches} fiche(s) créée(s).")
    return fiches
