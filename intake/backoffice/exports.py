"""CSV and XLSX exports of the current filtered list, streamed, in the user's scope.

The list columns (no personal data) are filled for every row; the demandeur's identity,
contact and message only for the demandes the user may see in detail.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from catalogue.enums import TypeCollectivite
from intake import permissions
from intake.models import Collectivite, Demande

COLONNES = [
    "Numéro", "Déposée le", "Statut", "Thème", "Fiche", "Structure", "Direction", "Collectivité",
    "Type de collectivité", "Lieu", "Échéance de premier contact", "Premier contact le", "En retard", "Clôturée le",
]
COLONNES_PERSONNELLES = [
    "Demandeur nom", "Demandeur prénom", "Fonction", "Courriel", "Téléphone", "Message", "Expert référent",
]


# A cell starting with one of these is read as a formula by spreadsheet software (CSV
# included): "=HYPERLINK(...)" typed as a name must stay text (OWASP "CSV injection").
DEBUTS_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(valeur):
    """The value as a spreadsheet shows it as text: a leading apostrophe before a formula start."""
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_FORMULE):
        return "'" + valeur
    return valeur


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


# Read as plain values: building the demande and its seven related objects for each of
# 100,000 rows took most of an export's time (make bench).
CHAMPS = (
    "pk", "numero", "created_at", "statut", "thematique__nom", "fiche_id", "fiche__title", "direction_id",
    "direction__nom", "direction__sigle", "direction__structure__nom", "collectivite__nom", "type_collectivite",
    "lieu__nom", "lieu__type", "lieu__codes_postaux", "lieu_precision", "echeance_premier_contact",
    "premier_contact_le", "cloturee_le", "demandeur_nom", "demandeur_prenom", "demandeur_fonction",
    "demandeur_email", "demandeur_telephone", "message", "expert_referent__first_name",
    "expert_referent__last_name", "expert_referent__username",
)


def lignes(user, queryset):
    """The header then one row per demande (an iterator: the list may be long)."""
    visibles = permissions.ids_visibles_en_detail(user, queryset)
    statuts = dict(Demande.Statut.choices)
    types = dict(TypeCollectivite.choices)
    aujourd_hui = timezone.localdate()
    yield COLONNES + COLONNES_PERSONNELLES
    for d in queryset.prefetch_related(None).values(*CHAMPS).iterator(chunk_size=2000):
        lieu = Collectivite.libelle(d["lieu__nom"], d["lieu__type"], d["lieu__codes_postaux"]) if d["lieu__nom"] else ""
        ligne = [
            d["numero"],
            _date(d["created_at"]),
            statuts.get(d["statut"], d["statut"]),
            d["thematique__nom"] or "",
            d["fiche__title"] if d["fiche_id"] else "Demande libre",
            d["direction__structure__nom"] if d["direction_id"] else "",
            (d["direction__sigle"] or d["direction__nom"]) if d["direction_id"] else "",
            d["collectivite__nom"],
            types.get(d["type_collectivite"], d["type_collectivite"]),
            lieu or d["lieu_precision"] or "",
            _date(d["echeance_premier_contact"]),
            _date(d["premier_contact_le"]),
            "oui" if Demande.retard(d["statut"], d["premier_contact_le"], d["echeance_premier_contact"], aujourd_hui)
            else "non",
            _date(d["cloturee_le"]),
        ]
        if d["pk"] in visibles:
            referent = d["expert_referent__username"]
            nom_referent = f"{d['expert_referent__first_name']} {d['expert_referent__last_name']}".strip()
            ligne += [
                d["demandeur_nom"], d["demandeur_prenom"], d["demandeur_fonction"], d["demandeur_email"],
                d["demandeur_telephone"], d["message"], (nom_referent or referent) if referent else "",
            ]
        else:
            ligne += [""] * len(COLONNES_PERSONNELLES)
        yield [neutraliser(valeur) for valeur in ligne]


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
