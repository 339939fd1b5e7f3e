from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import workflow_approved

from catalogue import groups
from catalogue.models import CatalogueIndexPage, Membre, Structure, StructurePage


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


# --- The anonymous page cache is emptied whenever what visitors see changes ---------
from django.db.models.signals import pre_delete  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.signals import page_published, page_unpublished, post_page_move  # noqa: E402

from catalogue.cache_pages import vider_cache_pages  # noqa: E402

CONTENT_APPS = {"catalogue", "actualites", "wagtailimages", "wagtaildocs"}

page_published.connect(vider_cache_pages, dispatch_uid="cache_page_published")
page_unpublished.connect(vider_cache_pages, dispatch_uid="cache_page_unpublished")
post_page_move.connect(vider_cache_pages, dispatch_uid="cache_page_moved")


@receiver(pre_delete, sender=Page)
def empty_cache_on_page_delete(sender, instance, **kwargs):
    vider_cache_pages()


@receiver(post_save, dispatch_uid="cache_content_saved")
@receiver(post_delete, dispatch_uid="cache_content_deleted")
def empty_cache_on_content_change(sender, instance=None, raw=False, **kwargs):
    # Snippets, settings, structures, images… (page drafts are left alone: only publication counts).
    if raw or sender._meta.app_label not in CONTENT_APPS or isinstance(instance, Page):
        return
    if sender.__name__.startswith("Historical"):
        return
    vider_cache_pages()


@receiver(post_save, sender=CatalogueIndexPage)
def attach_workflow(sender, instance, created=False, raw=False, **kwargs):
    # Only when the index is created: editors may later change the workflow in the admin.
    if created and not raw:
        groups.ensure_workflow(instance)


@receiver(workflow_approved)
def validate_approved_fiche(sender, instance, user=None, **kwargs):
    # Approving a partner's changes is a validation of the fiche for the millésime en cours.
    from catalogue import revue
    from catalogue.models import FichePage, ReglagesCatalogue

    if not issubclass(instance.content_type.model_class(), FichePage):
        return
    fiche = FichePage.objects.filter(pk=instance.object_id).first()
    if fiche is None or user is None or not fiche.live or fiche.has_unpublished_changes:
        return
    millesime = ReglagesCatalogue.millesime_en_cours()
    if fiche.est_a_jour(millesime) or not revue.peut_valider(user, fiche):
        return
    revue.valider_sans_modification(fiche, user, millesime)
