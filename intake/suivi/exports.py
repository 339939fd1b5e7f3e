"""CSV and XLSX exports of the current filtered list, in the user's scope: small ones in the
request, large ones queued and built by `generer_exports` (never in a web worker).

The list columns (no personal data) are filled for every row; the demandeur's identity,
contact and message only for the demandes the user may see in detail.
"""

import csv
import io
import tempfile
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils import timezone

from catalogue.dates import date_fr
from catalogue.enums import TypeCollectivite
from intake import permissions
from intake.donnees_personnelles.audit import enregistrer_export
from intake.models import Collectivite, Demande, Export

COLONNES = [
    "Numéro",
    "Déposée le",
    "Statut",
    "Thème",
    "Fiche",
    "Structure",
    "Direction",
    "Collectivité",
    "Type de collectivité",
    "Lieu",
    "Échéance de premier contact",
    "Premier contact le",
    "En retard",
    "Clôturée le",
]
COLONNES_PERSONNELLES = [
    "Demandeur nom",
    "Demandeur prénom",
    "Fonction",
    "Courriel",
    "Téléphone",
    "Message",
    "Expert référent",
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
    """A date or local datetime (as `valeurs` yields them) as the CSV writes it."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _heure_locale(value):
    # Spreadsheets have no time zones: an export shows the local (French) time, as the list does.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


# Read as plain values: building the demande and its seven related objects for each of
# 100,000 rows took most of an export's time (make bench).
CHAMPS = (
    "pk",
    "numero",
    "created_at",
    "statut",
    "thematique__nom",
    "fiche_id",
    "fiche__title",
    "direction_id",
    "direction__nom",
    "direction__sigle",
    "direction__structure__nom",
    "collectivite__nom",
    "type_collectivite",
    "lieu__nom",
    "lieu__type",
    "lieu__codes_postaux",
    "lieu_precision",
    "echeance_premier_contact",
    "premier_contact_le",
    "cloturee_le",
    "demandeur_nom",
    "demandeur_prenom",
    "demandeur_fonction",
    "demandeur_email",
    "demandeur_telephone",
    "message",
    "expert_referent__first_name",
    "expert_referent__last_name",
    "expert_referent__username",
)


def valeurs(user, queryset):
    """The header then one row per demande (an iterator: the list may be long), dates as
    `date` and naive local `datetime` objects, text already neutralised."""
    visibles = permissions.ids_visibles_en_detail(user, queryset)
    statuts = dict(Demande.Statut.choices)
    types = dict(TypeCollectivite.choices)
    aujourd_hui = timezone.localdate()
    yield COLONNES + COLONNES_PERSONNELLES
    for d in queryset.prefetch_related(None).values(*CHAMPS).iterator(chunk_size=2000):
        lieu = Collectivite.libelle(d["lieu__nom"], d["lieu__type"], d["lieu__codes_postaux"]) if d["lieu__nom"] else ""
        ligne = [
            d["numero"],
            _heure_locale(d["created_at"]),
            statuts.get(d["statut"], d["statut"]),
            d["thematique__nom"] or "",
            d["fiche__title"] if d["fiche_id"] else "Demande libre",
            d["direction__structure__nom"] if d["direction_id"] else "",
            (d["direction__sigle"] or d["direction__nom"]) if d["direction_id"] else "",
            d["collectivite__nom"],
            types.get(d["type_collectivite"], d["type_collectivite"]),
            lieu or d["lieu_precision"] or "",
            d["echeance_premier_contact"],
            d["premier_contact_le"],
            "oui"
            if Demande.retard(d["statut"], d["premier_contact_le"], d["echeance_premier_contact"], aujourd_hui)
            else "non",
            _heure_locale(d["cloturee_le"]),
        ]
        if d["pk"] in visibles:
            referent = d["expert_referent__username"]
            nom_referent = f"{d['expert_referent__first_name']} {d['expert_referent__last_name']}".strip()
            ligne += [
                d["demandeur_nom"],
                d["demandeur_prenom"],
                d["demandeur_fonction"],
                d["demandeur_email"],
                d["demandeur_telephone"],
                d["message"],
                (nom_referent or referent) if referent else "",
            ]
        else:
            ligne += [""] * len(COLONNES_PERSONNELLES)
        yield [neutraliser(valeur) for valeur in ligne]


def lignes(user, queryset):
    """The rows as the CSV writes them: dates as dd/mm/yyyy text."""
    for ligne in valeurs(user, queryset):
        yield [_date(valeur) if isinstance(valeur, (date, datetime)) or valeur is None else valeur for valeur in ligne]


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


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# Expected widths (characters) of the XLSX columns: set up front, a write-only sheet cannot
# be measured afterwards, and scanning 100,000 rows first would double the build time.
LARGEURS = {
    "Numéro": 9,
    "Déposée le": 16,
    "Statut": 26,
    "Thème": 34,
    "Fiche": 48,
    "Structure": 30,
    "Direction": 18,
    "Collectivité": 28,
    "Type de collectivité": 22,
    "Lieu": 28,
    "Échéance de premier contact": 14,
    "Premier contact le": 14,
    "En retard": 9,
    "Clôturée le": 16,
    "Demandeur nom": 20,
    "Demandeur prénom": 18,
    "Fonction": 22,
    "Courriel": 30,
    "Téléphone": 16,
    "Message": 60,
    "Expert référent": 24,
}
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_DATE_HEURE = "dd/mm/yyyy hh:mm"


def titre_export(jour=None):
    return f"Demandes — export du {date_fr(jour or timezone.localdate())}"


def ecrire_xlsx(user, queryset, fichier):
    """Write the workbook to the binary file `fichier`; returns the number of demandes.

    One sheet « Demandes »: row 1 is the column header (bold, frozen, with filters), dates are
    real date cells; the export's title and date are the document title and the printed header."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    titre = titre_export()
    workbook = Workbook(write_only=True)
    workbook.properties.title = titre
    workbook.properties.creator = settings.PLATEFORME["NOM"]
    sheet = workbook.create_sheet("Demandes")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.oddHeader.center.text = titre
    sheet.oddFooter.center.text = "Page &P / &N"

    rangees = valeurs(user, queryset)
    entete = next(rangees)
    for numero, nom in enumerate(entete, start=1):
        sheet.column_dimensions[get_column_letter(numero)].width = LARGEURS.get(nom, len(nom) + 2)
    gras, retour_a_la_ligne = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    titres = []
    for nom in entete:
        case = WriteOnlyCell(sheet, value=nom)
        case.font, case.alignment = gras, retour_a_la_ligne
        titres.append(case)
    sheet.append(titres)

    def en_cellule(valeur):
        if isinstance(valeur, (date, datetime)):
            case = WriteOnlyCell(sheet, value=valeur)
            case.number_format = FORMAT_DATE_HEURE if isinstance(valeur, datetime) else FORMAT_DATE
            return case
        return valeur

    nombre = 0
    for ligne in rangees:
        sheet.append([en_cellule(valeur) for valeur in ligne])
        nombre += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(entete))}{nombre + 1}"
    workbook.save(fichier)
    return nombre


def ecrire_csv(user, queryset, fichier):
    """Write the CSV (UTF-8 with BOM, `;`) to the binary file `fichier`; returns the number of demandes."""
    texte = io.TextIOWrapper(fichier, encoding="utf-8-sig", newline="")
    writer = csv.writer(texte, delimiter=";")
    nombre = -1
    for ligne in lignes(user, queryset):
        writer.writerow(ligne)
        nombre += 1
    texte.flush()
    texte.detach()
    return nombre


def reponse_xlsx(user, queryset):
    fichier = tempfile.TemporaryFile()
    ecrire_xlsx(user, queryset, fichier)
    fichier.seek(0)
    return FileResponse(fichier, as_attachment=True, filename=_nom_fichier("xlsx"), content_type=CONTENT_TYPES["xlsx"])


# --- Exports too large for a web worker -------------------------------------------------
# Building 100,000 rows takes seconds (CSV) to tens of seconds (XLSX) of one worker's CPU:
# three at once were killed by gunicorn's timeout and the public site waited meanwhile.
# Above INTAKE_EXPORT_SYNCHRONE_MAX rows the export is queued and built by `generer_exports`.

MESSAGE_EN_PREPARATION = "Votre export est en préparation ; il sera disponible dans « Mes exports »."


def seuil_synchrone():
    return settings.INTAKE_EXPORT_SYNCHRONE_MAX


def exports_en_preparation_max():
    return settings.INTAKE_EXPORT_EN_PREPARATION_MAX


def _filtres(request):
    params = request.GET.copy()
    for cle in ("export", "p"):
        params.pop(cle, None)
    return params.urlencode()


class _Construction:
    """Set on the replayed request by `construire`: the list view hands its queryset over
    instead of answering."""

    queryset = None


def reponse(request, queryset, format_):
    """What the list answers to `?export=csv|xlsx`: the file itself when small, else a queued
    export and the list again with a message. Every export is written in the access log."""
    construction = getattr(request, "construction_export", None)
    if construction is not None:
        construction.queryset = queryset
        return HttpResponse(status=204)
    user = request.user
    filtres = _filtres(request)
    nombre = queryset.count()
    retour = redirect(reverse("intake_demande_modeladmin_index") + (f"?{filtres}" if filtres else ""))
    if nombre > seuil_synchrone():
        en_preparation = Export.objects.filter(user=user, statut__in=[Export.Statut.EN_ATTENTE, Export.Statut.EN_COURS])
        if en_preparation.filter(format=format_, filtres=filtres).exists():
            messages.info(request, MESSAGE_EN_PREPARATION)
        elif en_preparation.count() >= exports_en_preparation_max():
            messages.error(
                request,
                f"Vous avez déjà {en_preparation.count()} exports en préparation : attendez qu'ils soient prêts "
                "(« Mes exports ») avant d'en demander un autre.",
            )
        else:
            Export.objects.create(user=user, format=format_, filtres=filtres)
            messages.info(request, MESSAGE_EN_PREPARATION)
        return retour
    enregistrer_export(user, format_, nombre, filtres)
    if format_ == "csv":
        return reponse_csv(user, queryset)
    return reponse_xlsx(user, queryset)


def _queryset_de(export):
    """The list as `export.user` sees it now with the export's filters, by replaying the list
    view: its permission check and scope apply at build time. None when the user lost access."""
    from django.test import RequestFactory  # only the builder needs it, not the web workers

    if not export.user.is_active:
        return None
    chemin = reverse("intake_demande_modeladmin_index")
    params = QueryDict(export.filtres, mutable=True)
    params["export"] = export.format
    request = RequestFactory().get(chemin, params)
    request.user = export.user
    request.session = {}
    request._messages = default_storage(request)
    request.construction_export = _Construction()
    match = resolve(chemin)
    try:
        match.func(request, *match.args, **match.kwargs)
    except (PermissionDenied, Http404):
        return None
    return request.construction_export.queryset


def construire(export):
    """Build one queued export (claimed first, so two builders never build the same one)."""
    pris = Export.objects.filter(pk=export.pk, statut=Export.Statut.EN_ATTENTE).update(
        statut=Export.Statut.EN_COURS, commence_le=timezone.now()
    )
    if not pris:
        return False
    export.refresh_from_db()
    queryset = _queryset_de(export)
    if queryset is None:
        export.statut, export.erreur = Export.Statut.ECHEC, "Vous n'avez plus accès à la liste des demandes."
    else:
        with tempfile.TemporaryFile() as fichier:
            ecrire = ecrire_csv if export.format == "csv" else ecrire_xlsx
            export.nombre = ecrire(export.user, queryset, fichier)
            fichier.seek(0)
            export.fichier.save(export.nom_telechargement(), File(fichier), save=False)
        export.statut = Export.Statut.PRET
    export.termine_le = timezone.now()
    export.save()
    return True


def nettoyer(maintenant=None):
    """Delete expired exports and their files; mark as failed those whose build was cut off."""
    maintenant = maintenant or timezone.now()
    heures = settings.INTAKE_EXPORT_CONSERVATION_HEURES
    supprimes = 0
    for export in Export.objects.filter(created_at__lt=maintenant - timedelta(hours=heures)).exclude(
        statut=Export.Statut.EN_COURS
    ):
        if export.fichier:
            export.fichier.delete(save=False)
        export.delete()
        supprimes += 1
    Export.objects.filter(statut=Export.Statut.EN_COURS, commence_le__lt=maintenant - timedelta(hours=1)).update(
        statut=Export.Statut.ECHEC,
        erreur="La préparation a été interrompue : relancez l'export.",
        termine_le=maintenant,
    )
    return supprimes


def exports_a_construire():
    return Export.objects.filter(statut=Export.Statut.EN_ATTENTE).select_related("user").order_by("created_at", "pk")
