import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from catalogue.enums import TypeCollectivite
from intake.models.referentiel import Collectivite
from intake.storage import private_storage


def nouveau_jeton():
    return secrets.token_urlsafe(32)


class Demande(models.Model):
    """A collectivité's request for support, from filing to closing (the guide's "demande")."""

    class Source(models.TextChoices):
        FORMULAIRE = "formulaire", "Formulaire du site"
        API = "api", "API"
        PARTENAIRE = "transmise_par_partenaire", "Transmise par un partenaire"

    class Statut(models.TextChoices):
        ATTRIBUE_ADMIN = "attribue_admin", "Attribué administrateur plateforme"
        RECEPTIONNE_ADMIN = "receptionne_admin", "Réceptionné administrateur plateforme"
        ATTRIBUE_CHEF_DE_FILE = "attribue_chef_de_file", "Attribué chef de file"
        RECEPTIONNE_CHEF_DE_FILE = "receptionne_chef_de_file", "Réceptionné chef de file"
        ATTRIBUE_EXPERT = "attribue_expert", "Attribué expert(s)"
        RECEPTIONNE_EXPERT = "receptionne_expert", "Réceptionné expert"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        REJETE = "rejete", "Rejeté"
        ABANDONNE = "abandonne", "Abandonné"

    STATUTS_CLOS = [Statut.TERMINE, Statut.ABANDONNE]

    numero = models.PositiveIntegerField("numéro", unique=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    source = models.CharField("source", max_length=30, choices=Source.choices, default=Source.FORMULAIRE)
    fiche = models.ForeignKey(
        "catalogue.FichePage", verbose_name="fiche", null=True, blank=True, on_delete=models.SET_NULL, related_name="demandes"
    )
    thematique = models.ForeignKey(
        "catalogue.Thematique", verbose_name="thématique", null=True, blank=True, on_delete=models.SET_NULL, related_name="demandes"
    )
    demandeur_nom = models.CharField("nom", max_length=100)
    demandeur_prenom = models.CharField("prénom", max_length=100)
    demandeur_fonction = models.CharField("fonction", max_length=100, blank=True)
    demandeur_email = models.EmailField("courriel")
    demandeur_telephone = models.CharField("téléphone", max_length=30)
    type_collectivite = models.CharField("type de collectivité", max_length=20, choices=TypeCollectivite.choices)
    collectivite = models.ForeignKey(
        Collectivite, verbose_name="collectivité", on_delete=models.PROTECT, related_name="demandes"
    )
    lieu = models.ForeignKey(
        Collectivite, verbose_name="lieu du projet", null=True, blank=True, on_delete=models.PROTECT, related_name="demandes_lieu"
    )
    lieu_precision = models.CharField("précision sur le lieu", max_length=200, blank=True)
    message = models.TextField("message")
    statut = models.CharField("statut", max_length=30, choices=Statut.choices, db_index=True)
    direction = models.ForeignKey(
        "catalogue.Direction", verbose_name="direction chef de file", null=True, blank=True, on_delete=models.PROTECT,
        related_name="demandes",
    )
    chef_de_file = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="chef de file", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="demandes_chef_de_file",
    )
    expert_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="expert référent", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="demandes_referent",
    )
    directions_associees = models.ManyToManyField(
        "catalogue.Direction", verbose_name="directions associées", blank=True, related_name="demandes_associees"
    )
    experts_associes = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="experts associés", blank=True, related_name="demandes_associees"
    )
    echeance_premier_contact = models.DateField("échéance de premier contact", db_index=True)
    premier_contact_le = models.DateField("premier contact le", null=True, blank=True)
    cloturee_le = models.DateTimeField("clôturée le", null=True, blank=True)
    motif = models.TextField("motif", blank=True, help_text="Raison d'un rejet, d'un abandon, d'un renvoi ou d'une réouverture.")
    jeton_suivi = models.CharField("jeton de suivi", max_length=64, unique=True, default=nouveau_jeton, editable=False)
    consentement = models.BooleanField("consentement au traitement des données", default=False)

    history = HistoricalRecords(m2m_fields=[directions_associees, experts_associes])

    class Meta:
        verbose_name = "demande"
        verbose_name_plural = "demandes"
        ordering = ["-numero"]

    def __str__(self):
        return f"Demande n°{self.numero}"

    @property
    def est_libre(self):
        return self.fiche_id is None

    @property
    def est_close(self):
        return self.statut in self.STATUTS_CLOS


class EntreeJournal(models.Model):
    """An entry of a demande's shared journal (the guide's "journal"): append-only."""

    class Type(models.TextChoices):
        NOTE = "note", "Note"
        APPEL = "appel", "Appel téléphonique"
        COURRIEL = "courriel", "Courriel"
        VISITE = "visite", "Visite sur site"
        REUNION = "reunion", "Réunion"
        LIVRABLE = "livrable", "Livrable"
        MISE_EN_RELATION = "mise_en_relation", "Mise en relation"

    demande = models.ForeignKey(Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="journal")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", null=True, on_delete=models.SET_NULL, related_name="entrees_journal"
    )
    structure_auteur = models.ForeignKey(
        "catalogue.Structure", verbose_name="structure de l'auteur", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("date", default=timezone.now)
    type = models.CharField("type", max_length=20, choices=Type.choices, default=Type.NOTE)
    message = models.TextField("message")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "entrées du journal"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_type_display()} du {self.created_at:%d/%m/%Y}"


def chemin_piece_jointe(instance, filename):
    return f"demandes/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{filename}"


class PieceJointe(models.Model):
    """A file attached to a demande or to one of its journal entries, stored privately."""

    demande = models.ForeignKey(Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="pieces_jointes")
    entree = models.ForeignKey(
        EntreeJournal, verbose_name="entrée du journal", null=True, blank=True, on_delete=models.CASCADE,
        related_name="pieces_jointes",
    )
    fichier = models.FileField("fichier", upload_to=chemin_piece_jointe, storage=private_storage, max_length=255)
    nom_original = models.CharField("nom du fichier", max_length=255)
    type_mime = models.CharField("type", max_length=100)
    taille = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["created_at"]

    def __str__(self):
        return self.nom_original
