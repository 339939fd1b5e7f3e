"""Audit of access to personal data: who opened the detail of a demande, and when (issue 7)."""

from intake.models import AccesDemande


def enregistrer_acces(user, demande):
    """Record that `user` opened the detail of `demande` (identity, contact, message, journal).

    Called by the back office's detail view after the permission check passed.
    """
    libelle = ""
    if user is not None and getattr(user, "pk", None):
        libelle = f"{user.get_full_name() or user.get_username()} ({user.get_username()})"
    return AccesDemande.objects.create(demande=demande, user=user if libelle else None, utilisateur_libelle=libelle)


def acces_de_la_demande(demande):
    return AccesDemande.objects.filter(demande=demande).select_related("user")
