"""The plan d'actions: axes (orientations), actions with their pilote, partners, deadline and
status, and the indicators that measure them (seeds: Hautes-Pyrénées schema, « tableau de bord
des actions »)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from pilotage.indicateurs import CHOIX as CHOIX_SOURCES
from pilotage.indicateurs import SOURCES, calculer


class HistoriqueEnfant(HistoricalRecords):
    """History of a model edited inline (ParentalKey): its historical copy keeps a plain foreign
    key, since modelcluster refuses the `related_name="+"` that history rows need."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if isinstance(field, ParentalKey):
                field.__class__ = models.ForeignKey
        return fields


class Axe(models.Model):
    """An orientation of the plan d'actions (« Améliorer l'accès aux services »…)."""

    titre = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    history = HistoricalRecords()

    panels = [FieldPanel("titre"), FieldPanel("ordre"), FieldPanel("description")]

    class Meta:
        verbose_name = "axe du plan d'actions"
        verbose_name_plural = "axes du plan d'actions"
        ordering = ["ordre", "titre"]

    def __str__(self):
        return f"{self.ordre}. {self.titre}"


class Action(ClusterableModel):
    """An action of the plan: led by a pilote (a direction or a whole structure), carried out with
    partner structures before an échéance; its indicators are edited on the same form."""

    class Statut(models.TextChoices):
        A_LANCER = "a_lancer", "À lancer"
        EN_COURS = "en_cours", "En cours"
        REALISEE = "realisee", "Réalisée"
        ABANDONNEE = "abandonnee", "Abandonnée"

    axe = models.ForeignKey(Axe, verbose_name="axe", on_delete=models.PROTECT, related_name="actions")
    numero = models.PositiveSmallIntegerField("numéro", default=1, help_text="Ordre de l'action dans son axe.")
    titre = models.CharField("titre", max_length=250)
    description = models.TextField("description", blank=True)
    pilote_direction = models.ForeignKey(
        "catalogue.Direction",
        verbose_name="direction pilote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_pilotees",
    )
    pilote_structure = models.ForeignKey(
        "catalogue.Structure",
        verbose_name="structure pilote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_pilotees",
        help_text="À défaut de direction pilote : la structure entière.",
    )
    partenaires = models.ManyToManyField(
        "catalogue.Structure", verbose_name="partenaires", blank=True, related_name="actions_partenaires"
    )
    echeance = models.DateField("échéance", null=True, blank=True)
    statut = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.A_LANCER)
    avancement = models.PositiveSmallIntegerField("avancement (%)", default=0, validators=[MaxValueValidator(100)])
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords(m2m_fields=[partenaires], excluded_fields=["updated_at"])

    panels = [
        FieldPanel("axe"),
        FieldRowPanel([FieldPanel("numero"), FieldPanel("statut"), FieldPanel("avancement")]),
        FieldPanel("titre"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("pilote_direction"), FieldPanel("pilote_structure"), FieldPanel("partenaires")],
            heading="Pilote et partenaires",
        ),
        FieldPanel("echeance"),
        InlinePanel("indicateurs", heading="Indicateurs", label="Indicateur"),
    ]

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["axe__ordre", "axe__titre", "numero", "titre"]

    def __str__(self):
        return self.titre

    def clean(self):
        super().clean()
        if not self.pilote_direction_id and not self.pilote_structure_id:
            raise ValidationError({"pilote_direction": "Indiquez la direction ou la structure qui pilote l'action."})
        if self.avancement is not None and self.avancement > 100:
            raise ValidationError({"avancement": "L'avancement est un pourcentage, de 0 à 100."})

    def save(self, *args, **kwargs):
        # A finished action is complete by definition, whatever was typed.
        if self.statut == self.Statut.REALISEE:
            self.avancement = 100
        super().save(*args, **kwargs)

    @property
    def pilote(self):
        return self.pilote_direction or self.pilote_structure

    def est_en_retard(self, aujourd_hui=None):
        """Late: the échéance has passed and the action is neither done nor abandoned."""
        aujourd_hui = aujourd_hui or timezone.localdate()
        return bool(
            self.echeance
            and self.echeance < aujourd_hui
            and self.statut not in (self.Statut.REALISEE, self.Statut.ABANDONNEE)
        )


class Indicateur(models.Model):
    """A measure of an action: a target and a measured value, typed in or computed from the
    platform's statistics (`pilotage.indicateurs.SOURCES`)."""

    class Source(models.TextChoices):
        SAISIE = "saisie", "Saisie manuelle"
        AUTOMATIQUE = "automatique", "Calcul automatique (statistiques de la plateforme)"

    action = ParentalKey(Action, verbose_name="action", on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("libellé", max_length=250)
    unite = models.CharField("unité", max_length=40, blank=True, help_text="Par exemple : demandes, %, fiches.")
    cible = models.DecimalField("valeur cible", max_digits=12, decimal_places=2, null=True, blank=True)
    valeur_mesuree = models.DecimalField("valeur mesurée", max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField("source", max_length=12, choices=Source.choices, default=Source.SAISIE)
    source_automatique = models.CharField(
        "calcul automatique",
        max_length=40,
        blank=True,
        choices=CHOIX_SOURCES,
        help_text="Pour une source automatique : la statistique de la plateforme qui donne la valeur.",
    )
    annee = models.PositiveSmallIntegerField(
        "année mesurée", null=True, blank=True, help_text="Pour un calcul automatique ; l'année en cours si vide."
    )
    mesure_le = models.DateTimeField("mesurée le", null=True, blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)

    history = HistoriqueEnfant()

    panels = [
        FieldPanel("libelle"),
        FieldRowPanel([FieldPanel("cible"), FieldPanel("unite")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("source_automatique"), FieldPanel("annee")]),
        FieldPanel("valeur_mesuree"),
    ]

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.libelle

    def clean(self):
        super().clean()
        if self.source == self.Source.AUTOMATIQUE:
            if self.source_automatique not in SOURCES:
                raise ValidationError({"source_automatique": "Choisissez la statistique qui calcule cet indicateur."})
        else:
            self.source_automatique = ""

    @property
    def est_automatique(self):
        return self.source == self.Source.AUTOMATIQUE and bool(self.source_automatique)

    def annee_mesuree(self, aujourd_hui=None):
        return self.annee or (aujourd_hui or timezone.localdate()).year

    def valeur(self, aujourd_hui=None, cache=None):
        """The measured value: computed now from the platform for an automatic indicator,
        else the typed value."""
        if not self.est_automatique:
            return self.valeur_mesuree
        return calculer(self.source_automatique, self.annee_mesuree(aujourd_hui), cache=cache)

    def progression(self, valeur=None):
        """Share of the target reached, in percent (capped at 100 for the progress bar)."""
        valeur = self.valeur() if valeur is None else valeur
        if valeur is None or not self.cible:
            return None
        return max(0, min(100, round(100 * float(valeur) / float(self.cible))))
