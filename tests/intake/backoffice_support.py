"""Helpers of the back-office tests: demandes in a given state, routed to HGI's direction."""

import datetime

from django.utils import timezone

from intake.models import Demande
from tests.factories import DemandeFactory


def demande_hgi(organisation, statut=Demande.Statut.ATTRIBUE_CHEF_DE_FILE, **extra):
    """A demande of the HGI juridique direction, written directly in `statut` (setup only)."""
    extra.setdefault("direction", organisation["hgi_juridique"])
    return DemandeFactory(statut=statut, **extra)


def demande_en_retard(organisation, **extra):
    extra.setdefault("echeance_premier_contact", timezone.localdate() - datetime.timedelta(days=3))
    extra.setdefault("created_at", timezone.now() - datetime.timedelta(days=13))
    return demande_hgi(organisation, **extra)


def inspect_url(demande):
    return f"/admin/intake/demande/inspect/{demande.pk}/"
