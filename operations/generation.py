"""A large fictional dataset for benchmarks and load tests.

Everything generated is marked so that it can be topped up or removed without touching
real data: structures whose sigle starts with GEN, users whose username starts with
"gen.", demandes whose demandeur's email ends with @donnees-generees.invalid.
Each part is topped up to the requested count, so running twice changes nothing and
running again with a larger scale only adds what is missing (1,000 → 100,000 demandes).
"""

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from catalogue import roles
from catalogue.enums import CoutFiche, NatureFiche, TypeCollectivite, delai_rappel_jours
from catalogue.models import CatalogueIndexPage, Direction, FichePage, Membre, Structure, StructurePage, Thematique
from intake.models import Collectivite, Demande, EntreeJournal

PREFIXE_SIGLE = "GEN"
PREFIXE_UTILISATEUR = "gen."
DOMAINE_COURRIEL = "donnees-generees.invalid"
UTILISATEUR_ADMIN = "gen.administrateur"
TAILLE_LOT = 2000

PRENOMS = [
    "Camille",
    "Claire",
    "Julien",
    "Nicolas",
    "Sophie",
    "Marie",
    "Thomas",
    "Laurent",
    "Isabelle",
    "Pierre",
    "Nathalie",
    "Sébastien",
    "Céline",
    "Jérôme",
    "Aurélie",
    "François",
    "Hélène",
    "Mathieu",
    "Sandrine",
    "Olivier",
]
NOMS = [
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Garcia",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "Andre",
]
FONCTIONS_DEMANDEUR = ["Maire", "Adjoint au maire", "Secrétaire de mairie", "DGS", "Président", "Technicien"]
DOMAINES = [
    "urbanisme",
    "voirie",
    "eau et assainissement",
    "bâtiments publics",
    "finances locales",
    "marchés publics",
    "énergie",
    "environnement",
    "patrimoine",
    "mobilités",
    "habitat",
    "numérique",
]
SUJETS = [
    "révision du PLU",
    "aménagement du centre-bourg",
    "rénovation énergétique de l'école",
    "création d'une aire de jeux",
    "réfection de la voirie communale",
    "mise en accessibilité de la mairie",
    "extension du cimetière",
    "passage à la M57",
    "marché de restauration scolaire",
    "étude de faisabilité d'une maison de santé",
    "programme de logements communaux",
    "réhabilitation de l'église",
    "schéma d'assainissement",
]


@dataclass
class Echelle:
    """How much to generate; the defaults are the issue's "large" scale."""

    structures: int = 10
    directions: int = 60
    utilisateurs: int = 1000
    fiches: int = 300
    demandes: int = 100_000
    annees: int = 5
    graine: int = 31


def _rng(*parts):
    # One generator per object, seeded by its index: the N-th object is always the same.
    return random.Random("-".join(str(part) for part in parts))


class Generateur:
    def __init__(self, echelle, ecrire=print):
        self.echelle = echelle
        self.ecrire = ecrire
        self.now = timezone.now()

    # --- public entry points ---------------------------------------------------------
    def generer(self):
        debut = time.monotonic()
        etapes = [
            ("structures et directions", self.structures_et_directions),
            ("utilisateurs et membres", self.utilisateurs),
            ("collectivités", self.collectivites),
            ("thématiques", self.thematiques),
            ("fiches publiées", self.fiches),
            ("demandes, journal et historique", self.demandes),
        ]
        for libelle, etape in etapes:
            t0 = time.monotonic()
            bilan = etape()
            self.ecrire(f"  {libelle} : {bilan} ({time.monotonic() - t0:.1f} s)")
        self.ecrire(f"Génération terminée en {time.monotonic() - debut:.1f} s.")

    @classmethod
    def vider(cls, ecrire=print):
        """Remove every generated row (never real data), without writing deletion history."""
        User = get_user_model()
        with transaction.atomic():
            demandes = Demande.objects.filter(demandeur_email__endswith="@" + DOMAINE_COURRIEL)
            ids = demandes.values("pk")
            EntreeJournal.history.model.objects.filter(demande_id__in=ids)._raw_delete(EntreeJournal.objects.db)
            EntreeJournal.objects.filter(demande_id__in=ids)._raw_delete(EntreeJournal.objects.db)
            for through in (Demande.directions_associees.through, Demande.experts_associes.through):
                through.objects.filter(demande_id__in=ids)._raw_delete(through.objects.db)
            _supprimer_lignes_liees(ids)
            Demande.history.model.objects.filter(demandeur_email__endswith="@" + DOMAINE_COURRIEL)._raw_delete(
                Demande.objects.db
            )
            nb_demandes = demandes._raw_delete(Demande.objects.db)
            structures = Structure.objects.filter(sigle__startswith=PREFIXE_SIGLE)
            for page in StructurePage.objects.filter(structure__in=structures):
                page.delete()
            Membre.objects.filter(user__username__startswith=PREFIXE_UTILISATEUR).delete()
            User.objects.filter(username__startswith=PREFIXE_UTILISATEUR).delete()
            Direction.objects.filter(structure__in=structures).delete()
            for structure in structures:
                Group.objects.filter(name=structure.nom_groupe_partenaires).delete()
            structures.delete()
            Collectivite.objects.filter(departement="99").delete()
            Thematique.objects.filter(slug__startswith="generee-").delete()
        ecrire(f"Données générées supprimées ({nb_demandes} demandes).")

    # --- org chart -----------------------------------------------------------------------
    def structures_et_directions(self):
        e = self.echelle
        for i in range(1, e.structures + 1):
            sigle = f"{PREFIXE_SIGLE}{i:02d}"
            if not Structure.objects.filter(sigle=sigle).exists():
                Structure.objects.create(
                    nom=f"Agence technique générée n°{i}",
                    sigle=sigle,
                    ville="Toulouse",
                    code_postal="31000",
                    courriel=f"contact.{sigle.lower()}@{DOMAINE_COURRIEL}",
                    ordre=500 + i,
                )
        structures = list(Structure.objects.filter(sigle__startswith=PREFIXE_SIGLE).order_by("sigle")[: e.structures])
        existantes = Direction.objects.filter(structure__in=structures).count()
        nouvelles = []
        for n in range(existantes, e.directions):
            structure = structures[n % len(structures)]
            domaine = DOMAINES[n % len(DOMAINES)]
            nouvelles.append(
                Direction(
                    structure=structure,
                    nom=f"Direction {domaine} n°{n + 1}",
                    sigle=f"D{n + 1}",
                    email_notification=f"direction{n + 1}@{DOMAINE_COURRIEL}",
                )
            )
        bulk_create_with_history(nouvelles, Direction, default_change_reason="Données générées")
        self.directions = list(Direction.objects.filter(structure__in=structures).order_by("pk"))
        return f"{len(structures)} structures, {len(self.directions)} directions"

    def utilisateurs(self):
        User = get_user_model()
        e = self.echelle
        mot_de_passe = make_password(None)  # no one signs in with a generated account's password
        admin, _ = User.objects.get_or_create(
            username=UTILISATEUR_ADMIN,
            defaults={
                "first_name": "Administrateur",
                "last_name": "GÉNÉRÉ",
                "email": f"admin@{DOMAINE_COURRIEL}",
                "password": mot_de_passe,
            },
        )
        admin.groups.add(Group.objects.get_or_create(name=roles.GROUPE_ADMINISTRATEURS)[0])
        existants = User.objects.filter(username__startswith=PREFIXE_UTILISATEUR + "u").count()
        nouveaux = []
        for n in range(existants, e.utilisateurs):
            r = _rng(e.graine, "utilisateur", n)
            prenom, nom = r.choice(PRENOMS), r.choice(NOMS)
            nouveaux.append(
                User(
                    username=f"{PREFIXE_UTILISATEUR}u{n:05d}",
                    first_name=prenom,
                    last_name=nom.upper(),
                    email=f"{prenom.lower()}.{nom.lower()}.{n}@{DOMAINE_COURRIEL}",
                    password=mot_de_passe,
                    is_active=True,
                )
            )
        User.objects.bulk_create(nouveaux, batch_size=TAILLE_LOT)
        users = list(User.objects.filter(username__startswith=PREFIXE_UTILISATEUR + "u").order_by("username"))
        # The first users of each direction are its chefs de file, the others its experts.
        deja = set(Membre.objects.filter(user__in=users).values_list("user_id", flat=True))
        membres = []
        for n, user in enumerate(users):
            if user.pk in deja:
                continue
            direction = self.directions[n % len(self.directions)]
            role = Membre.Role.CHEF_DE_FILE if n < 2 * len(self.directions) else Membre.Role.EXPERT
            membres.append(Membre(user=user, direction=direction, role=role, fonction="Chargé de mission"))
        bulk_create_with_history(membres, Membre, batch_size=TAILLE_LOT, default_change_reason="Données générées")
        reseau = Group.objects.get_or_create(name=roles.GROUPE_RESEAU)[0]
        through = get_user_model().groups.through
        dans_reseau = set(through.objects.filter(group=reseau).values_list("user_id", flat=True))
        through.objects.bulk_create(
            [through(user_id=user.pk, group_id=reseau.pk) for user in users if user.pk not in dans_reseau],
            batch_size=TAILLE_LOT,
        )
        self.chefs, self.experts = {}, {}
        for membre in Membre.objects.filter(direction__in=self.directions).order_by("pk"):
            cible = self.chefs if membre.role == Membre.Role.CHEF_DE_FILE else self.experts
            cible.setdefault(membre.direction_id, []).append(membre.user_id)
        self.admin_id = admin.pk
        return f"{len(users)} utilisateurs, {Membre.objects.filter(user__in=users).count()} membres"

    # --- referentials ---------------------------------------------------------------------
    def collectivites(self):
        qs = Collectivite.objects.filter(active=True)
        if qs.count() < 50:
            # No referential loaded: a fictional département 99 keeps the generator self-contained.
            existants = set(Collectivite.objects.filter(departement="99").values_list("code", flat=True))
            bulk_create_with_history(
                [
                    Collectivite(
                        code=f"99{n:03d}",
                        nom=f"Commune générée {n}",
                        type=TypeCollectivite.COMMUNE,
                        departement="99",
                        population=200 + n * 37,
                        codes_postaux=[f"99{n % 1000:03d}"],
                    )
                    for n in range(1, 301)
                    if f"99{n:03d}" not in existants
                ],
                Collectivite,
                default_change_reason="Données générées",
            )
        self.collectivites_ids = list(qs.values_list("pk", "type").order_by("pk"))
        self.communes_ids = [pk for pk, type_ in self.collectivites_ids if type_ == TypeCollectivite.COMMUNE]
        return f"{len(self.collectivites_ids)} disponibles"

    def thematiques(self):
        if Thematique.objects.count() < 5:
            for n in range(1, 9):
                Thematique.objects.get_or_create(slug=f"generee-{n}", defaults={"nom": f"Thématique générée {n}"})
        self.thematiques_ids = list(Thematique.objects.values_list("pk", flat=True).order_by("pk"))
        return f"{len(self.thematiques_ids)} disponibles"

    # --- pages ------------------------------------------------------------------------------
    def fiches(self):
        index = CatalogueIndexPage.objects.first()
        if index is None:
            raise RuntimeError("Aucun catalogue : lancez d'abord « manage.py load_initial_data ».")
        e = self.echelle
        pages = {}
        for structure in Structure.objects.filter(sigle__startswith=PREFIXE_SIGLE).order_by("sigle"):
            page = StructurePage.objects.filter(structure=structure).first()
            if page is None:
                page = StructurePage(
                    title=structure.nom,
                    slug=structure.slug,
                    structure=structure,
                    presentation=f"<p>Présentation de {structure.nom}.</p>",
                )
                index.add_child(instance=page)
                page.save_revision().publish()
            pages[structure.pk] = page
        generees = FichePage.objects.descendant_of(index).filter(slug__startswith="fiche-generee-")
        existantes = generees.count()
        for n in range(existantes, e.fiches):
            r = _rng(e.graine, "fiche", n)
            direction = self.directions[n % len(self.directions)]
            sujet = SUJETS[n % len(SUJETS)]
            fiche = FichePage(
                title=f"{sujet.capitalize()} — accompagnement n°{n + 1}",
                slug=f"fiche-generee-{n + 1}",
                thematique_id=self.thematiques_ids[n % len(self.thematiques_ids)],
                chapo=f"Un accompagnement pour votre projet de {sujet}, de l'étude préalable à la réalisation.",
                description=[
                    ("intertitre", "Objectifs"),
                    ("paragraphe", f"<p>Aider la collectivité à conduire son projet de {sujet}.</p>"),
                    ("intertitre", "Modalités"),
                    ("paragraphe", "<p>Réunion de cadrage, visite sur site, note de synthèse.</p>"),
                ],
                beneficiaires=r.sample([t.value for t in TypeCollectivite], 3),
                nature=NatureFiche.URGENTE if n % 5 == 0 else NatureFiche.COMPLEXE,
                cout=r.choice(list(CoutFiche.values)),
                chef_de_file=direction,
                contact_nom="Accueil de la direction",
                contact_courriel=direction.email_notification,
                millesime=2026,
            )
            pages[direction.structure_id].add_child(instance=fiche)
            fiche.mots_cles.add(sujet.split()[0], DOMAINES[n % len(DOMAINES)])
            fiche.save_revision().publish()
        self.fiches_info = [
            (f.pk, f.chef_de_file_id, f.thematique_id, f.nature)
            for f in FichePage.objects.live().filter(slug__startswith="fiche-generee-").order_by("pk")[: e.fiches]
        ]
        return f"{len(self.fiches_info)} fiches générées en ligne"

    # --- demandes -------------------------------------------------------------------------
    def demandes(self):
        e = self.echelle
        generees = Demande.objects.filter(demandeur_email__endswith="@" + DOMAINE_COURRIEL)
        deja = generees.count()
        a_creer = max(0, e.demandes - deja)
        if not a_creer:
            return f"{deja} déjà présentes"
        # Dates over the years asked, sorted so that numéros follow the filing date.
        r = _rng(e.graine, "dates", deja, e.demandes)
        secondes = e.annees * 365 * 86400
        dates = sorted(self.now - timedelta(seconds=r.randrange(secondes)) for _ in range(a_creer))
        numero = (Demande.objects.aggregate(m=Max("numero"))["m"] or 0) + 1
        journal_total = 0
        for debut in range(0, a_creer, TAILLE_LOT):
            lot = [
                self._demande(deja + debut + k, dates[debut + k], numero + debut + k)
                for k in range(min(TAILLE_LOT, a_creer - debut))
            ]
            with transaction.atomic():
                bulk_create_with_history(lot, Demande, batch_size=500, default_change_reason="Dépôt (données générées)")
                entrees = [entree for demande in lot for entree in self._journal(demande)]
                bulk_create_with_history(
                    entrees, EntreeJournal, batch_size=500, default_change_reason="Données générées"
                )
                associees = [
                    Demande.directions_associees.through(demande_id=d.pk, direction_id=d._associee)
                    for d in lot
                    if getattr(d, "_associee", None)
                ]
                Demande.directions_associees.through.objects.bulk_create(associees, batch_size=500)
            journal_total += len(entrees)
            if (debut // TAILLE_LOT) % 10 == 9:
                self.ecrire(f"    … {debut + len(lot)} / {a_creer}")
        _avancer_compteur(numero + a_creer - 1)
        return f"{a_creer} créées ({deja} déjà présentes), {journal_total} entrées de journal"

    def _demande(self, n, created_at, numero):
        r = _rng(self.echelle.graine, "demande", n)
        age = (self.now - created_at).days
        libre = r.random() < 0.15
        fiche_id, direction_id, thematique_id, nature = (None, None, r.choice(self.thematiques_ids), None)
        if not libre:
            fiche_id, direction_id, thematique_id, nature = r.choice(self.fiches_info)
        statut = _statut(r, age, libre)
        if libre and statut not in (Demande.Statut.ATTRIBUE_ADMIN, Demande.Statut.RECEPTIONNE_ADMIN):
            direction_id = r.choice(self.directions).pk  # routed by the administrator later on
        delai = delai_rappel_jours(nature)
        collectivite_id, type_collectivite = r.choice(self.collectivites_ids)
        prenom, nom = r.choice(PRENOMS), r.choice(NOMS)
        avance = statut in {
            Demande.Statut.ATTRIBUE_EXPERT,
            Demande.Statut.RECEPTIONNE_EXPERT,
            Demande.Statut.EN_COURS,
            Demande.Statut.TERMINE,
            Demande.Statut.ABANDONNE,
        }
        chef = r.choice(self.chefs.get(direction_id, [None])) if direction_id else None
        expert = r.choice(self.experts.get(direction_id, [None])) if direction_id and avance else None
        contact = None
        if statut in (Demande.Statut.EN_COURS, Demande.Statut.TERMINE):
            contact = (created_at + timedelta(days=r.randint(0, delai + 5))).date()
        cloture = None
        if statut in Demande.STATUTS_CLOS:
            cloture = created_at + timedelta(days=r.randint(15, 160))
        demande = Demande(
            numero=numero,
            created_at=created_at,
            source=r.choice([Demande.Source.FORMULAIRE] * 8 + [Demande.Source.API, Demande.Source.PARTENAIRE]),
            fiche_id=fiche_id,
            thematique_id=thematique_id,
            demandeur_nom=nom.upper(),
            demandeur_prenom=prenom,
            demandeur_fonction=r.choice(FONCTIONS_DEMANDEUR),
            demandeur_email=f"{prenom.lower()}.{nom.lower()}.{n}@{DOMAINE_COURRIEL}",
            demandeur_telephone=f"05 61 {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}",
            type_collectivite=type_collectivite,
            collectivite_id=collectivite_id,
            lieu_id=r.choice(self.communes_ids) if self.communes_ids and r.random() < 0.3 else None,
            message=f"Bonjour, notre collectivité souhaite être accompagnée pour son projet de {r.choice(SUJETS)}. "
            f"Pouvez-vous nous recontacter ? Merci.",
            statut=statut,
            direction_id=direction_id,
            chef_de_file_id=chef,
            expert_referent_id=expert,
            echeance_premier_contact=(created_at + timedelta(days=delai)).date(),
            premier_contact_le=contact,
            cloturee_le=cloture,
            motif="Projet abandonné par la commune."
            if statut == Demande.Statut.ABANDONNE
            else ("Pas d'expert compétent." if statut == Demande.Statut.REJETE else ""),
            jeton_suivi=secrets.token_urlsafe(32),
            consentement=True,
        )
        demande._history_date = created_at
        demande._expert = expert or chef
        if direction_id and r.random() < 0.1:
            demande._associee = r.choice(self.directions).pk
        return demande

    def _journal(self, demande):
        if not demande._expert:
            return []
        r = _rng(self.echelle.graine, "journal", demande.numero)
        nombre = (
            r.randint(1, 6) if demande.statut in (Demande.Statut.EN_COURS, Demande.Statut.TERMINE) else r.randint(0, 2)
        )
        structure_id = next((d.structure_id for d in self.directions if d.pk == demande.direction_id), None)
        entrees = []
        for k in range(nombre):
            quand = demande.created_at + timedelta(days=k * 7 + r.randint(1, 6), hours=r.randint(0, 8))
            if quand > self.now:
                break
            entree = EntreeJournal(
                demande_id=demande.pk,
                auteur_id=demande._expert,
                structure_auteur_id=structure_id,
                created_at=quand,
                type=r.choice(list(EntreeJournal.Type.values)),
                message=f"Échange avec la collectivité (étape {k + 1}) : points à traiter et prochaines actions.",
            )
            entree._history_date = quand
            entrees.append(entree)
        return entrees


def _statut(r, age, libre):
    S = Demande.Statut
    if age < 30:
        choix = [
            (S.ATTRIBUE_ADMIN if libre else S.ATTRIBUE_CHEF_DE_FILE, 40),
            (S.RECEPTIONNE_CHEF_DE_FILE, 15),
            (S.ATTRIBUE_EXPERT, 15),
            (S.RECEPTIONNE_EXPERT, 5),
            (S.EN_COURS, 15),
            (S.RECEPTIONNE_ADMIN, 10),
        ]
    elif age < 180:
        choix = [(S.EN_COURS, 50), (S.TERMINE, 30), (S.ATTRIBUE_EXPERT, 10), (S.ABANDONNE, 5), (S.REJETE, 5)]
    else:
        choix = [(S.TERMINE, 80), (S.ABANDONNE, 10), (S.REJETE, 5), (S.EN_COURS, 5)]
    statuts, poids = zip(*choix)
    statut = r.choices(statuts, poids)[0]
    if statut == S.RECEPTIONNE_ADMIN and not libre:
        statut = S.ATTRIBUE_CHEF_DE_FILE
    return statut


def _supprimer_lignes_liees(ids):
    """Rows that other apps attach to a demande (outbox, idempotency…), when those models exist."""
    for related in Demande._meta.related_objects:
        model = related.related_model
        if model in (EntreeJournal, Demande.directions_associees.through, Demande.experts_associes.through):
            continue
        if model._meta.app_label != "intake" or getattr(model, "_meta").auto_created:
            continue
        field = related.field
        if isinstance(field, models.ForeignKey):
            model.objects.filter(**{f"{field.name}__in": ids})._raw_delete(model.objects.db)


def _avancer_compteur(dernier):
    """The intake's numéro counter (CompteurNumero, pk 1, when present) continues after the generated numéros."""
    try:
        Compteur = apps.get_model("intake", "CompteurNumero")
    except LookupError:
        return
    compteur, _ = Compteur.objects.get_or_create(pk=1, defaults={"dernier": dernier})
    if compteur.dernier < dernier:
        Compteur.objects.filter(pk=1).update(dernier=dernier)


def creer_session(username):
    """A signed-in session for a generated account (the benchmark's back-office requests)."""
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
