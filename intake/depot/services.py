"""Use cases of the intake that touch several models. `deposer_demande` is the ONE filing
function: the public form, the JSON API and the partners' back-office form all call it."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from catalogue import roles
from catalogue.models import Direction, Membre
from intake.deadlines import calculer_echeance, delai_jours
from intake.models import CleIdempotence, CompteurNumero, Demande, Notification, PieceJointe
from intake.notifications import outbox

logger = logging.getLogger(__name__)


def lien_suivi(demande):
    """Absolute private tracking link (emails are read outside the site)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("intake_suivi", args=[demande.jeton_suivi])


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
    depart = getattr(settings, "INTAKE_NUMERO_DEPART", 1)
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
        fichier.seek(0)
        PieceJointe.objects.create(
            demande=demande,
            fichier=fichier,
            nom_original=fichier.name[:255],
            type_mime=getattr(fichier, "type_detecte", "") or fichier.content_type or "application/octet-stream",
            taille=fichier.size,
        )
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


def adresses_direction(direction):
    """A direction's active chefs de file and its notification address, sorted, without duplicates."""
    adresses = list(
        Membre.objects.filter(direction=direction, role=Membre.Role.CHEF_DE_FILE, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if direction.email_notification:
        adresses.append(direction.email_notification)
    return sorted(set(adresses))


def directions_a_prevenir(demande):
    """The chef de file direction, then its fiche's active co-chefs de file directions (the
    guide: co-chefs de file lead together, each is told of a new demande)."""
    if not demande.direction_id:
        return []
    directions = [demande.direction]
    if demande.fiche_id:
        co_chefs = Direction.objects.filter(fiches_co_pilotees=demande.fiche_id, active=True).exclude(
            pk=demande.direction_id
        )
        directions += list(co_chefs.order_by("pk"))
    return directions


def destinataires_nouvelle_demande(demande):
    """The chefs de file and notification addresses of the chef de file direction and of the
    fiche's co-chefs de file directions; else the administrators."""
    adresses = set()
    for direction in directions_a_prevenir(demande):
        adresses.update(adresses_direction(direction))
    if adresses:
        return sorted(adresses)
    return roles.adresses_administrateurs() or [settings.PLATEFORME["COURRIEL"]]


def _rendre(nom, contexte):
    return (
        render_to_string(f"intake/emails/{nom}.txt", contexte).strip() + "\n",
        render_to_string(f"intake/emails/{nom}.html", contexte),
    )


def _contexte_depot(demande):
    return {
        "demande": demande,
        "plateforme": settings.PLATEFORME,
        "lien_suivi": lien_suivi(demande),
        "lien_back_office": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/",
        "date_depot": timezone.localtime(demande.created_at),
        "delai_jours": delai_jours(demande.fiche.nature if demande.fiche_id else None),
        "unite_delai": "jours ouvrés" if getattr(settings, "INTAKE_ECHEANCE_JOURS_OUVRES", False) else "jours",
        # The files sent with the filing (not those of the journal), named in the recap.
        "pieces_jointes": list(demande.pieces_jointes.filter(entree__isnull=True)),
    }


def envoyer_accuse_reception(demande, contexte=None):
    """The accusé de réception (recap of what was sent, signed PDF added by the sender) to the
    demandeur's address; also sent again when a correction changes that address."""
    if not demande.demandeur_email:
        return None
    texte, html = _rendre("accuse_reception", contexte or _contexte_depot(demande))
    return outbox.enqueue(
        to=[demande.demandeur_email],
        subject=f"Accusé de réception de votre demande n°{demande.numero}",
        body=texte,
        html=html,
        demande=demande,
        kind=Notification.Kind.ACCUSE_RECEPTION,
    )


def notifier_depot(demande):
    """The accusé de réception to the demandeur and the new-demande notice (outbox rows)."""
    contexte = _contexte_depot(demande)
    envoyer_accuse_reception(demande, contexte)
    texte, html = _rendre("nouvelle_demande", contexte)
    outbox.enqueue(
        to=destinataires_nouvelle_demande(demande),
        subject=f"Nouvelle demande n°{demande.numero} — {demande.collectivite.nom}",
        body=texte,
        html=html,
        demande=demande,
        kind=Notification.Kind.NOUVELLE_DEMANDE,
    )
