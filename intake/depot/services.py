"""Use cases of the intake that touch several models. `deposer_demande` is the ONE filing
function: the public form, the JSON API and the partners' back-office form all call it."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from catalogue import roles
from catalogue.models import Membre
from intake.deadlines import calculer_echeance
from intake.models import CleIdempotence, CompteurNumero, Demande, PieceJointe
from intake.notifications.depot import notifier_depot

logger = logging.getLogger(__name__)


def _prochain_numero():
    """Next numéro, under a row lock held until the filing commits: unique under concurrency,
    never below INTAKE_NUMERO_DEPART (to continue the numbering of a previous tool)."""
    compteur = CompteurNumero.objects.select_for_update().filter(pk=1).first()
    if compteur is None:
        try:
            with transaction.atomic():
                compteur = CompteurNumero.objects.create(pk=1, dernier=0)
        except IntegrityError:
            # Another filing created it first: wait for its lock.
            compteur = CompteurNumero.objects.select_for_update().get(pk=1)
    plus_grand = Demande.objects.aggregate(plus_grand=Max("numero"))["plus_grand"] or 0
    depart = settings.INTAKE_NUMERO_DEPART
    compteur.dernier = max(compteur.dernier, plus_grand, depart - 1) + 1
    compteur.save(update_fields=["dernier"])
    return compteur.dernier


def _demande_existante(idempotency_key):
    if not idempotency_key:
        return None
    cle = CleIdempotence.objects.select_related("demande").filter(cle=idempotency_key).first()
    return cle.demande if cle else None


def deposer_demande(
    *,
    source,
    demandeur_nom,
    demandeur_prenom,
    demandeur_email,
    demandeur_telephone,
    collectivite,
    type_collectivite,
    message,
    consentement,
    demandeur_fonction="",
    demandeur_civilite="",
    fiche=None,
    thematique=None,
    lieu=None,
    lieu_precision="",
    pieces_jointes=(),
    direction=None,
    par=None,
    par_est_referent=False,
    idempotency_key=None,
) -> Demande:
    """File a demande: numéro, routing (cas 1 fiche / demande libre, cas 2 direction),
    échéance, tracking token, history and outbox rows, all in one transaction.
    Cas 2: the partner `par` who records it keeps access to it — its référent when
    `par_est_referent` (Attribué expert(s)), else an associated expert unless chef de file.
    The same idempotency_key returns the demande already filed instead of a second one."""
    existante = _demande_existante(idempotency_key)
    if existante is not None:
        return existante
    try:
        with transaction.atomic():
            demande = _deposer(
                source=source,
                demandeur_nom=demandeur_nom,
                demandeur_prenom=demandeur_prenom,
                demandeur_fonction=demandeur_fonction,
                demandeur_civilite=demandeur_civilite or "",
                demandeur_email=demandeur_email,
                demandeur_telephone=demandeur_telephone,
                collectivite=collectivite,
                type_collectivite=type_collectivite,
                message=message,
                consentement=consentement,
                fiche=fiche,
                thematique=thematique,
                lieu=lieu,
                lieu_precision=lieu_precision,
                pieces_jointes=pieces_jointes,
                direction=direction,
                par=par,
                par_est_referent=par_est_referent,
            )
            if idempotency_key:
                with transaction.atomic():
                    CleIdempotence.objects.create(cle=idempotency_key, demande=demande)
    except IntegrityError:
        # The same key was filed concurrently and committed first: return that demande.
        existante = _demande_existante(idempotency_key)
        if existante is None:
            raise
        return existante
    return demande


def _deposer(*, fiche, thematique, direction, par, par_est_referent, pieces_jointes, source, **champs):
    if fiche is not None:
        thematique = fiche.thematique or thematique
    if direction is not None:
        statut, chef_direction = Demande.Statut.ATTRIBUE_CHEF_DE_FILE, direction
    elif fiche is not None and fiche.chef_de_file_id:
        statut, chef_direction = Demande.Statut.ATTRIBUE_CHEF_DE_FILE, fiche.chef_de_file
    else:
        statut, chef_direction = Demande.Statut.ATTRIBUE_ADMIN, None
    # Cas 2: the partner who received the request directly is its référent unless he declines.
    deposant_referent = (
        par_est_referent
        and par is not None
        and direction is not None
        and Membre.objects.filter(user=par, direction=direction).exists()
    )
    if deposant_referent:
        statut = Demande.Statut.ATTRIBUE_EXPERT
    maintenant = timezone.now()
    demande = Demande(
        numero=_prochain_numero(),
        created_at=maintenant,
        source=source,
        fiche=fiche,
        thematique=thematique,
        statut=statut,
        direction=chef_direction,
        echeance_premier_contact=calculer_echeance(timezone.localdate(maintenant), fiche.nature if fiche else None),
        **champs,
    )
    if chef_direction is not None and par is not None and roles.is_chef_de_file(par, chef_direction):
        demande.chef_de_file = par
    if deposant_referent:
        demande.expert_referent = par
    demande._change_reason = _motif_historique(source, fiche, chef_direction, par, deposant_referent)
    if par is not None:
        demande._history_user = par
    demande.save()
    demande._cree_maintenant = True
    if (
        direction is not None
        and par is not None
        and not deposant_referent
        and not roles.is_chef_de_file(par, direction)
    ):
        # Cas 2: the expert who received the request keeps access to it while the chef de file
        # designates the référent.
        demande.experts_associes.add(par)
    for fichier in pieces_jointes:
        PieceJointe.enregistrer(fichier, demande=demande)
    notifier_depot(demande)
    # One line per filing, with the numéro and no personal data (structured logs).
    logger.info(
        "evenement=depot numero=%s source=%s statut=%s direction=%s fiche=%s pieces=%s",
        demande.numero,
        source,
        statut,
        chef_direction.pk if chef_direction else "-",
        fiche.pk if fiche else "-",
        len(pieces_jointes),
    )
    return demande


def _motif_historique(source, fiche, direction, par, deposant_referent=False):
    if source == Demande.Source.PARTENAIRE:
        referent = " ; il en est l'expert référent" if deposant_referent else ""
        auteur = (par.get_full_name() or par.get_username()) if par else "un partenaire"
        return f"Demande transmise par un partenaire ({auteur}), attribuée à {direction}{referent}."
    origine = "l'API" if source == Demande.Source.API else "le formulaire du site"
    if direction is not None:
        return f"Demande déposée par {origine} pour la fiche « {fiche.title} », attribuée à {direction}."
    return f"Demande libre déposée par {origine}, attribuée à l'administrateur plateforme."
