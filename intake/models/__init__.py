"""Intake models, one module per concern: referential, demandes (and journal), outbox, follow-up."""

from intake.models.audit import AccesDemande, Anonymisation
from intake.models.demandes import (
    ActionRefusee,
    ConflitModification,
    Demande,
    EntreeJournal,
    PieceJointe,
    TransitionInvalide,
    chemin_piece_jointe,
    nouveau_jeton,
)
from intake.models.exports import Export
from intake.models.outbox import CleIdempotence, CompteurNumero, Notification
from intake.models.pages import DemandePage
from intake.models.referentiel import Collectivite
from intake.models.satisfaction import Satisfaction
from intake.models.suivi import Relance

__all__ = [
    "AccesDemande",
    "ActionRefusee",
    "Anonymisation",
    "CleIdempotence",
    "Collectivite",
    "CompteurNumero",
    "ConflitModification",
    "Demande",
    "DemandePage",
    "EntreeJournal",
    "Export",
    "Notification",
    "PieceJointe",
    "Relance",
    "Satisfaction",
    "TransitionInvalide",
    "chemin_piece_jointe",
    "nouveau_jeton",
]
