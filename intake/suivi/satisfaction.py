"""The satisfaction survey: one e-mail with the link when a demande is finished
(intake.notifications.avis), one answer per demande from the tracking link, the figures for the
statistics and the back-office detail."""

import statistics as stats_py

from django import forms
from django.db import IntegrityError, transaction

from intake.models import Demande, Satisfaction

DEJA_REPONDU = "Vous avez déjà répondu à cette enquête, merci."
PAS_ENCORE = (
    "L'enquête de satisfaction s'ouvre lorsque l'accompagnement de votre demande est terminé. "
    "Vous la recevrez alors par courriel."
)


class DejaRepondu(Exception):
    """The demande already has its answer: a second one is refused."""


class EnqueteFermee(Exception):
    """The demande is not finished (or no longer is): the survey is not open."""


def deja_repondu(demande):
    return Satisfaction.objects.filter(demande=demande).exists()


def enquete_ouverte(demande):
    return demande.statut == Demande.Statut.TERMINE and not deja_repondu(demande)


class SatisfactionForm(forms.Form):
    note = forms.TypedChoiceField(
        label="Votre satisfaction, de 1 (pas du tout satisfait) à 5 (très satisfait)",
        choices=Satisfaction.NOTES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note de 1 à 5.", "invalid_choice": "Choisissez une note de 1 à 5."},
    )
    commentaire = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce qui vous a aidé, ce qui pourrait être amélioré. 2 000 caractères au plus.",
        error_messages={"max_length": "Votre commentaire est trop long (2 000 caractères au plus)."},
    )


def enregistrer_reponse(demande, *, note, commentaire=""):
    """Record the commune's one answer; the demande's row is locked so that the status and the
    "already answered" checks hold until the answer is written."""
    with transaction.atomic():
        locked = Demande.objects.select_for_update().get(pk=demande.pk)
        if locked.statut != Demande.Statut.TERMINE:
            raise EnqueteFermee(PAS_ENCORE)
        if Satisfaction.objects.filter(demande=locked).exists():
            raise DejaRepondu(DEJA_REPONDU)
        try:
            with transaction.atomic():
                return Satisfaction.objects.create(demande=locked, note=note, commentaire=(commentaire or "").strip())
        except IntegrityError:
            raise DejaRepondu(DEJA_REPONDU) from None


# --- Figures -------------------------------------------------------------------------------


def resultats(demandes_qs, cles):
    """Average score and number of answers for each group: `cles` maps a title to a function of
    a row (values of the answers joined to their demande) giving the group's label."""
    rows = list(
        Satisfaction.objects.filter(demande__in=demandes_qs.values("pk")).values(
            "note",
            "demande__fiche__title",
            "demande__direction_id",
            "demande__direction__nom",
            "demande__direction__sigle",
            "demande__direction__structure__sigle",
        )
    )
    groupes = {}
    for titre, cle in cles.items():
        par_groupe = {}
        for row in rows:
            par_groupe.setdefault(cle(row), []).append(row["note"])
        groupes[titre] = sorted(
            ((libelle, round(stats_py.mean(notes), 1), len(notes)) for libelle, notes in par_groupe.items()),
            key=lambda ligne: (-ligne[2], ligne[0]),
        )
    return {
        "nombre": len(rows),
        "moyenne": round(stats_py.mean([r["note"] for r in rows]), 1) if rows else None,
        "groupes": groupes,
    }
