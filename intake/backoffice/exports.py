"""CSV and XLSX exports of the current filtered list, streamed, in the user's scope.

The list columns (no personal data) are filled for every row; the demandeur's identity,
contact and message only for the demandes the user may see in detail.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from intake import permissions

COLONNES = [
    "Numéro", "Déposée le", "Statut", "Thème", "Fiche", "Structure", "Direction", "Collectivité",
    "Type de collectivité", "Lieu", "Échéance de premier contact", "Premier contact le", "En retard", "Clôturée le",
]
COLONNES_PERSONNELLES = [
    "Demandeur nom", "Demandeur prénom", "Fonction", "Courriel", "Téléphone", "Message", "Expert référent",
]


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def lignes(user, queryset):
    """The header then one row per demande (an iterator: the list may be long)."""
    visibles = permissions.ids_visibles_en_detail(user, queryset)
    yield COLONNES + COLONNES_PERSONNELLES
    queryset = queryset.select_related(
        "thematique", "fiche", "direction__structure", "collectivite", "lieu", "expert_referent"
    )
    for demande in queryset.iterator(chunk_size=500):
        ligne = [
            demande.numero,
            _date(demande.created_at),
            demande.get_statut_display(),
            str(demande.thematique or ""),
            demande.fiche.title if demande.fiche_id else "Demande libre",
            str(demande.direction.structure) if demande.direction_id else "",
            demande.direction.libelle_court if demande.direction_id else "",
            demande.collectivite.nom,
            demande.get_type_collectivite_display(),
            str(demande.lieu or demande.lieu_precision or ""),
            _date(demande.echeance_premier_contact),
            _date(demande.premier_contact_le),
            "oui" if demande.est_en_retard else "non",
            _date(demande.cloturee_le),
        ]
        if demande.pk in visibles:
            referent = demande.expert_referent
            ligne += [
                demande.demandeur_nom, demande.demandeur_prenom, demande.demandeur_fonction, demande.demandeur_email,
                demande.demandeur_telephone, demande.message,
                (referent.get_full_name() or referent.get_username()) if referent else "",
            ]
        else:
            ligne += [""] * len(COLONNES_PERSONNELLES)
        yield ligne


def _nom_fichier(extension):
    return f"demandes-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def reponse_csv(user, queryset):
    writer = csv.writer(_Echo(), delimiter=";")

    def contenu():
        yield "\ufeff"  # lets spreadsheet software read the accents
        for ligne in lignes(user, queryset):
            yield writer.writerow(ligne)

    response = StreamingHttpResponse(contenu(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_nom_fichier("csv")}"'
    return response


def reponse_xlsx(user, queryset):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Demandes")
    for ligne in lignes(user, queryset):
        sheet.append(ligne)
    fichier = tempfile.TemporaryFile()
    workbook.save(fichier)
    fichier.seek(0)
    return FileResponse(
        fichier, as_attachment=True, filename=_nom_fichier("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
