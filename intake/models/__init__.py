"""Intake models, one module per concern: referential, demandes (and journal), outbox, follow-up."""

from intake.models.demandes import (
    ActionRefusee,
    ConflitModification,
    Demande,
    EntreeJournal,
    PieceJointe,
    TransitionInvalide,
    calculer_echeance,
    chemin_piece_jointe,
    nouveau_jeton,
)
from intake.models.referentiel import Collectivite
from intake.models.suivi import Relance

__all__ = [
    "ActionRefusee",
    "Collectivite",
    "ConflitModification",
    "Demande",
    "EntreeJournal",
    "PieceJointe",
    "Relance",
    "TransitionInvalide",
    "calculer_echeance",
    "chemin_piece_jointe",
    "nouveau_jeton",
]
