"""Forms of the back-office actions. Each carries the demande's `version` (optimistic check)."""

import copy
from collections import defaultdict

from django import forms
from django.contrib.auth import get_user_model

from catalogue.enums import TypeCollectivite
from catalogue.models import Direction, FichePage, Membre
from catalogue.roles import nom_utilisateur
from intake import memoire
from intake.depot.forms import DemandeForm, FicheChoiceField, PiecesJointesField, _sans_balises
from intake.depot.widgets import CasesGroupees, IterateurLeger, SelectRapide
from intake.models import Demande, EntreeJournal
from intake.notifications.mentions import intervenants


class VersionForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)


class TransitionForm(VersionForm):
    statut = forms.ChoiceField(label="Nouveau statut", choices=Demande.Statut.choices, widget=forms.HiddenInput)
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un rejet, un abandon, un renvoi à l'administrateur ou une réouverture.",
    )


class _ChoixUtilisateurs:
    """Users as (pk, "Prénom Nom") pairs read with values_list (about a thousand experts)."""

    iterator = IterateurLeger
    colonnes = ("pk", "first_name", "last_name", "username")

    def label_from_instance(self, obj):
        return nom_utilisateur(obj)

    def libelle_ligne(self, pk, prenom, nom, identifiant):
        return f"{prenom} {nom}".strip() or identifiant


class UtilisateurChoiceField(_ChoixUtilisateurs, forms.ModelChoiceField):
    widget = SelectRapide


def legende_structure(nom, sigle):
    return f"{nom} ({sigle})" if sigle and sigle != nom else nom


class IterateurExperts(IterateurLeger):
    """Experts grouped by structure, as Django's optgroups: "Prénom Nom — direction, fonction", so
    that a chef de file inviting someone of another partner finds them by structure and tells two
    namesakes apart; someone in two structures shows in both. The rows are kept per process
    while no user, member, direction or structure changes (intake.memoire)."""

    def lignes(self):
        return memoire.MEMBRES.lignes(self.queryset, self.field.colonnes)

    def __iter__(self):
        legendes, places = {}, defaultdict(dict)
        appartenances = Membre.objects.filter(user__in=self.queryset.order_by().values("pk")).order_by(
            "direction__structure__ordre", "direction__structure__nom", "direction__nom"
        )
        colonnes = (
            "user_id",
            "direction__structure_id",
            "direction__structure__nom",
            "direction__structure__sigle",
            "direction__nom",
            "fonction",
        )
        for user_id, structure_id, structure, sigle, direction, fonction in memoire.MEMBRES.lignes(
            appartenances, colonnes
        ):
            legendes.setdefault(structure_id, legende_structure(structure, sigle))
            # A structure without internal directions has one direction named after itself.
            precision = ", ".join(filter(None, [direction if direction != structure else "", fonction]))
            details = places[user_id].setdefault(structure_id, [])
            if precision and precision not in details:
                details.append(precision)
        groupes, autres = {structure_id: [] for structure_id in legendes}, []
        for valeur, nom in super().__iter__():
            if valeur not in places:
                autres.append((valeur, nom))
            for structure_id, details in places.get(valeur, {}).items():
                groupes[structure_id].append((valeur, " — ".join(filter(None, [nom, " ; ".join(details)]))))
        for structure_id, options in groupes.items():
            if options:
                yield legendes[structure_id], options
        if autres:
            yield "Autres utilisateurs", autres


class UtilisateursChoiceField(_ChoixUtilisateurs, forms.ModelMultipleChoiceField):
    iterator = IterateurExperts
    widget = CasesGroupees


class IterateurDirections(forms.models.ModelChoiceIterator):
    """Directions grouped by structure (Django's optgroups), in the structures' order, read as
    values (no Direction nor Structure instance per option)."""

    def __iter__(self):
        legendes, groupes = {}, defaultdict(list)
        lignes = self.queryset.values_list("pk", "nom", "sigle", "structure_id", "structure__nom", "structure__sigle")
        for pk, nom, sigle, structure_id, structure, sigle_structure in lignes:
            legendes.setdefault(structure_id, legende_structure(structure, sigle_structure))
            groupes[structure_id].append((pk, f"{nom} ({sigle})" if sigle else nom))
        for structure_id, options in groupes.items():
            yield legendes[structure_id], options


class DirectionsChoiceField(forms.ModelMultipleChoiceField):
    iterator = IterateurDirections


class AffectationForm(VersionForm):
    """The chef de file designates the référent among its direction's members and invites others."""

    expert_referent = UtilisateurChoiceField(
        label="Expert référent", queryset=get_user_model().objects.none(), required=False
    )
    directions_associees = DirectionsChoiceField(
        label="Directions associées",
        queryset=Direction.objects.none(),
        required=False,
        widget=CasesGroupees(libelle_filtre="Filtrer les directions (nom, structure)"),
    )
    experts_associes = UtilisateursChoiceField(
        label="Experts associés",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=CasesGroupees(libelle_filtre="Filtrer les experts (nom, structure, direction, fonction)"),
    )
    motif = forms.CharField(label="Commentaire (facultatif)", required=False)

    def __init__(self, *args, demande, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.fields["expert_referent"].queryset = (
            User.objects.filter(is_active=True, membres__direction_id__in=demande.directions_pilotes_ids())
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["directions_associees"].queryset = (
            Direction.objects.actives().exclude(pk=demande.direction_id).select_related("structure")
        )
        self.fields["experts_associes"].queryset = (
            User.objects.filter(is_active=True, membres__role=Membre.Role.EXPERT)
            .distinct()
            .order_by("last_name", "first_name")
        )
        if not self.is_bound:
            self.initial.update(
                {
                    "expert_referent": demande.expert_referent_id,
                    "directions_associees": [d.pk for d in demande.directions_associees.all()],
                    "experts_associes": [u.pk for u in demande.experts_associes.all()],
                }
            )


class OrientationForm(VersionForm):
    """The administrator routes a free request: a fiche and/or the chef de file direction."""

    fiche = FicheChoiceField(label="Fiche", queryset=FichePage.objects.none(), required=False, widget=SelectRapide)
    direction = forms.ModelChoiceField(
        label="Direction chef de file",
        queryset=Direction.objects.none(),
        required=False,
        widget=SelectRapide,
        help_text="Par défaut, la direction chef de file de la fiche.",
    )
    motif = forms.CharField(label="Commentaire (facultatif)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].queryset = FichePage.objects.live().order_by("title")
        self.fields["direction"].queryset = Direction.objects.actives().select_related("structure")

    def clean(self):
        data = super().clean()
        if not data.get("fiche") and not data.get("direction"):
            raise forms.ValidationError("Choisissez une fiche ou une direction chef de file.")
        return data


class PremierContactForm(VersionForm):
    date = forms.DateField(label="Date du premier contact", widget=forms.DateInput(attrs={"type": "date"}))


class JournalForm(forms.Form):
    # The exchanges with the commune are not picked as a type: the commune writes its own from
    # its tracking page, and an expert's goes to the commune through `envoyer_collectivite`.
    type = forms.ChoiceField(
        label="Type d'entrée",
        choices=[
            c
            for c in EntreeJournal.Type.choices
            if c[0] not in (EntreeJournal.Type.MESSAGE_COLLECTIVITE, EntreeJournal.Type.MESSAGE_A_LA_COLLECTIVITE)
        ],
    )
    message = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pour prévenir un membre du réseau, écrivez @ suivi de son identifiant de connexion "
        "(par exemple @expert.caue) : il reçoit un courriel avec le lien de la demande. "
        "L'expert référent et le chef de file sont prévenus de chaque entrée.",
    )
    # Same rules as the public form: content-checked types, 10 MB each, 5 at most.
    fichiers = PiecesJointesField(label="Pièces jointes (facultatif)", required=False)
    envoyer_collectivite = forms.BooleanField(
        label="Envoyer ce message à la collectivité",
        required=False,
        help_text="La collectivité le reçoit par courriel et le lit, avec ses pièces jointes, sur sa page de suivi "
        "(entrée « Message à la collectivité ») ; les autres entrées du journal restent internes.",
    )

    def __init__(self, *args, demande=None, **kwargs):
        super().__init__(*args, **kwargs)
        if demande is not None:
            identifiants = ", ".join(f"@{u.get_username()}" for u in intervenants(demande))
            if identifiants:
                self.fields["message"].help_text += f" Intervenants de cette demande : {identifiants}."


class CorrectionForm(VersionForm):
    """The administrator or a chef de file corrects the demande's data (a typo in the e-mail
    address, the wrong collectivité or fiche), with a mandatory reason kept in the history.
    The fields and their rules are those of the filing form."""

    CHAMPS = [
        "demandeur_email",
        "demandeur_nom",
        "demandeur_prenom",
        "demandeur_fonction",
        "demandeur_telephone",
        "type_collectivite",
        "collectivite",
        "fiche",
    ]

    motif = forms.CharField(
        label="Motif de la correction",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de la correction."},
        help_text="Par exemple : « adresse électronique mal saisie, confirmée par téléphone ». Il figure dans l'historique.",
    )

    def __init__(self, *args, demande, **kwargs):
        super().__init__(*args, **kwargs)
        motif = self.fields.pop("motif")
        for nom in self.CHAMPS:
            self.fields[nom] = copy.deepcopy(DemandeForm.base_fields[nom])
        self.fields["motif"] = motif
        fiche = self.fields["fiche"]
        fiche.label = "Fiche"
        fiche.widget = SelectRapide()
        fiche.queryset = FichePage.objects.live().order_by("title")  # also gives the widget its choices
        fiche.help_text = (
            "Corriger la fiche ne réoriente pas la demande : la direction chef de file, les experts et l'échéance "
            "de premier contact restent les mêmes (pour réorienter, renvoyez-la à l'administrateur)."
        )
        self.fields[
            "demandeur_email"
        ].help_text = "Si l'adresse change, l'accusé de réception est renvoyé à la nouvelle adresse."
        self.fields["collectivite"].help_text = ""
        if not self.is_bound:
            self.initial.update(
                {
                    "demandeur_email": demande.demandeur_email,
                    "demandeur_nom": demande.demandeur_nom,
                    "demandeur_prenom": demande.demandeur_prenom,
                    "demandeur_fonction": demande.demandeur_fonction,
                    "demandeur_telephone": demande.demandeur_telephone,
                    "type_collectivite": demande.type_collectivite,
                    "collectivite": demande.collectivite.code if demande.collectivite_id else None,
                    "fiche": demande.fiche_id,
                }
            )

    def clean(self):
        data = super().clean()
        for nom in self.CHAMPS:
            libelle = DemandeForm.CHAMPS_TEXTE.get(nom)
            if libelle:
                try:
                    _sans_balises(data.get(nom, ""), libelle)
                except forms.ValidationError as exc:
                    self.add_error(nom, exc)
        collectivite, type_collectivite = data.get("collectivite"), data.get("type_collectivite")
        if (
            collectivite
            and type_collectivite in [TypeCollectivite.COMMUNE, *TypeCollectivite.epci()]
            and (collectivite.type != type_collectivite)
        ):
            self.add_error(
                "collectivite",
                f"« {collectivite.nom} » n'est pas du type « {TypeCollectivite(type_collectivite).label} ».",
            )
        return data

    def champs(self):
        return {nom: self.cleaned_data[nom] for nom in self.CHAMPS}
