"""Governance bodies (seeds: the Haute-Garonne convention's comité de suivi technique and working
groups, the Hautes-Pyrénées comité technique and conférence): members, meetings, invitations,
comptes rendus and decisions linked to the plan's actions."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from intake.storage import private_storage
from pilotage.models.plan import HistoriqueEnfant


class Instance(models.Model):
    """A governance body of the platform and who sits in it."""

    class Type(models.TextChoices):
        COMITE_PILOTAGE = "comite_pilotage", "Comité de pilotage"
        COMITE_SUIVI = "comite_suivi", "Comité de suivi technique"
        GROUPE_TRAVAIL = "groupe_travail", "Groupe de travail"
        AUTRE = "autre", "Autre instance"

    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=Type.choices)
    missions = models.TextField("missions", blank=True)
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="membres", blank=True, related_name="instances_pilotage"
    )
    structures = models.ManyToManyField(
        "catalogue.Structure", verbose_name="structures représentées", blank=True, related_name="instances_pilotage"
    )
    active = models.BooleanField("active", default=True)

    history = HistoricalRecords(m2m_fields=[membres, structures])

    panels = [
        FieldRowPanel([FieldPanel("nom"), FieldPanel("type")]),
        FieldPanel("missions"),
        FieldPanel("membres"),
        FieldPanel("structures"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        ordering = ["type", "nom"]

    def __str__(self):
        return f"{self.nom} ({self.get_type_display()})"


def chemin_compte_rendu(instance, filename):
    return f"pilotage/comptes-rendus/{timezone.now():%Y}/{filename}"


class Reunion(ClusterableModel):
    """A meeting of an instance: date, place and agenda; once held, its compte rendu and the
    decisions taken, each linked to the actions it concerns."""

    # Not named `instance`: django-simple-history's records use that attribute name.
    instance_gouvernance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.PROTECT, related_name="reunions"
    )
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=250, blank=True)
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    compte_rendu_fichier = models.FileField(
        "compte rendu (fichier)",
        storage=private_storage,
        upload_to=chemin_compte_rendu,
        blank=True,
        max_length=255,
        validators=[
            FileExtensionValidator(
                ["pdf", "odt", "docx", "doc"], message="Déposez le compte rendu en PDF, ODT ou DOCX."
            )
        ],
    )

    history = HistoricalRecords()

    panels = [
        FieldPanel("instance_gouvernance"),
        FieldRowPanel([FieldPanel("debut"), FieldPanel("fin")]),
        FieldPanel("lieu"),
        FieldPanel("ordre_du_jour"),
        MultiFieldPanel([FieldPanel("compte_rendu"), FieldPanel("compte_rendu_fichier")], heading="Compte rendu"),
        InlinePanel("decisions", heading="Décisions", label="Décision"),
    ]

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["-debut"]

    def __str__(self):
        return f"{self.instance_gouvernance.nom} — {timezone.localtime(self.debut):%d/%m/%Y %H:%M}"

    def clean(self):
        super().clean()
        if self.debut and self.fin and self.fin <= self.debut:
            raise ValidationError({"fin": "La fin de la réunion doit suivre son début."})

    def fin_prevue(self):
        return self.fin or self.debut + datetime.timedelta(hours=2)

    @property
    def est_passee(self):
        return self.debut < timezone.now()

    def a_un_compte_rendu(self):
        return bool(self.compte_rendu.strip() or self.compte_rendu_fichier)

    a_un_compte_rendu.boolean = True
    a_un_compte_rendu.short_description = "compte rendu"


class Decision(ClusterableModel):
    """A decision taken at a meeting, linked to the actions of the plan it concerns."""

    reunion = ParentalKey(Reunion, verbose_name="réunion", on_delete=models.CASCADE, related_name="decisions")
    texte = models.TextField("décision")
    actions = ParentalManyToManyField(
        "pilotage.Action", verbose_name="actions concernées", blank=True, related_name="decisions"
    )

    history = HistoriqueEnfant()

    panels = [FieldPanel("texte"), FieldPanel("actions")]

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["pk"]

    def __str__(self):
        return self.texte[:80]


class Invitation(models.Model):
    """One invitation e-mail sent to one member for one meeting (sent once)."""

    reunion = models.ForeignKey(Reunion, verbose_name="réunion", on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invité", on_delete=models.CASCADE, related_name="+"
    )
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        constraints = [models.UniqueConstraint(fields=["reunion", "user"], name="invitation_unique_par_membre")]
