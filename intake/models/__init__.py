"""Intake models, one module per concern: referential, demandes (and journal), outbox, follow-up."""

from intake.models.demandes import Demande, EntreeJournal, PieceJointe, chemin_piece_jointe, nouveau_jeton
from intake.models.exploitation import ExecutionTache
from intake.models.referentiel import Collectivite

__all__ = ["Collectivite", "Demande", "ExecutionTache", "EntreeJournal", "PieceJointe", "chemin_piece_jointe", "nouveau_jeton"]

# --- issue 7: access log and anonymisation records ---
from intake.models.audit import AccesDemande, Anonymisation  # noqa: E402

__all__ += ["AccesDemande", "Anonymisation"]
