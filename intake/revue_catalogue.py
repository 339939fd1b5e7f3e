"""The yearly catalogue review campaign: each partner group is emailed its fiches to validate."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string

from catalogue.models import ReglagesCatalogue
from catalogue.revue import fiches_a_revoir
from intake.outbox import enqueue


@transaction.atomic
def relancer_revue(millesime=None):
    """Queue one email per partner structure with fiches not validated for `millesime`."""
    millesime = millesime or ReglagesCatalogue.millesime_en_cours()
    envoyes = 0
    for structure, fiches in fiches_a_revoir(millesime):
        destinataires = sorted(
            set(
                get_user_model()
                .objects.filter(groups__name=structure.nom_groupe_partenaires, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
        if not destinataires:
            continue
        contexte = {
            "structure": structure,
            "fiches": fiches,
            "millesime": millesime,
            "base_url": settings.WAGTAILADMIN_BASE_URL,
            "plateforme": settings.PLATEFORME,
        }
        enqueue(
            to=destinataires,
            subject=f"Catalogue {millesime} : {len(fiches)} fiche(s) de {structure.sigle} à mettre à jour",
            body=render_to_string("intake/emails/revue_catalogue.txt", contexte),
            kind="revue_catalogue",
        )
        envoyes += 1
    return envoyes
