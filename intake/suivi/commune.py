"""The commune's side of a demande: its tracking page speaks plain French, and the
commune and the experts exchange messages through it. The one mapping from back-office statuses
to what the commune reads lives here; the models never import this module."""

import hashlib

from django import forms
from django.db import transaction

from intake.depot.forms import PiecesJointesField
from intake.models import Demande, EntreeJournal, PieceJointe
from intake.notifications.avis import aviser_message_collectivite

S = Demande.Statut

# The five steps a commune sees, in order.
ETAPES = ["Reçue", "Orientée", "Expert désigné", "En cours", "Terminée"]

# statut -> (index in ETAPES, or None for an outcome off the path; short label of a change;
# explanation of where the demande stands). Every back-office status has its line.
STATUTS_PUBLICS = {
    S.ATTRIBUE_ADMIN: (
        0,
        "Demande reçue par la plateforme",
        "Votre demande est bien reçue. L'équipe de la plateforme l'étudie pour la confier à la structure compétente.",
    ),
    S.RECEPTIONNE_ADMIN: (
        0,
        "Demande prise en compte par la plateforme",
        "L'équipe de la plateforme a pris connaissance de votre demande et recherche la structure compétente.",
    ),
    S.ATTRIBUE_CHEF_DE_FILE: (
        1,
        "Demande confiée à la structure compétente",
        "Votre demande est confiée à la structure compétente. Son responsable va désigner l'expert qui vous accompagnera.",
    ),
    S.RECEPTIONNE_CHEF_DE_FILE: (
        1,
        "Demande prise en compte par la structure",
        "La structure en charge a pris connaissance de votre demande et désigne l'expert qui vous accompagnera.",
    ),
    S.ATTRIBUE_EXPERT: (
        2,
        "Expert référent désigné",
        "Un expert référent est désigné pour votre demande : il va prendre contact avec vous.",
    ),
    S.RECEPTIONNE_EXPERT: (
        2,
        "Demande prise en compte par l'expert référent",
        "Votre expert référent a pris connaissance de votre demande et va prendre contact avec vous.",
    ),
    S.EN_COURS: (
        3,
        "Accompagnement commencé",
        "L'accompagnement de votre projet est en cours avec votre expert référent.",
    ),
    S.TERMINE: (
        4,
        "Accompagnement terminé",
        "L'accompagnement est terminé. Pour un nouveau projet, déposez une nouvelle demande.",
    ),
    S.REJETE: (
        None,
        "Demande non retenue",
        "Votre demande n'a pas pu être retenue par la structure sollicitée. L'équipe de la plateforme va vous "
        "indiquer vers qui elle est réorientée ou, à défaut, vers quel interlocuteur vous tourner.",
    ),
    S.ABANDONNE: (None, "Demande abandonnée", "Votre demande est close : elle a été abandonnée."),
}
ISSUES = {S.REJETE: "Rejetée", S.ABANDONNE: "Abandonnée"}


def libelle_public(statut):
    """What a commune reads for a change to `statut` (never the back office's label)."""
    return STATUTS_PUBLICS[statut][1]


def etat_public(demande, statuts_passes=()):
    """The stepper: each of the five steps done, current or to come; a rejected or abandoned
    demande shows the steps it reached, then its outcome with the motif."""
    index, _, explication = STATUTS_PUBLICS[demande.statut]
    issue = ISSUES.get(demande.statut)
    if issue:
        atteints = [STATUTS_PUBLICS[s][0] for s in statuts_passes if STATUTS_PUBLICS.get(s, (None,))[0] is not None]
        derniere = max(atteints, default=0)
        etapes = [
            {"libelle": libelle, "etat": "faite" if i <= derniere else "non_atteinte"}
            for i, libelle in enumerate(ETAPES)
        ]
        etapes = etapes[: derniere + 1] + [{"libelle": issue, "etat": "issue"}]
    else:
        etapes = [
            {
                "libelle": libelle,
                "etat": "faite"
                if i < index or demande.statut == S.TERMINE
                else "courante"
                if i == index
                else "a_venir",
            }
            for i, libelle in enumerate(ETAPES)
        ]
        if demande.statut == S.TERMINE:
            etapes[-1]["etat"] = "courante"
    return {
        "etapes": etapes,
        "libelle": issue or ETAPES[index],
        "explication": explication,
        "issue": issue,
        "motif": demande.motif if issue else "",
        "numero_etape": None if issue else index + 1,
    }


# --- Messages between the commune and the experts ------------------------------------------

TYPES_ECHANGES = [EntreeJournal.Type.MESSAGE_COLLECTIVITE, EntreeJournal.Type.MESSAGE_A_LA_COLLECTIVITE]


def echanges(demande):
    """The thread shown on the tracking page: the two message types only, never internal notes."""
    entrees = (
        demande.journal.filter(type__in=TYPES_ECHANGES)
        .select_related("auteur", "structure_auteur")
        .prefetch_related("pieces_jointes")
        .order_by("created_at", "pk")
    )
    return [
        {
            "entree": entree,
            "de_la_collectivite": entree.type == EntreeJournal.Type.MESSAGE_COLLECTIVITE,
            "auteur": "Vous" if entree.type == EntreeJournal.Type.MESSAGE_COLLECTIVITE else _signature(entree),
        }
        for entree in entrees
    ]


def _signature(entree):
    if entree.auteur is None:
        nom = "L'équipe de la plateforme"
    else:
        nom = entree.auteur.get_full_name() or "Votre interlocuteur"
    return f"{nom}, {entree.structure_auteur.nom}" if entree.structure_auteur else nom


def peut_ecrire(demande):
    """The commune writes while its demande is open (a closed one is reopened by the platform)."""
    return not demande.est_close and bool(demande.demandeur_email)


class MessageCollectiviteForm(forms.Form):
    """The commune's message from its tracking page: same attachment rules as the filing form."""

    message = forms.CharField(
        label="Votre message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": "Votre message est trop long (5 000 caractères au plus).",
        },
    )
    fichiers = PiecesJointesField(
        label="Documents (facultatif)",
        required=False,
        help_text="5 fichiers au plus, 10 Mo chacun : PDF, images, documents bureautiques.",
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Écrivez votre message.")
        return message


def cle_limite(demande):
    """Rate-limit key of a tracking link: a digest, so the secret token never lands in the cache."""
    return hashlib.sha256(demande.jeton_suivi.encode()).hexdigest()[:24]


def enregistrer_message_collectivite(demande, *, message, fichiers=()):
    """The commune's message lands in the journal ("Message de la collectivité", no author) with
    its documents, and the référent (else the chef de file) is told, in one transaction."""
    with transaction.atomic():
        entree = EntreeJournal(
            demande=demande, auteur=None, type=EntreeJournal.Type.MESSAGE_COLLECTIVITE, message=message
        )
        entree._change_reason = "Message de la collectivité depuis la page de suivi"
        entree.save()
        for fichier in fichiers:
            PieceJointe.enregistrer(fichier, demande=demande, entree=entree)
        aviser_message_collectivite(demande, entree)
    return entree
