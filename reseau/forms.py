import datetime

from django import forms
from django.utils import timezone

from catalogue.models import FichePage, Membre, Structure, Thematique
from intake.depot.forms import valider_piece_jointe
from reseau.models import DocumentPartage, Dossier, FicheAnnuaire, PreferenceNotification


class RechercheAnnuaireForm(forms.Form):
    q = forms.CharField(
        label="Rechercher", required=False, max_length=100, help_text="Nom, structure, direction ou thématique."
    )
    structure = forms.ModelChoiceField(Structure.objects.all(), label="Structure", required=False, empty_label="Toutes")
    role = forms.ChoiceField(label="Rôle", choices=[("", "Tous"), *Membre.Role.choices], required=False)
    thematique = forms.ModelChoiceField(
        Thematique.objects.all(), label="Thématique", required=False, empty_label="Toutes"
    )


class FicheAnnuaireForm(forms.ModelForm):
    """« Ma fiche annuaire »: the member's own card (name, professional contact, thématiques)."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    class Meta:
        model = FicheAnnuaire
        fields = ["telephone", "fonction", "presentation", "thematiques"]
        widgets = {"thematiques": forms.CheckboxSelectMultiple, "presentation": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "presentation": "600 caractères au plus.",
            "thematiques": "Vous êtes prévenu des nouveaux fils de discussion de ces thématiques.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.order_fields(["first_name", "last_name", "fonction", "telephone", "presentation", "thematiques"])

    def save(self, commit=True):
        fiche = super().save(commit=False)
        fiche.user = self.user
        self.user.first_name = self.cleaned_data["first_name"]
        self.user.last_name = self.cleaned_data["last_name"]
        self.user.save(update_fields=["first_name", "last_name"])
        fiche.save()
        self.save_m2m()
        return fiche


class FiltreFilsForm(forms.Form):
    thematique = forms.ModelChoiceField(
        Thematique.objects.all(), label="Thématique", required=False, empty_label="Toutes"
    )
    fiche = forms.ModelChoiceField(
        FichePage.objects.live().order_by("title"), label="Fiche", required=False, empty_label="Toutes"
    )


class NouveauFilForm(forms.Form):
    titre = forms.CharField(label="Sujet", max_length=200)
    thematique = forms.ModelChoiceField(
        Thematique.objects.all(), label="Thématique", required=False, empty_label="Aucune"
    )
    fiche = forms.ModelChoiceField(
        FichePage.objects.live().order_by("title"), label="Fiche concernée", required=False, empty_label="Aucune"
    )
    texte = forms.CharField(label="Message", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self):
        donnees = super().clean()
        fiche = donnees.get("fiche")
        if fiche and not donnees.get("thematique") and fiche.thematique_id:
            donnees["thematique"] = fiche.thematique
        return donnees


class ReponseForm(forms.Form):
    texte = forms.CharField(label="Votre réponse", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class PreferenceNotificationForm(forms.ModelForm):
    class Meta:
        model = PreferenceNotification
        fields = ["frequence"]
        widgets = {"frequence": forms.RadioSelect}
        labels = {"frequence": "Être prévenu des nouveaux messages des discussions suivies"}


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["nom", "thematique", "categorie"]


class DepotDocumentForm(forms.Form):
    titre = forms.CharField(label="Titre", max_length=200)
    fichier = forms.FileField(
        label="Fichier",
        help_text="PDF, image ou document bureautique (Word, Excel, PowerPoint, OpenDocument), 10 Mo au plus.",
    )
    remplace = forms.ModelChoiceField(
        DocumentPartage.objects.none(),
        label="Nouvelle version de",
        required=False,
        empty_label="Aucun (nouveau document)",
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remplace"].queryset = dossier.documents.filter(statut=DocumentPartage.Statut.VALIDE)

    def clean_fichier(self):
        return valider_piece_jointe(self.cleaned_data["fichier"])


class RefusForm(forms.Form):
    motif = forms.CharField(label="Motif du refus", max_length=500)


class PeriodeRapportForm(forms.Form):
    """A calendar year, or a date range on demand (both dates)."""

    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100, required=False)
    debut = forms.DateField(
        label="Ou du", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    fin = forms.DateField(label="au", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if self.errors:
            return donnees
        if debut or fin:
            if not (debut and fin):
                raise forms.ValidationError("Indiquez les deux dates de la période, ou seulement une année.")
            if debut > fin:
                raise forms.ValidationError("La date de début doit précéder la date de fin.")
            if (fin - debut).days > 366 * 5:
                raise forms.ValidationError("La période ne peut dépasser cinq ans.")
        return donnees

    def periode(self):
        donnees = self.cleaned_data
        if donnees.get("debut"):
            return donnees["debut"], donnees["fin"]
        annee = donnees.get("annee") or timezone.localdate().year
        return datetime.date(annee, 1, 1), datetime.date(annee, 12, 31)
