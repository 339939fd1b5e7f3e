"""A readable history of a demande (django-simple-history rows) and its timeline."""

from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from simple_history.models import ModelChange

from catalogue.roles import nom_utilisateur
from intake.models import Demande

CHAMPS_IGNORES = ["updated_at", "jeton_suivi"]


@dataclass
class Changement:
    libelle: str
    avant: str
    apres: str


@dataclass
class Evenement:
    date: object
    auteur: str
    raison: str
    creation: bool = False
    changements: list = field(default_factory=list)
    statut: str = ""


class _Formateur:
    """Turns stored values into labels; the related objects are read beforehand, one query
    per related model for the whole history (`precharger`)."""

    def __init__(self):
        self.cache = {}

    @staticmethod
    def _libelle(obj, pk):
        if obj is None:
            return f"#{pk} (supprimé)"
        if hasattr(obj, "get_full_name"):
            return nom_utilisateur(obj)
        return str(obj)

    def precharger(self, changements):
        """Read, per related model, every object named by these changes (simple-history's
        `ModelChange`s of the demande), instead of one query per object."""
        a_lire = {}
        for change in changements:
            champ = Demande._meta.get_field(change.field)
            if not champ.is_relation:
                continue
            for valeur in (change.old, change.new):
                for pk in self._pks(champ, valeur):
                    if (champ.related_model, pk) not in self.cache:
                        a_lire.setdefault(champ.related_model, set()).add(pk)
        for model, pks in a_lire.items():
            # select_related(): a direction's label names its structure.
            objets = model._base_manager.select_related().in_bulk(pks)
            for pk in pks:
                self.cache[(model, pk)] = self._libelle(objets.get(pk), pk)

    @staticmethod
    def _pks(champ, valeur):
        if valeur in (None, "", []):
            return []
        if champ.many_to_many:
            cible = champ.m2m_reverse_field_name()
            return [ligne.get(cible) for ligne in valeur]
        return [getattr(valeur, "pk", valeur)]

    def objet(self, model, pk):
        key = (model, pk)
        if key not in self.cache:
            self.cache[key] = self._libelle(model._base_manager.filter(pk=pk).first(), pk)
        return self.cache[key]

    def valeur(self, champ, valeur):
        if valeur in (None, "", []):
            return "—"
        if champ.many_to_many:
            cible = champ.m2m_reverse_field_name()
            ids = sorted(ligne.get(cible) for ligne in valeur)
            return ", ".join(self.objet(champ.related_model, pk) for pk in ids) or "—"
        if champ.is_relation:
            return self.objet(champ.related_model, getattr(valeur, "pk", valeur))
        if champ.choices:
            return str(dict(champ.flatchoices).get(valeur, valeur))
        if isinstance(champ, models.DateTimeField):
            return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
        if isinstance(champ, models.DateField):
            return valeur.strftime("%d/%m/%Y")
        return str(valeur)


def _lignes_m2m(records):
    """The historical rows of the demande's many-to-many fields, per field then per history
    record, in one query per field for the whole history: simple-history's `diff_against`
    reads them twice per pair of records (four queries per history row)."""
    if len(records) < 2:
        return {}  # nothing to compare
    lignes = {}
    for champ in records[0]._history_m2m_fields:
        modele = getattr(records[0], champ.name).model
        cible = champ.m2m_reverse_field_name()
        # The columns simple-history compares, in its order (by the related object).
        noms = [f.name for f in modele._meta.fields if f.editable and f.name not in ("id", "m2m_history_id", "history")]
        par_record = {record.history_id: [] for record in records}
        for ligne in modele.objects.filter(history_id__in=par_record).order_by(cible, "pk").values("history_id", *noms):
            par_record[ligne.pop("history_id")].append(ligne)
        lignes[champ.name] = par_record
    return lignes


def _changements(records):
    """Per history record, simple-history's changes since the previous one (none for the first)."""
    m2m = _lignes_m2m(records)
    resultat = [[]] if records else []
    for precedent, record in zip(records, records[1:]):
        changes = list(record.diff_against(precedent, excluded_fields=[*CHAMPS_IGNORES, *m2m]).changes)
        for nom, par_record in m2m.items():
            avant, apres = par_record[precedent.history_id], par_record[record.history_id]
            if avant != apres:
                changes.append(ModelChange(nom, avant, apres))
        resultat.append(changes)
    return resultat


def historique(demande):
    """Every history row of the demande, oldest first: who, when, which fields, why. A fixed
    number of queries however long the history is."""
    records = list(demande.history.select_related("history_user").order_by("history_date", "history_id"))
    changements = _changements(records)
    formateur = _Formateur()
    formateur.precharger(change for changes in changements for change in changes)
    evenements = []
    for index, (record, changes) in enumerate(zip(records, changements)):
        evenement = Evenement(
            date=record.history_date,
            auteur=nom_utilisateur(record.history_user),
            raison=record.history_change_reason or "",
            creation=index == 0,
            statut=record.get_statut_display(),
        )
        for change in changes:
            champ = Demande._meta.get_field(change.field)
            evenement.changements.append(
                Changement(
                    libelle=str(champ.verbose_name).capitalize(),
                    avant=formateur.valeur(champ, change.old),
                    apres=formateur.valeur(champ, change.new),
                )
            )
        evenements.append(evenement)
    return evenements


def chronologie(demande, evenements, entrees):
    """The guide's timeline: journal entries and status changes interleaved, newest first."""
    items = []
    for evenement in evenements:
        statut_change = any(c.libelle == "Statut" for c in evenement.changements)
        if evenement.creation or statut_change:
            items.append({"type": "statut", "date": evenement.date, "evenement": evenement})
    for entree in entrees:
        items.append({"type": "journal", "date": entree.created_at, "entree": entree})
    items.sort(key=lambda item: item["date"], reverse=True)
    return items
