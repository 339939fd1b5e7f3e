"""The yearly review: each fiche records the millésime of its last validation.

`fiches_a_revoir` feeds the admin report "Fiches à revoir" and intake's email
campaign to the partner groups; `valider_sans_modification` is the report's one-click action.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log
from wagtail.models import Page

from catalogue import roles
from catalogue.models import FichePage, ReglagesCatalogue, StructurePage

ACTION_VALIDEE = "catalogue.fiche_validee"


def fiches_a_revoir(millesime=None):
    """Live fiches not validated for `millesime`, grouped by the partner page they sit under.

    Returns [(structure, [fiches])] in the structures' order; the structure is the one whose
    "Partenaires <sigle>" group maintains the fiches (`structure.nom_groupe_partenaires`).
    """
    millesime = millesime or ReglagesCatalogue.millesime_en_cours()
    fiches = (
        FichePage.objects.live()
        .filter(Q(millesime__isnull=True) | Q(millesime__lt=millesime))
        .select_related("thematique", "chef_de_file__structure")
        .order_by("path")
    )
    structure_par_chemin = {
        page.path: page.structure for page in StructurePage.objects.select_related("structure").order_by("path")
    }
    groupes = {}
    for fiche in fiches:
        # A fiche's parent path is its own path minus one tree step.
        structure = structure_par_chemin.get(fiche.path[: -Page.steplen])
        if structure is not None:
            groupes.setdefault(structure, []).append(fiche)
    return sorted(groupes.items(), key=lambda item: (item[0].ordre, item[0].nom))


def peut_valider(user, fiche):
    """Administrators and éditeurs validate fiches, as they approve the partners' changes."""
    return (roles.is_administrateur(user) or roles.is_editeur(user)) and fiche.permissions_for_user(user).can_publish()


def valider_sans_modification(fiche, user, millesime=None):
    """Confirm a published fiche for `millesime` as is: a new published revision, logged."""
    millesime = millesime or ReglagesCatalogue.millesime_en_cours()
    if not peut_valider(user, fiche):
        raise PermissionDenied("Vous ne pouvez pas valider cette fiche.")
    with transaction.atomic():
        fiche = FichePage.objects.select_for_update().get(pk=fiche.pk)
        if not fiche.live:
            raise ValidationError("Seule une fiche publiée peut être validée.")
        if fiche.has_unpublished_changes:
            raise ValidationError("Cette fiche a des modifications en attente : examinez-les avant de la valider.")
        fiche.millesime = millesime
        revision = fiche.save_revision(user=user)
        revision.publish(user=user)
        log(instance=fiche, action=ACTION_VALIDEE, user=user, revision=revision, data={"millesime": millesime})
    return fiche
