"""The accusé de réception as a PDF letter (WeasyPrint): a filing is an official referral
to the Président du Département, so the letter carries the Président's signature block.

Rendered by the outbox sender, outside any transaction: it only reads the demande.
The PDF is tagged (PDF/UA-1) so that a screen reader follows the letter.
"""

import logging
import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.enums import TypeCollectivite
from catalogue.qr import qr_png_data_uri
from intake.liens import lien_suivi

logger = logging.getLogger(__name__)

# "31090 Toulouse Cedex 9" → "Toulouse": the town after the last postcode of an address.
_VILLE_ADRESSE = re.compile(r"\b\d{5}\s+(?P<ville>[^,\d]+?)(?:\s+cedex\b.*)?\s*$", re.IGNORECASE)
_VOYELLES = "AEIOUYÂÄÀÉÈÊËÎÏÔÖÛÜŒ"


def nom_fichier_accuse(demande):
    return f"accuse-reception-demande-{demande.numero}.pdf"


def ville_lettre(plateforme=None):
    """The place written before the date: PLATEFORME_VILLE, else the town of the Département's
    address; "" when neither says it (the letter is then dated without a place)."""
    plateforme = plateforme or settings.PLATEFORME
    if plateforme.get("VILLE"):
        return plateforme["VILLE"].strip()
    trouve = _VILLE_ADRESSE.search(plateforme.get("ADRESSE", "") or "")
    return trouve.group("ville").strip() if trouve else ""


def mairie_de(nom):
    """« Mairie de Muret », « Mairie d'Aurignac », « Mairie du Fousseret », « Mairie des Varennes »."""
    for article, contraction in (("Le ", "du "), ("Les ", "des ")):
        if nom.startswith(article):
            return f"Mairie {contraction}{nom[len(article) :]}"
    if nom[:1].upper() in _VOYELLES:
        return f"Mairie d'{nom}"
    return f"Mairie de {nom}"


def adresse_collectivite(collectivite):
    """The collectivité's postal address, as far as the referential knows it (it has no street):
    « Mairie de <nom> / <code postal> <nom> » for a commune, the EPCI's name otherwise."""
    if collectivite.type == TypeCollectivite.COMMUNE:
        lignes = [mairie_de(collectivite.nom)]
        if collectivite.codes_postaux:
            lignes.append(f"{collectivite.codes_postaux[0]} {collectivite.nom.upper()}")
        return lignes
    return [collectivite.nom]


# Functions a letter names in its salutation (« Madame la Maire »): the function as typed,
# accents and case ignored, alone or followed by « de … » (« Présidente de la CC … »); others
# (« maire adjoint », « DGS ») get « Madame » / « Monsieur ».
_SUITE = r"(?:$|\s+(?:de|du|des)\s|\s+d')"
TITRES = (
    (re.compile(r"^maire" + _SUITE), {"madame": "Madame la Maire", "monsieur": "Monsieur le Maire"}),
    (re.compile(r"^presidente?" + _SUITE), {"madame": "Madame la Présidente", "monsieur": "Monsieur le Président"}),
)


def _sans_accents(texte):
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower().strip()


def formule_appel(demande):
    """« Madame la Maire », « Monsieur le Président », « Madame »; « Madame, Monsieur » when the
    demandeur gave no civility (the form asks for it, optionally: it is never guessed)."""
    civilite = demande.demandeur_civilite
    if civilite not in (demande.Civilite.MADAME, demande.Civilite.MONSIEUR):
        return "Madame, Monsieur"
    fonction = _sans_accents(demande.demandeur_fonction or "")
    for motif, appels in TITRES:
        if motif.match(fonction):
            return appels[civilite]
    return demande.get_demandeur_civilite_display()


def destinataire(demande):
    """The address block: the person (with the civility given), the function as typed, then
    the collectivité's address."""
    personne = f"{demande.demandeur_prenom} {demande.demandeur_nom}".strip()
    if demande.demandeur_civilite:
        personne = f"{demande.get_demandeur_civilite_display()} {personne}"
    lignes = [personne]
    if demande.demandeur_fonction:
        lignes.append(demande.demandeur_fonction)
    return lignes + adresse_collectivite(demande.collectivite)


def image_signature(plateforme=None):
    """The signature image as a file URI, or "" (none configured, or the file is missing)."""
    plateforme = plateforme or settings.PLATEFORME
    chemin = (plateforme.get("SIGNATURE_IMAGE") or "").strip()
    if not chemin:
        return ""
    trouve = chemin if Path(chemin).is_absolute() else finders.find(chemin)
    fichier = Path(trouve) if trouve else None
    if fichier is None or not fichier.is_file():
        logger.warning("Image de signature introuvable : %s (lettre imprimée sans elle)", chemin)
        return ""
    return fichier.resolve().as_uri()


def logo(plateforme=None):
    plateforme = plateforme or settings.PLATEFORME
    chemin = finders.find(plateforme["LOGO"]) if plateforme.get("LOGO") else None
    return Path(chemin).resolve().as_uri() if chemin else ""


# The tracking link is printed whole on one line (it is typed back from paper): its monospace
# font shrinks with its length to fit the 17 cm of text (DejaVu Sans Mono: 0.602 em a character).
LARGEUR_TEXTE_PT = 17 / 2.54 * 72
TAILLE_LIEN_MAX_PT, TAILLE_LIEN_MIN_PT = 8.5, 5.5


def taille_lien(url):
    """The CSS font size, as a string: a localised float would print « 7,1pt »."""
    taille = (LARGEUR_TEXTE_PT - 10) / (0.602 * max(len(url), 1))
    return f"{max(TAILLE_LIEN_MIN_PT, min(TAILLE_LIEN_MAX_PT, taille)):.1f}pt"


def contexte_accuse(demande):
    plateforme = settings.PLATEFORME
    lien = lien_suivi(demande)
    return {
        "demande": demande,
        "plateforme": plateforme,
        "logo": logo(plateforme),
        "lien_suivi": lien,
        "qr_suivi": qr_png_data_uri(lien),
        "taille_lien": taille_lien(lien),
        "ville": ville_lettre(plateforme),
        # The letter is dated on the filing day: sending it again later prints the same letter.
        "date_lettre": timezone.localtime(demande.created_at).date(),
        "date_depot": timezone.localtime(demande.created_at),
        "destinataire": destinataire(demande),
        "appel": formule_appel(demande),
        "signature_image": image_signature(plateforme),
    }


def rendre_accuse_pdf(demande) -> bytes:
    from weasyprint import HTML

    html = render_to_string("intake/depot_accuse_pdf.html", contexte_accuse(demande))
    # PDF/UA-1: tagged structure, document language and title, for screen readers.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
