"""Audit of access to personal data: who opened the detail of a demande, downloaded one of its
attachments or exported the list, and when."""

from intake.models import AccesDemande


def _libelle(user):
    if user is not None and getattr(user, "pk", None):
        return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"
    return ""


def enregistrer_acces(user, demande, nature=AccesDemande.Nature.DETAIL, objet=""):
    """Record that `user` read the personal data of `demande` (its detail by default, or one
    attachment: `objet` is then the file name). Called after the permission check passed."""
    libelle = _libelle(user)
    return AccesDemande.objects.create(
        demande=demande, user=user if libelle else None, utilisateur_libelle=libelle, nature=nature, objet=objet[:500]
    )


def enregistrer_export(user, format_, nombre, objet=""):
    """Record that `user` exported `nombre` demandes of the list (`format_`: "csv" or "xlsx");
    `objet` says which list (its filters)."""
    libelle = _libelle(user)
    nature = AccesDemande.Nature.EXPORT_XLSX if format_ == "xlsx" else AccesDemande.Nature.EXPORT_CSV
    return AccesDemande.objects.create(
        user=user if libelle else None, utilisateur_libelle=libelle, nature=nature, objet=objet[:500], nombre=nombre
    )


def acces_de_la_demande(demande):
    return AccesDemande.objects.filter(demande=demande).select_related("user")
