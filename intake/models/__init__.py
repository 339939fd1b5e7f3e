"""Intake models, one module per concern: referential, demandes (and journal), outbox, follow-up."""

from intake.models.demandes import Demande, EntreeJournal, PieceJointe, chemin_piece_jointe, nouveau_jeton
from intake.models.exploitation import ExecutionTache
from intake.models.outbox import CleIdempotence, CompteurNumero, Notification
from intake.models.pages import DemandePage
from intake.models.referentiel import Collectivite

__all__ = [
    "CleIdempotence",
    "Collectivite",
    "CompteurNumero",
    "Demande",
    "DemandePage",
    "EntreeJournal",
    "ExecutionTache",
    "Notification",
    "PieceJointe",
    "chemin_piece_jointe",
    "nouveau_jeton",
]
