"""The yearly catalogue review campaign: each partner group is emailed its fiches to validate.

Like the deadline reminders (intake.notifications.relances), each email is recorded in `Relance`
under a unique key (structure, millésime, ISO week) in the transaction that queues it: running
the weekly command twice, or on two hosts at once, sends one email per structure and week."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.models import ReglagesCatalogue
from catalogue.revue import fiches_a_revoir
from intake.models import Relance
from intake.notifications.outbox import enqueue


def relancer_revue(millesime=None, today=None):
    """Queue one email per partner structure with fiches not validated for `millesime`, at most
    once per structure and ISO week. Returns how many were queued by this call."""
    millesime = millesime or ReglagesCatalogue.millesime_en_cours()
    annee, semaine, _ = (today or timezone.localdate()).isocalendar()
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
        try:
            with transaction.atomic():
                Relance.objects.create(
                    cle=f"revue_catalogue:{structure.pk}:{millesime}:{annee}-{semaine:02d}",
                    type=Relance.Type.REVUE_CATALOGUE,
                    destinataires=", ".join(destinataires),
                )
                enqueue(
                    to=destinataires,
                    subject=f"Catalogue {millesime} : {len(fiches)} fiche(s) de {structure.sigle} à mettre à jour",
                    body=render_to_string("intake/emails/revue_catalogue.txt", contexte),
                    kind="revue_catalogue",
                )
        except IntegrityError:
            continue  # already queued this week by an earlier (or concurrent) run
        envoyes += 1
    return envoyes
