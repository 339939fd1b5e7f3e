"""A readable history of a demande (django-simple-history rows) and its timeline."""

from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

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
    """Turns stored values into labels, with one look-up per related object."""

    def __init__(self):
        self.cache = {}

    def objet(self, model, pk):
        key = (model, pk)
        if key not in self.cache:
            obj = model._base_manager.filter(pk=pk).first()
            if obj is None:
                self.cache[key] = f"#{pk} (supprimé)"
            elif hasattr(obj, "get_full_name"):
                self.cache[key] = nom_utilisateur(obj)
            else:
                self.cache[key] = str(obj)
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


def historique(demande):
    """Every history row of the demande, oldest first: who, when, which fields, why."""
    records = list(demande.history.select_related("history_user").order_by("history_date", "history_id"))
    formateur = _Formateur()
    evenements = []
    for index, record in enumerate(records):
        evenement = Evenement(
            date=record.history_date,
            auteur=nom_utilisateur(record.history_user),
            raison=record.history_change_reason or "",
            creation=index == 0,
            statut=record.get_statut_display(),
        )
        if index:
            delta = record.diff_against(records[index - 1], excluded_fields=CHAMPS_IGNORES)
            for change in delta.changes:
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
