"""Forms of the intake: the public filing form (also used, without its anti-abuse fields,
to validate the JSON API), and the attachment check shared by every entry point."""

import re
import time
import uuid

import filetype
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

from catalogue.enums import TypeCollectivite
from catalogue.models import FichePage, Thematique
from intake import memoire
from intake.depot.archives import TYPES_ARCHIVES, verifier_archive
from intake.depot.widgets import IterateurLeger, SelectRapide
from intake.models import Collectivite, Demande

TAILLE_MAX_PIECE_JOINTE = 10 * 1024 * 1024
NOMBRE_MAX_PIECES_JOINTES = 5
LONGUEUR_MAX_MESSAGE = 5000
# Type read from the content → label shown to users. OOXML and ODF files are zip containers.
TYPES_ACCEPTES = {
    "application/pdf": "PDF",
    "image/jpeg": "image JPEG",
    "image/png": "image PNG",
    "image/gif": "image GIF",
    "image/webp": "image WebP",
    "image/tiff": "image TIFF",
    "image/heic": "image HEIC",
    "application/msword": "document Word",
    "application/vnd.ms-excel": "classeur Excel",
    "application/vnd.ms-powerpoint": "présentation PowerPoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "classeur Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "présentation PowerPoint",
    "application/vnd.oasis.opendocument.text": "document OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "classeur OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "présentation OpenDocument",
}
FORMATS_ACCEPTES = "PDF, images (JPEG, PNG, GIF, WebP), documents Word, Excel, PowerPoint ou OpenDocument"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSIONS_OLE2 = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


def _type_detecte(fichier):
    fichier.seek(0)
    entete = fichier.read(8192)
    fichier.seek(0)
    if entete.startswith(OLE2_SIGNATURE):
        # Legacy Office files share one container signature: the extension tells which.
        extension = fichier.name.rsplit(".", 1)[-1].lower() if "." in fichier.name else ""
        return EXTENSIONS_OLE2.get(extension, "application/msword")
    kind = filetype.guess(entete)
    return kind.mime if kind else None


def valider_piece_jointe(fichier):
    """Accept a file only if its content is a PDF, an image or an office document of at most
    10 MB, whatever its name says. Sets `fichier.type_detecte`; raises ValidationError."""
    nom = getattr(fichier, "name", "") or "fichier"
    if fichier.size > TAILLE_MAX_PIECE_JOINTE:
        raise ValidationError(f"« {nom} » dépasse 10 Mo.", code="taille")
    if fichier.size == 0:
        raise ValidationError(f"« {nom} » est vide.", code="vide")
    mime = _type_detecte(fichier)
    if mime not in TYPES_ACCEPTES:
        raise ValidationError(
            f"« {nom} » n'est pas d'un format accepté ({FORMATS_ACCEPTES}) : son contenu a été vérifié.",
            code="format",
        )
    if mime in TYPES_ARCHIVES:
        verifier_archive(fichier, nom)
    fichier.type_detecte = mime
    return fichier


class PlusieursFichiersInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PiecesJointesField(forms.FileField):
    widget = PlusieursFichiersInput

    def clean(self, data, initial=None):
        fichiers = [f for f in (data or []) if f] if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(fichiers) > NOMBRE_MAX_PIECES_JOINTES:
            raise ValidationError(f"Vous pouvez joindre au plus {NOMBRE_MAX_PIECES_JOINTES} fichiers.", code="nombre")
        erreurs = []
        for fichier in fichiers:
            try:
                valider_piece_jointe(fichier)
            except ValidationError as exc:
                erreurs.extend(exc.messages)
        if erreurs:
            raise ValidationError(erreurs)
        return fichiers


# Pasted markup: a closing tag, a tag with an attribute (<a href=…>, <img onerror=…>) or a
# comment. "<" and ">" in plain text ("a<b et c>d", "coût <= 500 €") are accepted: every
# output escapes them.
BALISE_HTML = re.compile(r"</[a-z][^<>]*>|<[a-z][\w:-]*\s[^<>]*=[^<>]*>|<!--", re.IGNORECASE)


def _sans_balises(valeur, libelle):
    """Plain text only: markup in a field is refused rather than silently altered."""
    if valeur and BALISE_HTML.search(valeur):
        raise ValidationError(
            f"Le champ « {libelle} » ne doit pas contenir de balises HTML : écrivez du texte simple.", code="html"
        )
    return valeur


class IterateurCollectivites(IterateurLeger):
    """The rows kept per process while no collectivité changes (intake.memoire)."""

    def lignes(self):
        return memoire.COLLECTIVITES.lignes(self.queryset, self.field.colonnes)


class CollectiviteChoiceField(forms.ModelChoiceField):
    iterator = IterateurCollectivites
    widget = SelectRapide
    colonnes = ("code", "nom", "type", "codes_postaux")

    def libelle_ligne(self, code, nom, type_, codes_postaux):
        return Collectivite.libelle(nom, type_, codes_postaux)


class FicheChoiceField(forms.ModelChoiceField):
    iterator = IterateurLeger
    colonnes = ("pk", "title")

    def libelle_ligne(self, pk, titre):
        return titre


def fiches_ouvertes():
    return FichePage.objects.live().filter(demande_en_ligne=True).select_related("thematique").order_by("title")


# The fields of a demande as every entry point files it (web form, API, partner form).
CHAMPS_DEPOT = [
    "thematique",
    "fiche",
    "demandeur_civilite",
    "demandeur_nom",
    "demandeur_prenom",
    "demandeur_fonction",
    "demandeur_email",
    "demandeur_telephone",
    "type_collectivite",
    "collectivite",
    "lieu",
    "lieu_precision",
    "message",
    "consentement",
]


class DemandeForm(forms.Form):
    """The fields of a demande and their rules: the form, the API and cas 2 share them."""

    error_css_class = "champ--erreur"
    required_css_class = "champ--requis"

    thematique = forms.ModelChoiceField(
        label="Thématique",
        queryset=Thematique.objects.all(),
        empty_label="— Choisissez une thématique —",
        required=False,
        error_messages={"required": "Choisissez une thématique.", "invalid_choice": "Cette thématique n'existe pas."},
    )
    fiche = FicheChoiceField(
        label="Fiche d'accompagnement (facultatif)",
        required=False,
        queryset=FichePage.objects.none(),
        empty_label="— Aucune : demande libre —",
        help_text="Sans fiche, votre demande est orientée par l'administrateur de la plateforme.",
        error_messages={"invalid_choice": "Cette fiche n'existe pas ou ne reçoit pas de demande en ligne."},
    )
    demandeur_civilite = forms.ChoiceField(
        label="Civilité (facultatif)",
        required=False,
        choices=[("", "— Non précisée —")] + list(Demande.Civilite.choices),
        help_text="Pour vous adresser un courrier à votre titre : « Madame la Maire », « Monsieur le Président ».",
        error_messages={"invalid_choice": "Choisissez « Madame », « Monsieur » ou laissez ce champ vide."},
    )
    demandeur_nom = forms.CharField(label="Nom", max_length=100, error_messages={"required": "Indiquez votre nom."})
    demandeur_prenom = forms.CharField(
        label="Prénom", max_length=100, error_messages={"required": "Indiquez votre prénom."}
    )
    demandeur_fonction = forms.CharField(
        label="Fonction",
        max_length=100,
        required=False,
        help_text="Par exemple : maire, président, DGS, secrétaire de mairie.",
    )
    demandeur_email = forms.EmailField(
        label="Courriel",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@domaine.fr.",
        },
    )
    demandeur_telephone = forms.RegexField(
        label="Téléphone",
        max_length=30,
        regex=r"^\+?[0-9 .()-]{10,30}$",
        help_text="Par exemple : 05 61 00 00 00",
        error_messages={
            "required": "Indiquez un numéro de téléphone.",
            "invalid": "Saisissez un numéro de téléphone valide (10 chiffres).",
        },
    )
    type_collectivite = forms.ChoiceField(
        label="Type de collectivité",
        choices=[("", "— Choisissez —")] + list(TypeCollectivite.choices),
        error_messages={
            "required": "Choisissez le type de collectivité.",
            "invalid_choice": "Ce type de collectivité n'existe pas.",
        },
    )
    collectivite = CollectiviteChoiceField(
        label="Collectivité",
        queryset=Collectivite.objects.filter(active=True),
        to_field_name="code",
        empty_label="— Choisissez votre collectivité —",
        help_text="Tapez les premières lettres du nom pour la trouver dans la liste.",
        error_messages={
            "required": "Choisissez votre collectivité.",
            "invalid_choice": "Cette collectivité ne figure pas dans le référentiel.",
        },
    )
    lieu = CollectiviteChoiceField(
        label="Commune du projet",
        required=False,
        queryset=Collectivite.objects.filter(active=True).communes(),
        to_field_name="code",
        empty_label="— La collectivité demandeuse —",
        help_text="Laissez vide si le projet se situe dans votre commune.",
        error_messages={"invalid_choice": "Cette commune ne figure pas dans le référentiel."},
    )
    lieu_precision = forms.CharField(
        label="Précision sur le lieu (facultatif)",
        max_length=200,
        required=False,
        help_text="Adresse, lieu-dit, parcelle…",
    )
    message = forms.CharField(
        label="Votre demande",
        max_length=LONGUEUR_MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Décrivez votre projet et votre besoin ({LONGUEUR_MAX_MESSAGE} caractères au plus).",
        error_messages={
            "required": "Décrivez votre demande.",
            "max_length": f"Votre message dépasse {LONGUEUR_MAX_MESSAGE} caractères (il en compte %(show_value)d).",
        },
    )
    consentement = forms.BooleanField(
        label="J'accepte que les informations saisies soient utilisées pour traiter ma demande.",
        error_messages={"required": "Votre accord est nécessaire pour traiter la demande."},
    )

    CHAMPS_TEXTE = {
        "demandeur_nom": "Nom",
        "demandeur_prenom": "Prénom",
        "demandeur_fonction": "Fonction",
        "demandeur_telephone": "Téléphone",
        "lieu_precision": "Précision sur le lieu",
        "message": "Votre demande",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].queryset = fiches_ouvertes()
        for name, field in self.fields.items():
            if field.help_text and not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("aria-describedby", f"{name}-aide")
        self.fields["demandeur_email"].widget.attrs["autocomplete"] = "email"
        self.fields["demandeur_nom"].widget.attrs["autocomplete"] = "family-name"
        self.fields["demandeur_prenom"].widget.attrs["autocomplete"] = "given-name"
        # input_type, not attrs["type"]: the widget writes its own type="text" first and browsers keep the first one.
        self.fields["demandeur_telephone"].widget.input_type = "tel"
        self.fields["demandeur_telephone"].widget.attrs["autocomplete"] = "tel"
        self.fields["demandeur_fonction"].widget.attrs["autocomplete"] = "organization-title"

    def full_clean(self):
        super().full_clean()
        # Screen readers announce a field's own error with the field (RGAA 11.10).
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                aide = f" {name}-aide" if self.fields[name].help_text else ""
                widget.attrs["aria-describedby"] = f"{name}-erreurs{aide}"

    def clean(self):
        data = super().clean()
        for name, libelle in self.CHAMPS_TEXTE.items():
            try:
                _sans_balises(data.get(name, ""), libelle)
            except ValidationError as exc:
                self.add_error(name, exc)
        fiche, thematique = data.get("fiche"), data.get("thematique")
        if not thematique and not fiche and "thematique" not in self.errors and "fiche" not in self.errors:
            self.add_error("thematique", ValidationError("Choisissez une thématique.", code="required"))
        if fiche and thematique and fiche.thematique_id and fiche.thematique_id != thematique.pk:
            self.add_error(
                "fiche", "Cette fiche ne relève pas de la thématique choisie : changez de thématique ou de fiche."
            )
        collectivite, type_collectivite = data.get("collectivite"), data.get("type_collectivite")
        types_du_referentiel = [TypeCollectivite.COMMUNE, *TypeCollectivite.epci()]
        if collectivite and type_collectivite in types_du_referentiel and collectivite.type != type_collectivite:
            self.add_error(
                "collectivite",
                f"« {collectivite.nom} » n'est pas du type « {TypeCollectivite(type_collectivite).label} » : "
                "vérifiez le type ou la collectivité.",
            )
        if collectivite and not data.get("lieu") and collectivite.est_commune:
            data["lieu"] = collectivite
        return data

    def service_kwargs(self):
        """Keyword arguments of intake.depot.services.deposer_demande from the cleaned data."""
        data = self.cleaned_data
        return {name: data.get(name) for name in CHAMPS_DEPOT}


def signer_horodatage():
    """Hidden form token: when the form was shown, and a key that makes a resubmission idempotent."""
    return signing.dumps({"t": time.time(), "k": uuid.uuid4().hex}, salt="intake.depot")


class DepotPublicForm(DemandeForm):
    """The public form: + attachments, a honeypot and a minimum fill time."""

    pieces_jointes = PiecesJointesField(
        label="Pièces jointes (facultatif)",
        required=False,
        help_text=f"{NOMBRE_MAX_PIECES_JOINTES} fichiers au plus, 10 Mo chacun : {FORMATS_ACCEPTES}.",
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by robots.
    site_web = forms.CharField(label="Ne pas remplir ce champ", required=False)
    horodatage = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On the site, the visitor chooses a thématique first, then (optionally) a fiche.
        self.fields["thematique"].required = True
        self.fields["site_web"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["pieces_jointes"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"
        )
        if not self.is_bound:
            self.initial["horodatage"] = signer_horodatage()

    def clean(self):
        data = super().clean()
        if data.get("site_web"):
            raise ValidationError("Votre envoi n'a pas pu être accepté. Merci de réessayer.", code="honeypot")
        try:
            jeton = signing.loads(data.get("horodatage") or "", salt="intake.depot", max_age=2 * 24 * 3600)
        except signing.BadSignature:
            raise ValidationError("Le formulaire a expiré : merci de le renvoyer.", code="horodatage") from None
        if time.time() - jeton["t"] < settings.INTAKE_DUREE_MINIMALE_SAISIE:
            raise ValidationError(
                "Votre envoi a été trop rapide pour avoir été saisi : relisez le formulaire puis envoyez-le à nouveau.",
                code="trop_rapide",
            )
        self.idempotency_key = f"formulaire:{jeton['k']}"
        return data
