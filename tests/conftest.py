"""Shared fixtures: the platform's personas and a helper that publishes pages."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from catalogue import roles
from catalogue.models import Direction, Membre, Structure

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _base_data(request):
    """Wagtail's root page and collection, the locale and the groups, as after `migrate`:
    a transactional test starts after another one's flush, which removed them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    from catalogue.groups import ensure_groups

    # The flush recreated content types (new ids on PostgreSQL): forget the cached ones.
    ContentType.objects.clear_cache()
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    ensure_groups()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """The anonymous page cache (in memory in tests) outlives each test's database: a page cached
    by an earlier test must not answer for this one's content."""
    from django.core.cache import caches

    from intake import memoire

    caches["pages"].clear()
    # Each test's database is rolled back without signals: the rows kept per process
    # (collectivités, members) must not outlive it either.
    for memo in memoire.MEMOIRES:
        caches["default"].delete(memo.cle)


@pytest.fixture(autouse=True)
def _media_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def organisation(db):
    """Two partner structures with their directions, as in the convention."""
    hgi = Structure.objects.create(nom="Haute-Garonne Ingénierie", sigle="HGI", courriel="contact@hgi.test")
    caue = Structure.objects.create(nom="Conseil d'architecture, d'urbanisme et de l'environnement", sigle="CAUE")
    return {
        "hgi": hgi,
        "caue": caue,
        "hgi_juridique": Direction.objects.create(
            structure=hgi, nom="Direction assistance juridique et financière", email_notification="dajf@hgi.test"
        ),
        "hgi_ingenierie": Direction.objects.create(
            structure=hgi, nom="Direction Ingénierie et expérimentation territoriale"
        ),
        "caue_direction": Direction.objects.create(
            structure=caue, nom=caue.nom, email_notification="contact@caue.test"
        ),
    }


def make_user(username, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@exemple.test",
        password="demo",
        first_name=extra.pop("first_name", username.split(".")[0].capitalize()),
        last_name=extra.pop("last_name", username.split(".")[-1].upper()),
        **extra,
    )
    return user


def add_membre(user, direction, role):
    Membre.objects.create(user=user, direction=direction, role=role)
    roles.forget(user)
    return user


@pytest.fixture
def administrateur(db):
    user = make_user("admin.plateforme")
    user.groups.add(Group.objects.get(name=roles.GROUPE_ADMINISTRATEURS))
    return user


@pytest.fixture
def editeur(db):
    user = make_user("editeur.site")
    user.groups.add(Group.objects.get(name=roles.GROUPE_EDITEURS))
    return user


@pytest.fixture
def chef_hgi(organisation):
    return add_membre(make_user("chef.hgi"), organisation["hgi_juridique"], Membre.Role.CHEF_DE_FILE)


@pytest.fixture
def expert_hgi(organisation):
    return add_membre(make_user("expert.hgi"), organisation["hgi_juridique"], Membre.Role.EXPERT)


@pytest.fixture
def chef_caue(organisation):
    return add_membre(make_user("chef.caue"), organisation["caue_direction"], Membre.Role.CHEF_DE_FILE)


@pytest.fixture
def expert_caue(organisation):
    """An expert of another structure: sees the list, never another structure's demandes."""
    return add_membre(make_user("expert.caue"), organisation["caue_direction"], Membre.Role.EXPERT)


@pytest.fixture
def partenaire_caue(organisation):
    user = make_user("partenaire.caue")
    user.groups.add(Group.objects.get(name=organisation["caue"].nom_groupe_partenaires))
    return user


@pytest.fixture
def home_page(db):
    from operations.donnees_initiales.editorial import load_site

    return load_site()


def publish(parent, page):
    """Add `page` under `parent` and publish it through a revision, as an editor would."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
