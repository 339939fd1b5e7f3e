"""Personal-data lifecycle: retention, anonymisation and the rights of the person.

Anonymising a demande blanks the demandeur's identity and contact, the message and the
journal, deletes the attachments (files and rows), and does the same in every history row
and in the notifications of the demande. What the statistics read (statut, dates, fiche,
thématique, direction, collectivité, type, source) is left untouched.
"""

import datetime
import json
import logging
import re

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from intake.models import AccesDemande, Anonymisation, Demande, EntreeJournal, PieceJointe, Satisfaction

logger = logging.getLogger("intake.donnees_personnelles.anonymisation")

MARQUE = "[anonymisé]"
CHAMPS_PERSONNELS = [
    "demandeur_nom",
    "demandeur_prenom",
    "demandeur_fonction",
    "demandeur_email",
    "demandeur_telephone",
]
# Free texts of the demande that may quote the person: blanked with a marker.
TEXTES_LIBRES = ["message", "lieu_precision"]


def message_journal_anonymise(date):
    return f"Message supprimé lors de l'anonymisation des données personnelles du {date:%d/%m/%Y}."


def message_demande_anonymise(date):
    return f"Message supprimé lors de l'anonymisation des données personnelles du {date:%d/%m/%Y}."


def retention_jours():
    return settings.INTAKE_RETENTION_JOURS


def demandes_expirees(maintenant=None):
    """Demandes whose personal data has outlived the retention period, not yet anonymised:
    closed ones (Terminé, Abandonné) closed before the limit, and rejected ones left untouched since
    the limit. A Rejeté demande stays open until the administrator redirects it, so its
    clock is its last activity: the last change of the demande (`updated_at`, every status change,
    routing or edit saves it) and the last journal entry."""
    maintenant = maintenant or timezone.now()
    limite = maintenant - datetime.timedelta(days=retention_jours())
    closes = Q(statut__in=Demande.STATUTS_CLOS, cloturee_le__isnull=False, cloturee_le__lte=limite)
    journal_recent = EntreeJournal.objects.filter(demande=OuterRef("pk"), created_at__gt=limite)
    rejetees = Q(statut=Demande.Statut.REJETE, updated_at__lte=limite) & ~Exists(journal_recent)
    return (
        Demande.objects.filter(closes | rejetees)
        .filter(anonymisation__isnull=True)
        .annotate(_depuis=Coalesce("cloturee_le", "updated_at"))
        .order_by("_depuis", "pk")
    )


def _notification_model():
    try:
        return apps.get_model("intake", "Notification")
    except LookupError:
        return None


def valeurs_personnelles(demande):
    """Every personal value the demande held, in its current row and in all its versions."""
    valeurs = set()
    versions = [demande, *demande.history.all()]
    for version in versions:
        for nom in CHAMPS_PERSONNELS:
            valeur = (getattr(version, nom, "") or "").strip()
            if len(valeur) >= 3:
                valeurs.add(valeur)
        prenom = (getattr(version, "demandeur_prenom", "") or "").strip()
        nom = (getattr(version, "demandeur_nom", "") or "").strip()
        if prenom and nom:
            valeurs.add(f"{prenom} {nom}")
            valeurs.add(f"{nom} {prenom}")
    # Longest first so that "Sophie Martin" goes before "Martin".
    return sorted(valeurs, key=len, reverse=True)


def expurger(texte, valeurs):
    """Replace each personal value in a free text by the marker (case-insensitive)."""
    if not texte:
        return texte
    for valeur in valeurs:
        texte = re.sub(re.escape(valeur), MARQUE, texte, flags=re.IGNORECASE)
    return texte


def _expurger_json(valeur, valeurs):
    if isinstance(valeur, str):
        return expurger(valeur, valeurs)
    if isinstance(valeur, list):
        return [_expurger_json(item, valeurs) for item in valeur]
    if isinstance(valeur, dict):
        return {cle: _expurger_json(item, valeurs) for cle, item in valeur.items()}
    return valeur


def _champs_texte(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices and not f.primary_key
    ]


def _expurger_lignes(queryset, valeurs, vider=(), marque=""):
    """Scrub every text column of these rows; the columns in `vider` get the marker text instead."""
    model = queryset.model
    champs = _champs_texte(model)
    json_champs = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
    nombre = 0
    for ligne in queryset.iterator():
        changements = {}
        for champ in champs:
            actuel = getattr(ligne, champ.attname)
            if champ.name in vider:
                nouveau = marque if actuel else actuel
            else:
                nouveau = expurger(actuel, valeurs)
            if nouveau != actuel:
                changements[champ.attname] = nouveau
        for champ in json_champs:
            actuel = getattr(ligne, champ.attname)
            nouveau = _expurger_json(actuel, valeurs)
            if nouveau != actuel:
                changements[champ.attname] = nouveau
        if changements:
            # update(), not save(): no new history row carrying the values, no signal.
            model._default_manager.filter(pk=ligne.pk).update(**changements)
            nombre += 1
    return nombre


def _blanchir_demande_et_historique(demande, valeurs, date):
    marque_message = message_demande_anonymise(date)
    blanc = {nom: "" for nom in CHAMPS_PERSONNELS}
    blanc["demandeur_nom"] = MARQUE
    # The civility is cleared too, but not searched in texts (« Madame » is no personal value).
    blanc.update({"message": marque_message, "lieu_precision": "", "demandeur_civilite": ""})
    Demande.objects.filter(pk=demande.pk).update(**blanc)
    historique = Demande.history.model._default_manager.filter(id=demande.pk)
    historique.update(**blanc)
    # Remaining free texts (motif, change reasons…) keep their meaning, without the values.
    lignes = _expurger_lignes(Demande.objects.filter(pk=demande.pk), valeurs)
    lignes += _expurger_lignes(historique, valeurs)
    return historique.count()


def _blanchir_journal(demande, valeurs, date):
    marque = message_journal_anonymise(date)
    entrees = EntreeJournal.objects.filter(demande=demande)
    nombre = entrees.count()
    entrees.update(message=marque)
    historique = EntreeJournal.history.model._default_manager.filter(demande_id=demande.pk)
    historique.update(message=marque)
    _expurger_lignes(entrees, valeurs)
    _expurger_lignes(historique, valeurs)
    return nombre


def _supprimer_pieces_jointes(demande):
    pieces = list(PieceJointe.objects.filter(demande=demande))
    fichiers = [piece.fichier for piece in pieces if piece.fichier]
    PieceJointe.objects.filter(pk__in=[piece.pk for piece in pieces]).delete()
    # Files go only once the rows are gone for good.
    for fichier in fichiers:
        transaction.on_commit(lambda f=fichier: f.storage.delete(f.name))
    return len(pieces)


def _blanchir_notifications(demande, valeurs, date):
    Notification = _notification_model()
    if Notification is None:
        return 0
    noms = {f.name for f in Notification._meta.get_fields()}
    if "demande" not in noms:
        return 0
    notifications = Notification._default_manager.filter(demande=demande)
    corps = [f.name for f in _champs_texte(Notification) if isinstance(f, models.TextField)]
    nombre = notifications.count()
    _expurger_lignes(notifications, valeurs, vider=corps, marque=message_demande_anonymise(date))
    historique = getattr(Notification, "history", None)
    if historique is not None:
        _expurger_lignes(
            historique.model._default_manager.filter(demande_id=demande.pk),
            valeurs,
            vider=corps,
            marque=message_demande_anonymise(date),
        )
    return nombre


def anonymiser(demande, motif=Anonymisation.Motif.RETENTION, par=None, maintenant=None):
    """Erase the personal data of one demande everywhere, keep what the statistics count."""
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        demande = Demande.objects.select_for_update().get(pk=demande.pk)
        valeurs = valeurs_personnelles(demande)
        bilan = {
            "versions_historiques": _blanchir_demande_et_historique(demande, valeurs, maintenant),
            "entrees_journal": _blanchir_journal(demande, valeurs, maintenant),
            "pieces_jointes": _supprimer_pieces_jointes(demande),
            "notifications": _blanchir_notifications(demande, valeurs, maintenant),
            # The satisfaction comment is free text that may name people; the score stays counted.
            "commentaires_satisfaction": Satisfaction.objects.filter(demande=demande)
            .exclude(commentaire="")
            .update(commentaire=""),
        }
        Anonymisation.objects.update_or_create(
            demande=demande, defaults={"motif": motif, "faite_le": maintenant, "par": par, "bilan": bilan}
        )
    logger.info("Demande n°%s anonymisée (%s) : %s", demande.numero, motif, bilan)
    return bilan


def anonymiser_expirees(dry_run=False, maintenant=None):
    """Anonymise every expired demande; with `dry_run`, only list them. Returns the numéros."""
    numeros = []
    for demande in demandes_expirees(maintenant):
        numeros.append(demande.numero)
        if dry_run:
            logger.info("Simulation : la demande n°%s serait anonymisée.", demande.numero)
        else:
            anonymiser(demande, maintenant=maintenant)
    return numeros


# --- Rights of the person ---------------------------------------------------------------


def _q_courriel(courriel):
    return Q(demandeur_email__iexact=courriel)


def demandes_de_la_personne(courriel):
    """Demandes whose demandeur used this address, now or in any earlier version."""
    courriel = courriel.strip()
    ids = set(Demande.objects.filter(_q_courriel(courriel)).values_list("pk", flat=True))
    ids |= set(Demande.history.filter(_q_courriel(courriel)).values_list("id", flat=True))
    return Demande.objects.filter(pk__in=ids).order_by("numero")


def mentions_journal(courriel, exclure=()):
    """Journal entries of other demandes that quote the address."""
    return EntreeJournal.objects.filter(message__icontains=courriel.strip()).exclude(demande__in=exclure)


def _ligne_dict(objet, exclure=()):
    donnees = {}
    for champ in objet._meta.concrete_fields:
        if champ.name in exclure:
            continue
        donnees[champ.attname] = getattr(objet, champ.attname)
    return donnees


def export_personne(courriel):
    """Everything the platform holds about this address, as a JSON-serialisable dict."""
    demandes = list(demandes_de_la_personne(courriel))
    export = {
        "courriel": courriel,
        "exporte_le": timezone.now(),
        "plateforme": settings.PLATEFORME["NOM"],
        "demandes": [],
        "mentions_dans_d_autres_journaux": [],
        "notifications": [],
    }
    for demande in demandes:
        export["demandes"].append(
            {
                "demande": _ligne_dict(demande, exclure={"jeton_suivi"}),
                "statut_libelle": demande.get_statut_display(),
                "collectivite": str(demande.collectivite),
                "fiche": demande.fiche.title if demande.fiche_id else None,
                "journal": [
                    {**_ligne_dict(entree), "auteur": str(entree.auteur) if entree.auteur_id else None}
                    for entree in demande.journal.select_related("auteur").order_by("created_at")
                ],
                "pieces_jointes": [
                    {
                        "nom": piece.nom_original,
                        "type": piece.type_mime,
                        "taille": piece.taille,
                        "ajoutee_le": piece.created_at,
                    }
                    for piece in demande.pieces_jointes.all()
                ],
                "historique": [
                    {**_ligne_dict(version, exclure={"jeton_suivi"}), "history_user": str(version.history_user or "")}
                    for version in demande.history.order_by("history_date")
                ],
                "consultations": [
                    {"par": acces.utilisateur_libelle, "le": acces.consulte_le}
                    for acces in AccesDemande.objects.filter(demande=demande).order_by("consulte_le")
                ],
            }
        )
    for entree in mentions_journal(courriel, exclure=demandes).select_related("demande"):
        export["mentions_dans_d_autres_journaux"].append(
            {"demande": entree.demande.numero, "date": entree.created_at, "message": entree.message}
        )
    Notification = _notification_model()
    if Notification is not None:
        filtre = Q()
        textes = {}
        for champ in _champs_texte(Notification):
            filtre |= Q(**{f"{champ.name}__icontains": courriel})
        for champ in Notification._meta.concrete_fields:
            if isinstance(champ, models.JSONField):
                # Searched as text: the same on SQLite and PostgreSQL.
                textes[f"_texte_{champ.name}"] = Cast(champ.name, models.TextField())
                filtre |= Q(**{f"_texte_{champ.name}__icontains": courriel})
        notifications = Notification._default_manager.annotate(**textes).filter(filtre)
        export["notifications"] = [_ligne_dict(notification) for notification in notifications]
    return export


def export_personne_json(courriel):
    return json.dumps(export_personne(courriel), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str)


def effacer_personne(courriel, par=None):
    """The right to erasure: anonymise the person's demandes and scrub the address elsewhere."""
    demandes = list(demandes_de_la_personne(courriel))
    for demande in demandes:
        anonymiser(demande, motif=Anonymisation.Motif.DEMANDE_PERSONNE, par=par)
    valeurs = [courriel.strip()]
    mentions = mentions_journal(courriel, exclure=demandes)
    ids = list(mentions.values_list("pk", flat=True))
    _expurger_lignes(EntreeJournal.objects.filter(pk__in=ids), valeurs)
    _expurger_lignes(EntreeJournal.history.model._default_manager.filter(id__in=ids), valeurs)
    logger.info("Effacement demandé : %s demande(s) anonymisée(s), %s mention(s) expurgée(s).", len(demandes), len(ids))
    return {"demandes": [demande.numero for demande in demandes], "mentions": len(ids)}
