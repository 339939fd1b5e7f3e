import dataclasses
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from catalogue import roles
from catalogue.enums import TypeCollectivite
from catalogue.models import Direction, FichePage, Membre
from intake import permissions
from intake.deadlines import calculer_echeance
from intake.models.audit import Anonymisation
from intake.models.referentiel import Collectivite
from intake.storage import private_storage

logger = logging.getLogger("plateforme.demandes")


def nouveau_jeton():
    return secrets.token_urlsafe(32)


@dataclasses.dataclass
class Designations:
    """Who `Demande.affecter` newly designated: the people and directions to tell."""

    referent: object = None
    experts: list = dataclasses.field(default_factory=list)
    directions: list = dataclasses.field(default_factory=list)


class ActionRefusee(PermissionDenied):
    """The user's role does not allow this action on this demande."""


class TransitionInvalide(ValidationError):
    """The action is not possible now (status, missing reason, bad value)."""


class ConflitModification(Exception):
    """Someone changed the demande since the form was displayed (optimistic check)."""

    message = (
        "Cette demande a été modifiée par quelqu'un d'autre pendant que vous la consultiez. "
        "Votre saisie a été conservée : relisez la demande mise à jour puis validez à nouveau."
    )


class DemandeQuerySet(models.QuerySet):
    def ouvertes(self):
        return self.exclude(statut__in=Demande.STATUTS_CLOS)

    def en_retard(self, today=None):
        """Open demandes without a first contact whose deadline has passed: the database form
        of `Demande.retard`, built from the same `Demande.critere_retard`."""
        return self.ouvertes().filter(**Demande.critere_retard(today))

    def suivies_par(self, user):
        """Demandes the user handles personally: chef de file (of the direction or a co-chef de
        file of the fiche), référent, associated expert, or named chef de file. One condition per
        index, without join nor DISTINCT (see `permissions.Parmi`)."""
        if user.pk is None:
            return self.none()
        condition = (
            permissions.condition_chef_de_file(roles.directions_chef_de_file_ids(user))
            | permissions.condition_expert(user)
            | Q(chef_de_file_id=user.pk)
        )
        return self.filter(condition)


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
    # Statuses handled by the platform administrator (no chef de file direction at work yet).
    STATUTS_ADMIN = [Statut.ATTRIBUE_ADMIN, Statut.RECEPTIONNE_ADMIN, Statut.REJETE]

    numero = models.PositiveIntegerField("numéro", unique=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    source = models.CharField("source", max_length=30, choices=Source.choices, default=Source.FORMULAIRE)
    fiche = models.ForeignKey(
        "catalogue.FichePage",
        verbose_name="fiche",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demandes",
    )
    thematique = models.ForeignKey(
        "catalogue.Thematique",
        verbose_name="thématique",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demandes",
    )

    class Civilite(models.TextChoices):
        MADAME = "madame", "Madame"
        MONSIEUR = "monsieur", "Monsieur"

    # Optional: only to write « Madame la Maire » in letters; without it, « Madame, Monsieur ».
    demandeur_civilite = models.CharField("civilité", max_length=10, choices=Civilite.choices, blank=True)
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
        Collectivite,
        verbose_name="lieu du projet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demandes_lieu",
    )
    lieu_precision = models.CharField("précision sur le lieu", max_length=200, blank=True)
    message = models.TextField("message")
    statut = models.CharField("statut", max_length=30, choices=Statut.choices, db_index=True)
    direction = models.ForeignKey(
        "catalogue.Direction",
        verbose_name="direction chef de file",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demandes",
    )
    chef_de_file = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="chef de file",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demandes_chef_de_file",
    )
    expert_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="expert référent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
    motif = models.TextField(
        "motif", blank=True, help_text="Raison d'un rejet, d'un abandon, d'un renvoi ou d'une réouverture."
    )
    jeton_suivi = models.CharField("jeton de suivi", max_length=64, unique=True, default=nouveau_jeton, editable=False)
    consentement = models.BooleanField("consentement au traitement des données", default=False)

    history = HistoricalRecords(m2m_fields=[directions_associees, experts_associes])
    objects = DemandeQuerySet.as_manager()

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

    @property
    def est_en_retard(self):
        return self.retard(self.statut, self.premier_contact_le, self.echeance_premier_contact)

    @staticmethod
    def critere_retard(aujourd_hui=None):
        """The one definition of overdue (besides being open): no first contact and an échéance
        due before today. Used as a queryset filter and evaluated in Python by `retard`."""
        return {"premier_contact_le__isnull": True, "echeance_premier_contact__lt": aujourd_hui or timezone.localdate()}

    @classmethod
    def retard(cls, statut, premier_contact_le, echeance, aujourd_hui=None):
        """Overdue: open and matching `critere_retard` (also for rows read with values())."""
        critere = cls.critere_retard(aujourd_hui)
        return (
            statut not in cls.STATUTS_CLOS
            and (premier_contact_le is None) == critere["premier_contact_le__isnull"]
            and echeance is not None
            and echeance < critere["echeance_premier_contact__lt"]
        )

    @property
    def version(self):
        """Token of the optimistic check: forms send it back, a stale one is refused."""
        return self.updated_at.isoformat() if self.updated_at else ""

    # --- State machine: the one place that changes a statut -------------------------------------------
    # (from, to) -> roles allowed; "admin" = platform administrator, "chef" = chef de file of the
    # demande's direction, "referent" = its expert référent. Reopening (from Terminé or
    # Abandonné) goes to En cours when a référent is set, else to Attribué chef de file.
    S = Statut
    TRANSITIONS = {
        (S.ATTRIBUE_ADMIN, S.RECEPTIONNE_ADMIN): {"admin"},
        (S.ATTRIBUE_CHEF_DE_FILE, S.RECEPTIONNE_CHEF_DE_FILE): {"chef", "admin"},
        (S.ATTRIBUE_CHEF_DE_FILE, S.ATTRIBUE_EXPERT): {"chef", "admin"},
        (S.RECEPTIONNE_CHEF_DE_FILE, S.ATTRIBUE_EXPERT): {"chef", "admin"},
        # Sending back to the administrator is the chef de file's act: the administrator never
        # sends a demande to itself (it orients or rejects it instead), see ROLES_EXCLUS.
        (S.ATTRIBUE_CHEF_DE_FILE, S.ATTRIBUE_ADMIN): {"chef"},
        (S.RECEPTIONNE_CHEF_DE_FILE, S.ATTRIBUE_ADMIN): {"chef"},
        (S.ATTRIBUE_EXPERT, S.RECEPTIONNE_EXPERT): {"referent", "admin"},
        (S.ATTRIBUE_EXPERT, S.EN_COURS): {"referent", "admin"},
        (S.RECEPTIONNE_EXPERT, S.EN_COURS): {"referent", "admin"},
        (S.EN_COURS, S.TERMINE): {"referent", "chef", "admin"},
        (S.REJETE, S.ATTRIBUE_ADMIN): {"admin"},
        (S.TERMINE, S.EN_COURS): {"admin"},
        (S.TERMINE, S.ATTRIBUE_CHEF_DE_FILE): {"admin"},
        (S.ABANDONNE, S.EN_COURS): {"admin"},
        (S.ABANDONNE, S.ATTRIBUE_CHEF_DE_FILE): {"admin"},
    }
    OUVERTS_SAUF_REJETE = [
        S.ATTRIBUE_ADMIN,
        S.RECEPTIONNE_ADMIN,
        S.ATTRIBUE_CHEF_DE_FILE,
        S.RECEPTIONNE_CHEF_DE_FILE,
        S.ATTRIBUE_EXPERT,
        S.RECEPTIONNE_EXPERT,
        S.EN_COURS,
    ]
    for _statut in OUVERTS_SAUF_REJETE:
        TRANSITIONS[(_statut, S.REJETE)] = {"chef", "referent", "admin"}
        TRANSITIONS[(_statut, S.ABANDONNE)] = {"chef", "referent", "admin"}
    TRANSITIONS[(S.REJETE, S.ABANDONNE)] = {"admin"}
    # Routing (`router`): the administrator sends a demande it holds to a chef de file direction.
    # These edges need the routing form (fiche, direction): `transition_to` refuses them.
    TRANSITIONS_ORIENTATION = {
        (S.ATTRIBUE_ADMIN, S.ATTRIBUE_CHEF_DE_FILE),
        (S.RECEPTIONNE_ADMIN, S.ATTRIBUE_CHEF_DE_FILE),
        (S.REJETE, S.ATTRIBUE_CHEF_DE_FILE),
    }
    for _transition in TRANSITIONS_ORIENTATION:
        TRANSITIONS[_transition] = {"admin"}
    # Roles that may never make a transition, even when they also hold an allowed role (an
    # administrator who is also chef de file of the direction does not send back to itself).
    ROLES_EXCLUS = {
        (S.ATTRIBUE_CHEF_DE_FILE, S.ATTRIBUE_ADMIN): {"admin"},
        (S.RECEPTIONNE_CHEF_DE_FILE, S.ATTRIBUE_ADMIN): {"admin"},
    }
    del _statut, _transition, S

    def _role_autorise(self, depuis, vers, roles_acteur):
        allowed = self.TRANSITIONS.get((depuis, vers), set())
        return bool(allowed & roles_acteur) and not (self.ROLES_EXCLUS.get((depuis, vers), set()) & roles_acteur)

    def _est_reouverture(self, statut):
        return self.statut in self.STATUTS_CLOS

    def motif_obligatoire(self, statut):
        return (
            statut in (self.Statut.REJETE, self.Statut.ABANDONNE)
            or (
                statut == self.Statut.ATTRIBUE_ADMIN
                and self.statut in (self.Statut.ATTRIBUE_CHEF_DE_FILE, self.Statut.RECEPTIONNE_CHEF_DE_FILE)
            )
            or self._est_reouverture(statut)
        )

    def roles_de(self, user):
        """The roles `user` holds on this demande, as used by TRANSITIONS."""
        found = set()
        if roles.is_administrateur(user):
            found.add("admin")
        if permissions.est_chef_de_file_de(user, self):
            found.add("chef")
        if permissions.est_referent(user, self):
            found.add("referent")
        return found

    def directions_pilotes_ids(self):
        """The chef de file direction and its fiche's co-chefs de file directions: the référent
        is chosen among their members, whichever co-chef de file designates him."""
        if not self.direction_id:
            return set()
        ids = {self.direction_id}
        if self.fiche_id:
            ids |= set(
                FichePage.co_chefs_de_file.through.objects.filter(fichepage_id=self.fiche_id).values_list(
                    "direction_id", flat=True
                )
            )
        return ids

    def cible_reouverture(self):
        return self.Statut.EN_COURS if self.expert_referent_id else self.Statut.ATTRIBUE_CHEF_DE_FILE

    def verifier_transition(self, statut, user, reason="", orientation=False):
        """Raise ActionRefusee / TransitionInvalide unless `user` may move this demande to `statut`
        now. Routing edges are only open to `router` (`orientation=True`)."""
        allowed = self.TRANSITIONS.get((self.statut, statut))
        if allowed is None or ((self.statut, statut) in self.TRANSITIONS_ORIENTATION) != orientation:
            raise TransitionInvalide(
                f"Impossible de passer du statut « {self.get_statut_display()} » "
                f"au statut « {self.Statut(statut).label} »."
            )
        if not self._role_autorise(self.statut, statut, self.roles_de(user)):
            raise ActionRefusee("Votre rôle ne vous permet pas ce changement de statut sur cette demande.")
        if self._est_reouverture(statut) and statut != self.cible_reouverture():
            raise TransitionInvalide(f"Une demande rouverte repasse au statut « {self.cible_reouverture().label} ».")
        if statut == self.Statut.ATTRIBUE_EXPERT and not self.expert_referent_id:
            raise TransitionInvalide("Désignez d'abord l'expert référent.")
        if statut == self.Statut.ATTRIBUE_CHEF_DE_FILE and not self.direction_id:
            raise TransitionInvalide("Choisissez d'abord la direction chef de file.")
        if self.motif_obligatoire(statut) and not (reason or "").strip():
            raise TransitionInvalide("Indiquez le motif de ce changement de statut.")

    def transitions_possibles(self, user):
        """The status changes `user` may make now (those needing a form of their own excluded)."""
        possibles = []
        roles_acteur = self.roles_de(user)
        for depuis, vers in self.TRANSITIONS:
            if depuis != self.statut or not self._role_autorise(depuis, vers, roles_acteur):
                continue
            if (depuis, vers) in self.TRANSITIONS_ORIENTATION:
                continue
            if vers == self.Statut.ATTRIBUE_EXPERT and not self.expert_referent_id:
                continue
            if self._est_reouverture(vers) and vers != self.cible_reouverture():
                continue
            possibles.append(vers)
        return possibles

    @classmethod
    def _verrouiller(cls, pk, version):
        locked = cls.objects.select_for_update().get(pk=pk)
        if version is not None and version != locked.version:
            raise ConflitModification(ConflitModification.message)
        return locked

    def _enregistrer(self, locked, *, by, reason):
        locked._history_user = by
        locked._change_reason = reason or None
        locked.save()
        # Keep the caller's instance in step with the saved row.
        self.refresh_from_db()

    def transition_to(self, statut, *, by, reason="", version=None):
        """The one way to change a demande's status: checks the table and the actor's role, locks
        the row, rejects a stale form (`version`), records who and why in the history."""
        reason = (reason or "").strip()
        with transaction.atomic():
            locked = self._verrouiller(self.pk, version)
            locked._changer_statut(statut, by=by, reason=reason)
            self._enregistrer(locked, by=by, reason=reason or f"Statut : {self.Statut(statut).label}")
        return self

    def _changer_statut(self, statut, *, by, reason="", orientation=False):
        """Apply one edge of the transition table to this (locked) instance, after checking it:
        the only code that assigns `statut`. The caller saves."""
        self.verifier_transition(statut, by, reason, orientation=orientation)
        reouverture = self._est_reouverture(statut)
        ancien = self.statut
        self.statut = statut
        if statut in self.STATUTS_CLOS:
            self.cloturee_le = timezone.now()
        elif reouverture:
            self.cloturee_le = None
        if self.motif_obligatoire(statut) or reouverture:
            self.motif = reason
        logger.info("evenement=transition numero=%s de=%s vers=%s par=%s", self.numero, ancien, statut, by.pk)

    def affecter(self, *, by, referent=None, directions_associees=None, experts_associes=None, reason="", version=None):
        """The chef de file designates the expert référent (among its direction's members) and
        invites other directions or experts; one history row holds the whole change."""
        with transaction.atomic():
            locked = self._verrouiller(self.pk, version)
            acteur = locked.roles_de(by)
            if not acteur & {"chef", "admin"}:
                raise ActionRefusee("Seuls le chef de file de la demande et l'administrateur désignent les experts.")
            if locked.est_close or locked.statut in self.STATUTS_ADMIN or not locked.direction_id:
                raise TransitionInvalide("Cette demande n'est pas entre les mains d'un chef de file.")
            if (
                referent is not None
                and not Membre.objects.filter(user=referent, direction_id__in=locked.directions_pilotes_ids()).exists()
            ):
                raise TransitionInvalide(
                    "L'expert référent doit appartenir à la direction chef de file ou à une direction co-chef de file."
                )
            if experts_associes is not None:
                sans_role = [u for u in experts_associes if not roles.is_membre(u)]
                if sans_role:
                    raise TransitionInvalide("Les experts associés doivent appartenir au réseau des partenaires.")
            if directions_associees is not None:
                directions_associees = [d for d in directions_associees if d.pk != locked.direction_id]
                if any(not d.active for d in directions_associees):
                    raise TransitionInvalide("Une direction associée doit être active.")
            avant_referent = locked.expert_referent_id
            avant_experts = set(locked.experts_associes.values_list("pk", flat=True))
            avant_directions = set(locked.directions_associees.values_list("pk", flat=True))
            # m2m changes would each write a history row: write one, after everything changed.
            locked.skip_history_when_saving = True
            try:
                if referent is not None:
                    locked.expert_referent = referent
                if "chef" in acteur and not locked.chef_de_file_id:
                    locked.chef_de_file = by
                if directions_associees is not None:
                    locked.directions_associees.set(directions_associees)
                if experts_associes is not None:
                    locked.experts_associes.set([u for u in experts_associes if u.pk != locked.expert_referent_id])
                if locked.expert_referent_id and locked.statut in (
                    self.Statut.ATTRIBUE_CHEF_DE_FILE,
                    self.Statut.RECEPTIONNE_CHEF_DE_FILE,
                ):
                    locked._changer_statut(self.Statut.ATTRIBUE_EXPERT, by=by, reason=reason)
                locked.save()
            finally:
                del locked.skip_history_when_saving
            self._enregistrer(locked, by=by, reason=reason or "Affectation des experts")
            return Designations(
                referent=locked.expert_referent if locked.expert_referent_id not in (None, avant_referent) else None,
                experts=[u for u in locked.experts_associes.all() if u.pk not in avant_experts],
                directions=[d for d in locked.directions_associees.all() if d.pk not in avant_directions],
            )

    def router(self, *, by, direction=None, fiche=None, reason="", version=None):
        """The administrator routes a free (or rejected, or sent back) demande to a fiche and its
        chef de file direction: Attribué chef de file, deadline recomputed when a fiche is set."""
        with transaction.atomic():
            locked = self._verrouiller(self.pk, version)
            if not roles.is_administrateur(by):
                raise ActionRefusee("Seul l'administrateur de la plateforme oriente une demande.")
            if locked.statut not in self.STATUTS_ADMIN:
                raise TransitionInvalide(
                    "Seule une demande attribuée à l'administrateur ou rejetée peut être orientée."
                )
            direction = direction or getattr(fiche, "chef_de_file", None)
            if direction is None:
                raise TransitionInvalide("Choisissez la direction chef de file (ou une fiche qui en a une).")
            if not direction.active:
                raise TransitionInvalide("La direction choisie n'est plus active.")
            etait_libre = locked.fiche_id is None
            if fiche is not None:
                locked.fiche = fiche
                locked.thematique_id = fiche.thematique_id or locked.thematique_id
                if etait_libre:
                    locked.echeance_premier_contact = calculer_echeance(
                        timezone.localdate(locked.created_at), fiche.nature
                    )
            if locked.direction_id != direction.pk:
                locked.chef_de_file = None
                locked.expert_referent = None
            locked.direction = direction
            locked._changer_statut(self.Statut.ATTRIBUE_CHEF_DE_FILE, by=by, reason=reason, orientation=True)
            self._enregistrer(locked, by=by, reason=reason or f"Orientation vers {direction}")
        return self

    def enregistrer_premier_contact(self, *, by, date, version=None):
        """The référent records the first contact with the collectivité: it stops the deadline clock."""
        with transaction.atomic():
            locked = self._verrouiller(self.pk, version)
            if not locked.roles_de(by):
                raise ActionRefusee(
                    "Seuls l'expert référent, le chef de file et l'administrateur enregistrent le premier contact."
                )
            if locked.premier_contact_le is not None:
                raise TransitionInvalide("Le premier contact est déjà enregistré.")
            if date > timezone.localdate():
                raise TransitionInvalide("La date du premier contact ne peut pas être dans le futur.")
            if date < timezone.localdate(locked.created_at):
                raise TransitionInvalide("La date du premier contact ne peut pas précéder le dépôt de la demande.")
            locked.premier_contact_le = date
            self._enregistrer(locked, by=by, reason="Premier contact effectué")
        return self

    # The demande's data the administrator and its chefs de file may correct.
    CHAMPS_CORRIGEABLES = [
        "demandeur_email",
        "demandeur_nom",
        "demandeur_prenom",
        "demandeur_fonction",
        "demandeur_telephone",
        "collectivite",
        "type_collectivite",
        "fiche",
    ]

    def corriger(self, *, by, reason, version=None, **champs):
        """Correct the demandeur's contact, the collectivité or the fiche (a typo, a wrong choice):
        the administrator or a chef de file of the demande, with a reason recorded in the history
        row. Changing the fiche does not re-route the demande nor move its deadline. Returns the
        names of the fields that changed."""
        inconnus = set(champs) - set(self.CHAMPS_CORRIGEABLES)
        if inconnus:
            raise TransitionInvalide(f"Champs non corrigeables : {', '.join(sorted(inconnus))}.")
        reason = (reason or "").strip()
        with transaction.atomic():
            locked = self._verrouiller(self.pk, version)
            if not permissions.peut_corriger(by, locked):
                raise ActionRefusee("Seuls l'administrateur et les chefs de file de la demande corrigent ses données.")
            if Anonymisation.objects.filter(demande=locked).exists():
                raise TransitionInvalide("Cette demande est anonymisée : ses données ne peuvent plus être corrigées.")
            if not reason:
                raise TransitionInvalide("Indiquez le motif de la correction.")
            modifies = []
            for nom, valeur in champs.items():
                if isinstance(valeur, str):
                    valeur = valeur.strip()
                champ = self._meta.get_field(nom)
                actuel = getattr(locked, champ.attname)
                nouveau = getattr(valeur, "pk", valeur) if champ.is_relation else valeur
                if actuel != nouveau:
                    setattr(locked, nom, valeur)
                    modifies.append(nom)
            if not modifies:
                raise TransitionInvalide("Aucune donnée n'a changé : rien à corriger.")
            if "fiche" in modifies and locked.fiche is not None and locked.fiche.thematique_id:
                locked.thematique_id = locked.fiche.thematique_id
            try:
                locked.full_clean(exclude=[f.name for f in self._meta.fields if f.name not in modifies])
            except ValidationError as error:
                raise TransitionInvalide(error.messages) from None
            self._enregistrer(locked, by=by, reason=f"Correction : {reason}")
        logger.info("evenement=correction numero=%s champs=%s par=%s", locked.numero, ",".join(modifies), by.pk)
        return modifies

    def ajouter_entree_journal(self, *, by, type, message, fichiers=()):
        """Append an entry (and its attachments) to the journal; entries are never edited here."""
        if not permissions.peut_agir(by, self):
            raise ActionRefusee("Vous ne participez pas au traitement de cette demande.")
        if not (message or "").strip():
            raise TransitionInvalide("Le message de l'entrée est obligatoire.")
        mes_directions = Direction.objects.filter(pk__in=roles.directions_ids(by)).order_by(
            models.Case(models.When(pk=self.direction_id, then=0), default=1)
        )
        premiere = mes_directions.first()
        with transaction.atomic():
            entree = EntreeJournal(
                demande=self,
                auteur=by,
                type=type,
                message=message.strip(),
                structure_auteur_id=premiere.structure_id if premiere else None,
            )
            entree._history_user = by
            entree.save()
            for fichier in fichiers:
                PieceJointe.enregistrer(fichier, demande=self, entree=entree)
        return entree


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
        # The exchanges with the commune, the only entries shown on its tracking page.
        MESSAGE_COLLECTIVITE = "message_collectivite", "Message de la collectivité"
        MESSAGE_A_LA_COLLECTIVITE = "a_la_collectivite", "Message à la collectivité"

    demande = models.ForeignKey(Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="journal")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="entrees_journal",
    )
    structure_auteur = models.ForeignKey(
        "catalogue.Structure",
        verbose_name="structure de l'auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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

    demande = models.ForeignKey(
        Demande, verbose_name="demande", on_delete=models.CASCADE, related_name="pieces_jointes"
    )
    entree = models.ForeignKey(
        EntreeJournal,
        verbose_name="entrée du journal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
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

    @classmethod
    def enregistrer(cls, fichier, *, demande, entree=None):
        """Store an uploaded file (already checked by the form) with its original name and the
        type its content was recognised as."""
        fichier.seek(0)
        return cls.objects.create(
            demande=demande,
            entree=entree,
            fichier=fichier,
            nom_original=fichier.name[:255],
            type_mime=getattr(fichier, "type_detecte", "")
            or getattr(fichier, "content_type", "")
            or "application/octet-stream",
            taille=fichier.size,
        )
