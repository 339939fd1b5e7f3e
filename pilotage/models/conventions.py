"""Partners' conventions (seeds: the Haute-Garonne partnership convention, 6 years with express
renewal; the Tarn-et-Garonne MSAP convention, 2 years renewable twice by tacit renewal)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from intake.storage import private_storage

EXTENSIONS_DOCUMENT = ["pdf", "odt", "docx", "doc"]


def chemin_convention(instance, filename):
    return f"pilotage/conventions/{timezone.now():%Y}/{filename}"


class Convention(models.Model):
    """A convention signed with a partner structure: its term, its renewal rule, who signed it
    and the signed document (kept in private storage, downloaded by administrators only)."""

    class Reconduction(models.TextChoices):
        AUCUNE = "aucune", "Sans reconduction"
        TACITE = "tacite", "Reconduction tacite"
        EXPRESSE = "expresse", "Reconduction expresse (nouvelle signature)"

    structure = models.ForeignKey(
        "catalogue.Structure", verbose_name="structure partenaire", on_delete=models.PROTECT, related_name="conventions"
    )
    intitule = models.CharField("intitulé", max_length=250)
    date_signature = models.DateField("signée le", null=True, blank=True)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin de la période initiale")
    reconduction = models.CharField(
        "reconduction", max_length=10, choices=Reconduction.choices, default=Reconduction.AUCUNE
    )
    nombre_reconductions = models.PositiveSmallIntegerField(
        "nombre maximal de reconductions tacites",
        null=True,
        blank=True,
        help_text="Par exemple 2 pour « renouvelable 2 fois par tacite reconduction » ; vide : sans limite.",
    )
    signataires = models.TextField("signataires", help_text="Un signataire par ligne : nom, qualité, structure.")
    document = models.FileField(
        "convention signée",
        storage=private_storage,
        upload_to=chemin_convention,
        blank=True,
        max_length=255,
        validators=[FileExtensionValidator(EXTENSIONS_DOCUMENT, message="Déposez la convention en PDF, ODT ou DOCX.")],
    )
    resiliee_le = models.DateField("résiliée le", null=True, blank=True)
    notes = models.TextField("notes", blank=True)

    history = HistoricalRecords()

    panels = [
        FieldPanel("structure"),
        FieldPanel("intitule"),
        FieldRowPanel([FieldPanel("date_signature"), FieldPanel("date_debut"), FieldPanel("date_fin")]),
        MultiFieldPanel(
            [FieldPanel("reconduction"), FieldPanel("nombre_reconductions")], heading="Durée et reconduction"
        ),
        FieldPanel("signataires"),
        FieldPanel("document"),
        FieldPanel("resiliee_le"),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["structure__ordre", "structure__nom", "-date_debut"]

    def __str__(self):
        return f"{self.intitule} ({self.structure.sigle})"

    def clean(self):
        super().clean()
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La fin de la convention doit suivre son début."})
        if self.reconduction != self.Reconduction.TACITE:
            self.nombre_reconductions = None

    def _periode_suivante(self, debut, fin):
        """The next term has the initial term's duration."""
        lendemain = fin + datetime.timedelta(days=1)
        duree = relativedelta(self.date_fin + datetime.timedelta(days=1), self.date_debut)
        if duree.days == 0 and (duree.years or duree.months):
            # A term in whole months or years renews for the same months or years.
            return lendemain, lendemain + relativedelta(years=duree.years, months=duree.months) - datetime.timedelta(
                days=1
            )
        return lendemain, lendemain + (self.date_fin - self.date_debut)

    def echeance(self, aujourd_hui=None):
        """End of the current term: with tacit renewal the term renews by the initial duration
        as long as it has not reached the maximal number of renewals."""
        aujourd_hui = aujourd_hui or timezone.localdate()
        debut, fin = self.date_debut, self.date_fin
        if self.reconduction == self.Reconduction.TACITE:
            reconductions = 0
            while fin < aujourd_hui and (
                self.nombre_reconductions is None or reconductions < self.nombre_reconductions
            ):
                debut, fin = self._periode_suivante(debut, fin)
                reconductions += 1
        return min(fin, self.resiliee_le) if self.resiliee_le else fin

    def est_en_vigueur(self, aujourd_hui=None):
        aujourd_hui = aujourd_hui or timezone.localdate()
        return self.date_debut <= aujourd_hui <= self.echeance(aujourd_hui)

    def est_resiliee(self, aujourd_hui=None):
        return bool(self.resiliee_le and self.resiliee_le <= (aujourd_hui or timezone.localdate()))

    def liste_signataires(self):
        return [ligne.strip() for ligne in self.signataires.splitlines() if ligne.strip()]


def seuils_rappel():
    """Days before a convention's échéance when the administrators are reminded, largest first."""
    return sorted({int(j) for j in settings.PILOTAGE_RAPPEL_CONVENTIONS_JOURS}, reverse=True)


class RappelConvention(models.Model):
    """A reminder sent about a convention's échéance; its unique key (convention, term, threshold)
    makes a second run of `relancer_conventions` send nothing twice."""

    cle = models.CharField("clé", max_length=120, unique=True)
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="rappels"
    )
    echeance = models.DateField("échéance rappelée")
    seuil = models.PositiveSmallIntegerField("seuil (jours)")
    destinataires = models.TextField("adresses", blank=True)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel d'échéance de convention"
        verbose_name_plural = "rappels d'échéance de convention"
        ordering = ["-created_at"]

    def __str__(self):
        return self.cle
