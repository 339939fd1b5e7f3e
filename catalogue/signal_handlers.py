from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import workflow_approved

from catalogue import groups, revue
from catalogue.models import CatalogueIndexPage, FichePage, Membre, ReglagesCatalogue, Structure, StructurePage


@receiver(post_migrate)
def create_groups(sender, app_config=None, using="default", **kwargs):
    # post_migrate is sent once per app, and each app's permissions are created on its
    # own turn: wait for the last app so that every permission exists.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if app_config is not None and app_config.label == last.label:
        groups.ensure_groups()


@receiver(pre_save, sender=Structure)
def remember_old_sigle(sender, instance, **kwargs):
    instance._old_sigle = (
        Structure.objects.filter(pk=instance.pk).values_list("sigle", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Structure)
def create_partner_group(sender, instance, raw=False, **kwargs):
    if not raw:
        groups.ensure_partner_group(instance, old_sigle=getattr(instance, "_old_sigle", None))


@receiver(post_save, sender=StructurePage)
def grant_partner_page(sender, instance, raw=False, **kwargs):
    if not raw and instance.structure_id:
        groups.ensure_partner_group(instance.structure)


@receiver(post_save, sender=Membre)
@receiver(post_delete, sender=Membre)
def sync_reseau(sender, instance, **kwargs):
    groups.sync_reseau_membership(instance.user)


# --- The anonymous page cache: a change invalidates the pages that show it ------------
import functools  # noqa: E402

from django.db.models.signals import pre_delete  # noqa: E402
from modelcluster.fields import ParentalKey  # noqa: E402
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site  # noqa: E402
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move  # noqa: E402

from catalogue import cache_pages, cache_worker  # noqa: E402

# Apps whose other models are shown on public pages (snippets, settings, images, documents).
CONTENT_APPS = {"catalogue", "actualites", "wagtailimages", "wagtaildocs"}
# Of those, never shown to visitors.
NOT_SHOWN = {"catalogue.Membre", "wagtailimages.Rendition"}


@receiver(pre_save, dispatch_uid="cache_page_before_publication")
def remember_pages_showing_it(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a page is published or unpublished, the paths that show it as it still is in the
    database: its old address, its old chef de file's partner page… (drafts are left alone:
    saving one touches only a few fields)."""
    if raw or update_fields is not None or not isinstance(instance, Page) or instance.pk is None:
        return
    avant = Page.objects.filter(pk=instance.pk).values("live", "live_revision_id", "title", "url_path").first()
    if avant is None or (avant["live"], avant["live_revision_id"]) == (instance.live, instance.live_revision_id):
        return
    titre_ou_adresse = (avant["title"], avant["url_path"]) != (instance.title, instance.url_path)
    descendants = titre_ou_adresse or (avant["live"] and not instance.live)
    ancienne = instance.specific_class.objects.get(pk=instance.pk) if instance.specific_class else instance
    instance._cache_chemins_avant = cache_pages.chemins_de_la_page(ancienne, descendants=descendants)
    instance._cache_descendants = descendants


def refresh_pages_showing_it(sender, instance, **kwargs):
    chemins = instance.__dict__.pop("_cache_chemins_avant", set())
    descendants = instance.__dict__.pop("_cache_descendants", False)
    cache_pages.invalider_chemins(chemins | cache_pages.chemins_de_la_page(instance, descendants=descendants))


def refresh_pages_showing_moved(sender, instance, **kwargs):
    # Sent before the move (old addresses) and after it (new ones).
    cache_pages.invalider_chemins(cache_pages.chemins_de_la_page(instance.specific, descendants=True))


page_published.connect(refresh_pages_showing_it, dispatch_uid="cache_page_published")
page_unpublished.connect(refresh_pages_showing_it, dispatch_uid="cache_page_unpublished")
pre_page_move.connect(refresh_pages_showing_moved, dispatch_uid="cache_page_before_move")
post_page_move.connect(refresh_pages_showing_moved, dispatch_uid="cache_page_moved")


# --- The worker's copies of the tree (catalogue/cache_worker.py) -------------------------
@receiver(post_save, dispatch_uid="cache_worker_saved")
@receiver(post_delete, dispatch_uid="cache_worker_deleted")
def refresh_worker_copies(sender, instance=None, **kwargs):
    """Any page saved (a draft too: the copies hold its row), any site or view restriction: every
    worker reads the tree again. Settings and snippets change the page cache's generation."""
    if isinstance(instance, (Page, Site, PageViewRestriction)):
        cache_worker.invalider_arbre()


def refresh_worker_copies_moved(sender, instance, **kwargs):
    cache_worker.invalider_arbre()


# A move updates the descendants' paths without saving them.
post_page_move.connect(refresh_worker_copies_moved, dispatch_uid="cache_worker_moved")


@receiver(pre_delete, sender=Page)
def refresh_pages_showing_deleted(sender, instance, **kwargs):
    # Each deleted descendant is sent too; a page that is not live is shown nowhere.
    if instance.live:
        cache_pages.invalider_chemins(cache_pages.chemins_de_la_page(instance.specific))


@functools.cache
def _part_of_a_page(model):
    """Documents of a fiche, its mots-clés…: saved with the page's publication, which covers them."""
    return any(isinstance(field, ParentalKey) and issubclass(field.related_model, Page) for field in model._meta.fields)


def _shown(instance):
    """An image or document that a page or snippet uses (Wagtail's reference index; a bilan or
    a network document referring to its PDF is not shown on the public pages)."""
    return ReferenceIndex.get_references_to(instance).filter(content_type__app_label__in=CONTENT_APPS).exists()


@receiver(post_save, dispatch_uid="cache_content_saved")
@receiver(post_delete, dispatch_uid="cache_content_deleted")
def refresh_pages_showing_content(sender, instance=None, raw=False, created=False, **kwargs):
    """Snippets and settings are shown on (nearly) every page: see invalider_toutes_les_pages.
    An image or document only where it is used; a new one, or one nothing uses (a published
    bilan's PDF), changes only the API listings of images and documents."""
    if raw or sender._meta.app_label not in CONTENT_APPS or isinstance(instance, Page):
        return
    if sender.__name__.startswith("Historical") or sender._meta.label in NOT_SHOWN or _part_of_a_page(sender):
        return
    if sender._meta.app_label in ("wagtailimages", "wagtaildocs"):
        nom = "images" if sender._meta.app_label == "wagtailimages" else "documents"
        cache_pages.invalider_chemins(
            {
                cache_pages.url_nommee(f"wagtailapi:{nom}:listing"),
                cache_pages.url_nommee(f"wagtailapi:{nom}:detail", instance.pk),
            }
        )
        if created or not _shown(instance):
            return
    cache_pages.invalider_toutes_les_pages()


@receiver(post_save, sender=CatalogueIndexPage)
def attach_workflow(sender, instance, created=False, raw=False, **kwargs):
    # Only when the index is created: editors may later change the workflow in the admin.
    if created and not raw:
        groups.ensure_workflow(instance)


@receiver(workflow_approved)
def validate_approved_fiche(sender, instance, user=None, **kwargs):
    # Approving a partner's changes is a validation of the fiche for the millésime en cours.
    if not issubclass(instance.content_type.model_class(), FichePage):
        return
    fiche = FichePage.objects.filter(pk=instance.object_id).first()
    if fiche is None or user is None or not fiche.live or fiche.has_unpublished_changes:
        return
    millesime = ReglagesCatalogue.millesime_en_cours()
    if fiche.est_a_jour(millesime) or not revue.peut_valider(user, fiche):
        return
    revue.valider_sans_modification(fiche, user, millesime)
