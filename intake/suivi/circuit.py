"""Use cases of the request circuit that change a demande and tell people: the model method does
the checked change, this module writes the e-mails to the outbox in the same transaction (the
model never imports the back office or the notifications)."""

from django.db import transaction

from intake.models import Demande
from intake.notifications import avis


def affecter(demande, *, by, referent=None, directions_associees=None, experts_associes=None, reason="", version=None):
    """The chef de file (or the administrator) designates the référent and associated experts or
    directions; the newly designated people and, for a new référent, the commune are told."""
    with transaction.atomic():
        designations = demande.affecter(
            by=by,
            referent=referent,
            directions_associees=directions_associees,
            experts_associes=experts_associes,
            reason=reason,
            version=version,
        )
        avis.aviser_designation(
            demande,
            by,
            referent=designations.referent,
            experts=designations.experts,
            directions=designations.directions,
        )
        if designations.referent is not None:
            avis.aviser_collectivite_referent(demande, by)
    return designations


def orienter(demande, *, by, direction=None, fiche=None, reason="", version=None):
    """The administrator routes a demande to a chef de file direction: the direction is told, and
    the commune hears who handles its demande now."""
    etait_rejetee = demande.statut == Demande.Statut.REJETE
    with transaction.atomic():
        demande.router(by=by, direction=direction, fiche=fiche, reason=reason, version=version)
        avis.aviser_orientation(demande, by)
        avis.aviser_collectivite_orientation(demande, by, reorientation=etait_rejetee)
    return demande
