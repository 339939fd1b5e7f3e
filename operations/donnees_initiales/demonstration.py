"""About sixty demo demandes so that `make run` shows a lived-in back office (never in production).

Spread over statuses, directions, collectivités and dates (some overdue), with journal entries
and history rows carrying reasons. Numbers are fixed, so running it again creates nothing."""

import datetime
import random

from django.utils import timezone

from catalogue import roles
from catalogue.enums import TypeCollectivite
from catalogue.models import Direction, FichePage, Membre
from intake.deadlines import calculer_echeance
from intake.models import Collectivite, Demande, EntreeJournal

S = Demande.Statut
NOMBRE = 60
PREMIER_NUMERO = 1

STATUTS = (
    [S.ATTRIBUE_ADMIN] * 5
    + [S.RECEPTIONNE_ADMIN] * 3
    + [S.ATTRIBUE_CHEF_DE_FILE] * 8
    + [S.RECEPTIONNE_CHEF_DE_FILE] * 5
    + [S.ATTRIBUE_EXPERT] * 7
    + [S.RECEPTIONNE_EXPERT] * 5
    + [S.EN_COURS] * 12
    + [S.TERMINE] * 10
    + [S.REJETE] * 2
    + [S.ABANDONNE] * 3
)
AVEC_EXPERT = {S.ATTRIBUE_EXPERT, S.RECEPTIONNE_EXPERT, S.EN_COURS, S.TERMINE, S.ABANDONNE}
PRENOMS = ["Sophie", "Jean", "Marie", "Pierre", "Nathalie", "Alain", "Isabelle", "Bernard", "Claire", "Thierry"]
NOMS = ["Martin", "Bernard", "Dubois", "Fabre", "Garcia", "Roux", "Lafont", "Castex", "Sabatier", "Puig"]
FONCTIONS = ["Maire", "Adjoint au maire", "Secrétaire de mairie", "Directrice générale des services", "Président"]
MESSAGES = [
    "Nous souhaitons réviser notre plan local d'urbanisme et avons besoin d'un appui pour le cahier des charges.",
    "La commune envisage la rénovation énergétique de l'école : quelles aides et quel accompagnement ?",
    "Question juridique sur un marché public de travaux de voirie : le titulaire ne respecte pas les délais.",
    "Projet d'aménagement du cœur de village : place, stationnement et cheminements piétons.",
    "Nous voulons créer une maison de santé pluriprofessionnelle et cherchons un appui à la programmation.",
    "Assistance pour la reprise d'une concession funéraire abandonnée et la procédure à suivre.",
    "Étude de faisabilité d'une chaufferie bois pour les bâtiments communaux.",
    "Conseil architectural pour la réhabilitation de l'ancien presbytère en logements.",
]
JOURNAL = [
    (EntreeJournal.Type.APPEL, "Appel au demandeur : besoin précisé, rendez-vous proposé."),
    (EntreeJournal.Type.VISITE, "Visite sur site avec le maire et la secrétaire de mairie."),
    (EntreeJournal.Type.COURRIEL, "Envoi des premiers éléments de réponse et de la liste des pièces à fournir."),
    (EntreeJournal.Type.REUNION, "Réunion de cadrage avec les élus."),
    (EntreeJournal.Type.LIVRABLE, "Note d'opportunité transmise à la commune."),
    (EntreeJournal.Type.MISE_EN_RELATION, "Mise en relation avec le CAUE pour le volet architectural."),
]


def _membres(direction, role):
    return [m.user for m in Membre.objects.filter(direction=direction, role=role).select_related("user")]


def _sauver(demande, *, quand, par, raison):
    demande._history_date = quand
    demande._history_user = par
    demande._change_reason = raison
    demande.save()


def load_demo_demandes():
    """Create the demo demandes that do not exist yet; returns how many were created."""
    communes = list(Collectivite.objects.communes().order_by("code")[:400])
    directions = list(
        Direction.objects.actives().filter(membres__role=Membre.Role.CHEF_DE_FILE).distinct().order_by("pk")
    )
    if not communes or not directions:
        return 0
    toutes = list(Direction.objects.actives().order_by("pk"))
    fiches = list(FichePage.objects.live().filter(chef_de_file__isnull=False, chef_de_file__active=True))
    admin = next(iter(roles.administrateurs()), None)
    rng = random.Random(31)
    now = timezone.now()
    today = timezone.localdate()
    created = 0
    for index in range(NOMBRE):
        numero = PREMIER_NUMERO + index
        statut = STATUTS[index % len(STATUTS)]
        # Draw every random value even when the demande exists, so the sequence stays stable.
        commune = rng.choice(communes)
        jours = rng.randint(0, 25) if statut not in (S.TERMINE, S.ABANDONNE) else rng.randint(30, 320)
        fiche = (
            rng.choice(fiches)
            if fiches and statut not in (S.ATTRIBUE_ADMIN, S.RECEPTIONNE_ADMIN) and rng.random() < 0.8
            else None
        )
        # Demandes at an expert's stage go to directions with members; the others anywhere.
        direction = fiche.chef_de_file if fiche else rng.choice(directions if statut in AVEC_EXPERT else toutes)
        prenom, nom, fonction = rng.choice(PRENOMS), rng.choice(NOMS), rng.choice(FONCTIONS)
        message = rng.choice(MESSAGES)
        contact_delai = rng.randint(1, 14)
        nb_entrees = rng.randint(1, 3)
        if Demande.objects.filter(numero=numero).exists():
            continue
        created_at = now - datetime.timedelta(days=jours, hours=rng.randint(0, 8))
        libre = statut in (S.ATTRIBUE_ADMIN, S.RECEPTIONNE_ADMIN)
        demande = Demande(
            numero=numero,
            created_at=created_at,
            fiche=fiche,
            thematique=fiche.thematique if fiche else None,
            demandeur_nom=nom,
            demandeur_prenom=prenom,
            demandeur_fonction=fonction,
            demandeur_email=f"{prenom}.{nom}.{numero}@mairie.demo.plateforme.local".lower(),
            demandeur_telephone=f"05 61 {numero % 100:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            type_collectivite=TypeCollectivite.COMMUNE,
            collectivite=commune,
            lieu=commune,
            message=message,
            statut=S.ATTRIBUE_ADMIN if libre or statut == S.REJETE else S.ATTRIBUE_CHEF_DE_FILE,
            direction=None if libre else direction,
            echeance_premier_contact=calculer_echeance(timezone.localdate(created_at), fiche.nature if fiche else None),
            consentement=True,
        )
        _sauver(demande, quand=created_at, par=None, raison="Dépôt de la demande (données de démonstration)")
        created += 1
        if demande.statut == statut:
            continue
        chefs = _membres(direction, Membre.Role.CHEF_DE_FILE)
        experts = _membres(direction, Membre.Role.EXPERT) or chefs
        chef = chefs[0] if chefs else admin
        quand = min(now, created_at + datetime.timedelta(days=1))
        if statut in AVEC_EXPERT and experts:
            demande.chef_de_file = chef
            demande.expert_referent = experts[numero % len(experts)]
            demande.statut = S.ATTRIBUE_EXPERT
            _sauver(demande, quand=quand, par=chef, raison="Affectation des experts")
        referent = demande.expert_referent or chef
        contact = timezone.localdate(created_at) + datetime.timedelta(days=contact_delai)
        if statut in (S.EN_COURS, S.TERMINE, S.RECEPTIONNE_EXPERT) and contact <= today:
            demande.premier_contact_le = contact
        if statut in (S.TERMINE, S.ABANDONNE):
            demande.cloturee_le = created_at + datetime.timedelta(days=jours // 2 or 1)
        if statut in (S.REJETE, S.ABANDONNE):
            demande.motif = (
                "La collectivité a renoncé au projet." if statut == S.ABANDONNE else "Aucun partenaire compétent."
            )
        demande.statut = statut
        raison = demande.motif or f"Statut : {S(statut).label}"
        # History and journal dates stay in the past and after the first contact they mention.
        quand = min(now, max(quand + datetime.timedelta(days=1), created_at + datetime.timedelta(days=contact_delai)))
        _sauver(demande, quand=quand, par=referent if statut != S.REJETE else chef, raison=raison)
        if statut in AVEC_EXPERT and demande.expert_referent:
            for offset, (type_entree, texte) in enumerate(JOURNAL[numero % 3 : numero % 3 + nb_entrees]):
                EntreeJournal.objects.create(
                    demande=demande,
                    auteur=demande.expert_referent,
                    type=type_entree,
                    message=texte,
                    structure_auteur=direction.structure,
                    created_at=min(now, quand + datetime.timedelta(hours=offset + 1)),
                )
    return created
