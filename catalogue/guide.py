"""The printable guide: a PDF of the whole published catalogue, rendered with WeasyPrint.

The file is named after a fingerprint of the published catalogue (fiches, partner
pages, thématiques, millésime): it is rendered once after a change, then served as
a file at every download.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from catalogue.enums import NatureFiche, delai_rappel_jours
from catalogue.models import FichePage, ReglagesCatalogue, StructurePage, Thematique
from catalogue.qr import qr_png_data_uri

DOSSIER = "guide"


def dossier_guide():
    return Path(settings.MEDIA_ROOT) / DOSSIER


def empreinte_catalogue():
    """A short hash that changes whenever something printed in the guide changes."""
    # The platform's identity and address are printed too (cover, QR codes).
    morceaux = [str(ReglagesCatalogue.millesime_en_cours()), base_url(), repr(sorted(settings.PLATEFORME.items()))]
    for model in (FichePage, StructurePage):
        morceaux += [
            f"{pk}:{published}"
            for pk, published in model.objects.live().public().values_list("pk", "last_published_at").order_by("pk")
        ]
    morceaux += [f"t{pk}:{nom}:{ordre}" for pk, nom, ordre in Thematique.objects.values_list("pk", "nom", "ordre")]
    return hashlib.sha256("|".join(morceaux).encode()).hexdigest()[:16]


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def url_fiche(fiche):
    """The fiche's public address, absolute: it is printed and put in a QR code."""
    parties = fiche.get_url_parts()
    if parties is None:  # not routable (no site): no address to print
        return ""
    return base_url() + parties[2]


def url_formulaire(fiche):
    return f"{base_url()}{reverse('intake_depot')}?fiche={fiche.pk}"


def chemin_logo():
    """The platform's logo as a file URI WeasyPrint can read, or "" if the static file is missing."""
    chemin = finders.find(settings.PLATEFORME["LOGO"]) if settings.PLATEFORME.get("LOGO") else None
    return Path(chemin).resolve().as_uri() if chemin else ""


def contexte_guide():
    fiches = list(
        FichePage.objects.live()
        .public()
        .select_related("thematique", "chef_de_file__structure")
        .prefetch_related("co_chefs_de_file__structure")
        .order_by("thematique__ordre", "thematique__nom", "title")
    )
    groupes = {}
    for fiche in fiches:
        fiche.url_guide = url_fiche(fiche)
        fiche.qr_page = qr_png_data_uri(fiche.url_guide) if fiche.url_guide else ""
        if fiche.demande_en_ligne:
            fiche.url_formulaire = url_formulaire(fiche)
            fiche.qr_formulaire = qr_png_data_uri(fiche.url_formulaire)
        groupes.setdefault(fiche.thematique, []).append(fiche)
    return {
        "plateforme": settings.PLATEFORME,
        "logo": chemin_logo(),
        "adresse_site": base_url(),
        "adresse_formulaire": base_url() + reverse("intake_depot"),
        "delai_urgent": delai_rappel_jours(NatureFiche.URGENTE),
        "delai_complexe": delai_rappel_jours(NatureFiche.COMPLEXE),
        "millesime": ReglagesCatalogue.millesime_en_cours(),
        "groupes": list(groupes.items()),
        "structures": StructurePage.objects.live().public().select_related("structure").order_by("structure__ordre"),
        "genere_le": timezone.localdate(),
    }


def rendre_pdf():
    """The guide as PDF bytes (slow: a few seconds for a few hundred fiches)."""
    from weasyprint import HTML

    html = render_to_string("catalogue/guide_pdf.html", contexte_guide())
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def chemin_guide():
    """The up-to-date guide file, rendered now only if the catalogue changed since the last one."""
    dossier = dossier_guide()
    chemin = dossier / f"guide-{empreinte_catalogue()}.pdf"
    if chemin.exists():
        return chemin
    dossier.mkdir(parents=True, exist_ok=True)
    contenu = rendre_pdf()
    # Write then rename: a concurrent download never reads a half-written file.
    descripteur, temporaire = tempfile.mkstemp(dir=dossier, suffix=".tmp")
    with os.fdopen(descripteur, "wb") as fichier:
        fichier.write(contenu)
    os.replace(temporaire, chemin)
    for ancien in dossier.glob("guide-*.pdf"):
        if ancien != chemin:
            ancien.unlink(missing_ok=True)
    return chemin
