"""Office Open XML and OpenDocument files are zip archives: a few kilobytes can declare
gigabytes once unpacked (a "zip bomb") and choke whoever opens or indexes the file. The
archive's own directory is read, nothing is unpacked."""

import zipfile

from django.core.exceptions import ValidationError

TAILLE_DECOMPRESSEE_MAX = 100 * 1024 * 1024
RATIO_MAX = 100
# Below this, a high ratio is only a short, repetitive text: a real document, not a bomb.
TAILLE_RATIO_MIN = 1024 * 1024
NOMBRE_MEMBRES_MAX = 1000
TYPES_ARCHIVES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


def verifier_archive(fichier, nom):
    """Refuse a zip-based document whose declared content is too large, too compressed or made
    of too many parts; raises ValidationError with a French message."""
    refus = ValidationError(
        f"« {nom} » a été refusé : une fois décompressé, ce document serait anormalement volumineux "
        "(fichier compressé piégé ou corrompu). Enregistrez-le de nouveau ou joignez-le en PDF.",
        code="archive",
    )
    fichier.seek(0)
    try:
        with zipfile.ZipFile(fichier) as archive:
            membres = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        fichier.seek(0)
        raise ValidationError(f"« {nom} » est illisible : le document semble endommagé.", code="archive") from None
    finally:
        fichier.seek(0)
    if len(membres) > NOMBRE_MEMBRES_MAX:
        raise refus
    total = sum(membre.file_size for membre in membres)
    compresse = sum(membre.compress_size for membre in membres)
    if total > TAILLE_DECOMPRESSEE_MAX:
        raise refus
    if total > TAILLE_RATIO_MIN and total > RATIO_MAX * max(compresse, 1):
        raise refus
