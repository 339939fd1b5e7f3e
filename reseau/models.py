"""The network's space (espace réseau): the members' directory, shared documents, discussions
and the server-side usage counters of the yearly report. Only network members (users with a
`Membre` row) and administrators reach it; see reseau/acces.py."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from simple_history.models import HistoricalRecords

from intake.storage import private_storage
from reseau import acces


class FicheAnnuaire(models.Model):
    """What a member tells the network about himself, beside his Membre rows (« Ma fiche annuaire »)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="fiche_annuaire"
    )
    telephone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    presentation = models.TextField("présentation courte", max_length=600, blank=True)
    thematiques = models.ManyToManyField(
        "catalogue.Thematique", verbose_name="thématiques suivies", blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fiche annuaire"
        verbose_name_plural = "fiches annuaire"

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


class Dossier(models.Model):
    """A folder of shared documents, by thématique or by instance (comité technique, conférence…)."""

    nom = models.CharField("nom", max_length=150, unique=True)
    thematique = models.ForeignKey(
        "catalogue.Thematique",
        verbose_name="thématique",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    categorie = models.CharField(
        "instance ou catégorie",
        max_length=150,
        blank=True,
        help_text="Instance de gouvernance ou catégorie libre (comité technique, rencontre annuelle…).",
    )
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "dossier partagé"
        verbose_name_plural = "dossiers partagés"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


class DocumentPartage(models.Model):
    """A document shared with the network: stored privately, visible once an administrator validated it.
    A new version points to the one it replaces."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de validation"
        VALIDE = "valide", "Validé"
        REFUSE = "refuse", "Refusé"

    dossier = models.ForeignKey(Dossier, verbose_name="dossier", on_delete=models.PROTECT, related_name="documents")
    titre = models.CharField("titre", max_length=200)
    fichier = models.FileField("fichier", storage=private_storage, upload_to="reseau/%Y/%m/", max_length=300)
    version = models.PositiveIntegerField("version", default=1)
    remplace = models.ForeignKey(
        "self",
        verbose_name="remplace la version",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="versions_suivantes",
    )
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE, db_index=True)
    modere_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modéré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    modere_le = models.DateTimeField("modéré le", null=True, blank=True)
    motif_refus = models.CharField("motif du refus", max_length=500, blank=True)
    document_publie = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="publié sur le site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "document partagé"
        verbose_name_plural = "documents partagés"
        ordering = ["dossier", "titre", "-version"]

    def __str__(self):
        return f"{self.titre} (version {self.version})"

    @property
    def nom_fichier(self):
        return self.fichier.name.rsplit("/", 1)[-1]

    def est_visible_par(self, user):
        if not acces.peut_acceder(user):
            return False
        return self.statut == self.Statut.VALIDE or self.depose_par_id == user.pk or acces.peut_moderer(user)


class Telechargement(models.Model):
    """One download of a shared document (usage report)."""

    document = models.ForeignKey(
        DocumentPartage, verbose_name="document", on_delete=models.CASCADE, related_name="telechargements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("téléchargé le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "téléchargement"
        verbose_name_plural = "téléchargements"


class Fil(models.Model):
    """A discussion thread of the network, by thématique or about one fiche."""

    titre = models.CharField("titre", max_length=200)
    thematique = models.ForeignKey(
        "catalogue.Thematique",
        verbose_name="thématique",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fiche = models.ForeignKey(
        "catalogue.FichePage", verbose_name="fiche", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)
    derniere_activite = models.DateTimeField("dernière activité", default=timezone.now, db_index=True)
    clos = models.BooleanField("clos", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fil de discussion"
        verbose_name_plural = "fils de discussion"
        ordering = ["-derniere_activite"]

    def __str__(self):
        return self.titre


class Message(models.Model):
    """A message in a thread; an administrator may hide it (moderation, kept in history)."""

    fil = models.ForeignKey(Fil, verbose_name="fil", on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    texte = models.TextField("message", max_length=5000)
    created_at = models.DateTimeField("écrit le", default=timezone.now, db_index=True)
    masque = models.BooleanField("masqué par la modération", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M} dans « {self.fil} »"


class Abonnement(models.Model):
    """A user follows a thread: he is told of its new messages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="+"
    )
    fil = models.ForeignKey(Fil, verbose_name="fil", on_delete=models.CASCADE, related_name="abonnements")
    created_at = models.DateTimeField("depuis le", default=timezone.now)

    class Meta:
        verbose_name = "abonnement à un fil"
        verbose_name_plural = "abonnements aux fils"
        constraints = [models.UniqueConstraint(fields=["user", "fil"], name="abonnement_unique")]


class PreferenceNotification(models.Model):
    """How a member wants to hear of the discussions: at once, or in one daily digest."""

    class Frequence(models.TextChoices):
        IMMEDIATE = "immediate", "À chaque nouveau message"
        QUOTIDIEN = "quotidien", "Un récapitulatif quotidien"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="preference_reseau"
    )
    frequence = models.CharField("fréquence", max_length=20, choices=Frequence.choices, default=Frequence.IMMEDIATE)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    @classmethod
    def frequence_de(cls, user):
        return cls.objects.filter(user=user).values_list("frequence", flat=True).first() or cls.Frequence.IMMEDIATE


class DigestEnvoye(models.Model):
    """The daily digest of one day was sent to one user: the command never sends it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField("journée")
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    nombre_messages = models.PositiveIntegerField("nombre de messages", default=0)

    class Meta:
        verbose_name = "récapitulatif envoyé"
        verbose_name_plural = "récapitulatifs envoyés"
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="digest_unique_par_jour")]


class CompteurJournalier(models.Model):
    """A server-side daily counter (page views by path group, logins): no cookie, nobody tracked."""

    date = models.DateField("journée", db_index=True)
    cle = models.CharField("compteur", max_length=120)
    valeur = models.PositiveBigIntegerField("valeur", default=0)

    class Meta:
        verbose_name = "compteur journalier"
        verbose_name_plural = "compteurs journaliers"
        constraints = [models.UniqueConstraint(fields=["date", "cle"], name="compteur_unique_par_jour")]

    @classmethod
    def ajouter(cls, cle, nombre=1, date=None):
        date = date or timezone.localdate()
        compteur, _ = cls.objects.get_or_create(date=date, cle=cle)
        if nombre:
            cls.objects.filter(pk=compteur.pk).update(valeur=F("valeur") + nombre)


class ConnexionJournaliere(models.Model):
    """A user logged in on that day (active members of the usage report)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField("journée", db_index=True)

    class Meta:
        verbose_name = "connexion journalière"
        verbose_name_plural = "connexions journalières"
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="connexion_unique_par_jour")]
