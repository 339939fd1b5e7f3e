"""The partners' org chart: structures, their directions and their members."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from simple_history.models import HistoricalRecords


class Structure(models.Model):
    """A partner organisation that signed the convention (Département, HGI, CAUE…)."""

    nom = models.CharField("nom", max_length=200, unique=True)
    sigle = models.CharField("sigle", max_length=40, unique=True)
    slug = models.SlugField("identifiant", max_length=60, unique=True, blank=True)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    code_postal = models.CharField("code postal", max_length=10, blank=True)
    ville = models.CharField("ville", max_length=100, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField("courriel", blank=True)
    site_web = models.URLField("site web", blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="logo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "structure partenaire"
        verbose_name_plural = "structures partenaires"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.sigle)[:60]
        super().save(*args, **kwargs)

    @property
    def nom_groupe_partenaires(self):
        return f"Partenaires {self.sigle}"

    @property
    def adresse_complete(self):
        return ", ".join(part for part in [self.adresse, f"{self.code_postal} {self.ville}".strip()] if part)


class DirectionQuerySet(models.QuerySet):
    def actives(self):
        return self.filter(active=True)


class DirectionManager(models.Manager.from_queryset(DirectionQuerySet)):
    # A direction's name shows its structure's sigle (__str__): always fetch them together,
    # or every list of directions (filters, choosers, exports) costs one query per direction.
    def get_queryset(self):
        return super().get_queryset().select_related("structure")


class Direction(models.Model):
    """A unit of a structure that leads fiches and receives demandes (routing target)."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.PROTECT, related_name="directions"
    )
    nom = models.CharField("nom", max_length=200)
    sigle = models.CharField("sigle", max_length=60, blank=True)
    email_notification = models.EmailField(
        "courriel de notification", blank=True, help_text="Adresse générique qui reçoit les nouvelles demandes."
    )
    active = models.BooleanField("active", default=True)

    history = HistoricalRecords()
    objects = DirectionManager()

    class Meta:
        verbose_name = "direction"
        verbose_name_plural = "directions"
        ordering = ["structure__ordre", "structure__nom", "nom"]
        constraints = [models.UniqueConstraint(fields=["structure", "nom"], name="direction_unique_par_structure")]

    def __str__(self):
        return self.libelle(self.nom, self.sigle, self.structure.nom, self.structure.sigle)

    @staticmethod
    def libelle(nom, sigle, nom_structure, sigle_structure):
        """The direction's name everywhere, from its values (lists read with values_list)."""
        if nom == nom_structure:
            return nom
        return f"{sigle or nom} ({sigle_structure})"

    @property
    def libelle_court(self):
        return self.sigle or self.nom


class Membre(models.Model):
    """A user's place in a direction: chef de file or expert (a user may hold several)."""

    class Role(models.TextChoices):
        CHEF_DE_FILE = "chef_de_file", "Chef de file"
        EXPERT = "expert", "Expert"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="membres"
    )
    direction = models.ForeignKey(Direction, verbose_name="direction", on_delete=models.CASCADE, related_name="membres")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["direction", "role", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "direction", "role"], name="membre_unique")]

    def __str__(self):
        nom = self.user.get_full_name() or self.user.get_username()
        return f"{nom} — {self.get_role_display()}, {self.direction}"
