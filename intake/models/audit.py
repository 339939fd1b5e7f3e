"""Personal-data lifecycle: who opened a demande's personal data, and which demandes were anonymised."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccesDemande(models.Model):
    """One reading of personal data by a back-office user: a demande's detail, one of its
    attachments, or an export of the list (no single demande: `demande` is empty, `nombre` says
    how many rows)."""

    class Nature(models.TextChoices):
        DETAIL = "detail", "Détail de la demande"
        PIECE_JOINTE = "piece_jointe", "Pièce jointe"
        EXPORT_CSV = "export_csv", "Export CSV"
        EXPORT_XLSX = "export_xlsx", "Export XLSX"

    demande = models.ForeignKey(
        "intake.Demande", verbose_name="demande", null=True, blank=True, on_delete=models.CASCADE, related_name="acces"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="acces_demandes",
    )
    # Kept when the account is deleted: the log must still say who it was.
    utilisateur_libelle = models.CharField("utilisateur (libellé)", max_length=200, blank=True)
    consulte_le = models.DateTimeField("consultée le", default=timezone.now, db_index=True)
    nature = models.CharField("nature", max_length=20, choices=Nature.choices, default=Nature.DETAIL)
    objet = models.CharField(
        "objet", max_length=500, blank=True, help_text="Nom du fichier téléchargé, ou filtres de l'export."
    )
    nombre = models.PositiveIntegerField("nombre de demandes", null=True, blank=True)

    class Meta:
        verbose_name = "accès à une demande"
        verbose_name_plural = "accès aux demandes"
        ordering = ["-consulte_le", "-pk"]

    def __str__(self):
        cible = self.demande if self.demande_id else f"{self.get_nature_display()} ({self.nombre or 0} demandes)"
        return f"{self.utilisateur_libelle} — {cible} — {self.consulte_le:%d/%m/%Y %H:%M}"


class Anonymisation(models.Model):
    """The record that a demande's personal data was erased (retention expired or the person asked)."""

    class Motif(models.TextChoices):
        RETENTION = "retention", "Durée de conservation échue"
        DEMANDE_PERSONNE = "demande_personne", "Demande d'effacement de la personne"

    demande = models.OneToOneField(
        "intake.Demande", verbose_name="demande", on_delete=models.CASCADE, related_name="anonymisation"
    )
    motif = models.CharField("motif", max_length=30, choices=Motif.choices)
    faite_le = models.DateTimeField("faite le", default=timezone.now)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bilan = models.JSONField("bilan", default=dict, blank=True, help_text="Nombre de lignes et de fichiers traités.")

    class Meta:
        verbose_name = "anonymisation"
        verbose_name_plural = "anonymisations"
        ordering = ["-faite_le"]

    def __str__(self):
        return f"{self.demande} — {self.get_motif_display()}"
