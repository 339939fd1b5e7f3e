"""Deadlines at work: reminders the day before the deadline, overdue
reminders to the référent and chef de file, escalation to the administrators, weekly digest.
Each reminder is recorded in `Relance` under a unique key before it is queued, in the same
transaction, so that running the command twice sends nothing twice."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from catalogue import roles
from catalogue.models import Membre
from intake import outbox
from intake.models import Demande, Relance


def envoyer_courriel(*, to, subject, body, demande=None, kind=""):
    """Queue an email through intake's outbox."""
    outbox.enqueue(to=to, subject=subject, body=body, demande=demande, kind=kind)


def lien(demande):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("intake_demande_modeladmin_inspect", args=[demande.pk])


def chefs_de_file(demande):
    if demande.chef_de_file_id and demande.chef_de_file.is_active and demande.chef_de_file.email:
        return [demande.chef_de_file]
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True, membres__direction_id=demande.direction_id, membres__role=Membre.Role.CHEF_DE_FILE
        )
        .exclude(email="")
        .distinct()
    )


def responsables(demande):
    """Who must act now: the référent and the chef de file, or the administrators."""
    if demande.statut in Demande.STATUTS_ADMIN or not demande.direction_id:
        return roles.administrateurs()
    users = chefs_de_file(demande)
    referent = demande.expert_referent
    if referent is not None and referent.is_active and referent.email and referent not in users:
        users.insert(0, referent)
    return users


def _envoyer_une_fois(cle, type, demande, destinataires, subject, body):
    if not destinataires:
        return False
    adresses = sorted({user.email for user in destinataires})
    try:
        with transaction.atomic():
            Relance.objects.create(cle=cle, type=type, demande=demande, destinataires=", ".join(adresses))
            envoyer_courriel(to=adresses, subject=subject, body=body, demande=demande, kind=f"relance_{type}")
    except IntegrityError:
        return False  # already sent by an earlier (or concurrent) run
    return True


def _corps(demande, phrase):
    return (
        f"Bonjour,\n\n{phrase}\n\n"
        f"Demande n°{demande.numero} — {demande.collectivite.nom}\n"
        f"Statut : {demande.get_statut_display()}\n"
        f"Échéance de premier contact : {demande.echeance_premier_contact:%d/%m/%Y}\n\n"
        f"Ouvrir la demande : {lien(demande)}\n\n"
        f"{settings.PLATEFORME['NOM']}\n"
    )


def relancer(today=None):
    """Send the reminders due today; returns how many were sent, by type."""
    today = today or timezone.localdate()
    delai = datetime.timedelta(days=settings.DEMANDES_DELAI_ESCALADE_JOURS)
    bilan = {Relance.Type.VEILLE: 0, Relance.Type.RETARD: 0, Relance.Type.ESCALADE: 0}
    base = (
        Demande.objects.ouvertes()
        .filter(premier_contact_le__isnull=True)
        .select_related("collectivite", "chef_de_file", "expert_referent")
    )
    for demande in base.filter(echeance_premier_contact=today + datetime.timedelta(days=1)):
        bilan[Relance.Type.VEILLE] += _envoyer_une_fois(
            f"veille:{demande.pk}:{demande.echeance_premier_contact}",
            Relance.Type.VEILLE,
            demande,
            responsables(demande),
            f"Demande n°{demande.numero} : premier contact attendu demain",
            _corps(demande, "Le premier contact avec la collectivité est attendu au plus tard demain."),
        )
    for demande in base.filter(pk__in=Demande.objects.en_retard(today).values("pk")):
        bilan[Relance.Type.RETARD] += _envoyer_une_fois(
            f"retard:{demande.pk}:{demande.echeance_premier_contact}",
            Relance.Type.RETARD,
            demande,
            responsables(demande),
            f"Demande n°{demande.numero} en retard",
            _corps(
                demande,
                "L'échéance de premier contact est dépassée : contactez la collectivité et "
                "enregistrez le premier contact dans la demande.",
            ),
        )
        if demande.echeance_premier_contact + delai <= today:
            bilan[Relance.Type.ESCALADE] += _envoyer_une_fois(
                f"escalade:{demande.pk}:{demande.echeance_premier_contact}",
                Relance.Type.ESCALADE,
                demande,
                roles.administrateurs(),
                f"Escalade : demande n°{demande.numero} toujours sans premier contact",
                _corps(demande, f"Cette demande est en retard de plus de {delai.days} jours malgré la relance."),
            )
    return bilan


def demandes_du_recapitulatif(user):
    ouvertes = Demande.objects.ouvertes().select_related("collectivite").order_by("echeance_premier_contact")
    if roles.is_administrateur(user):
        # `ouvertes` already keeps the open ones: overdue is then `critere_retard` on the same rows.
        return ouvertes.filter(Q(statut__in=Demande.STATUTS_ADMIN) | Q(**Demande.critere_retard()))
    return ouvertes.suivies_par(user)


def envoyer_recapitulatifs(today=None):
    """A weekly digest to each back-office user of their open demandes (once per ISO week)."""
    today = today or timezone.localdate()
    annee, semaine, _ = today.isocalendar()
    User = get_user_model()
    envoyes = 0
    candidats = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(membres__isnull=False) | Q(groups__name=roles.GROUPE_ADMINISTRATEURS))
        .distinct()
    )
    for user in candidats:
        demandes = list(demandes_du_recapitulatif(user))
        if not demandes:
            continue
        lignes = [
            f"- n°{d.numero} — {d.collectivite.nom} — {d.get_statut_display()} — échéance {d.echeance_premier_contact:%d/%m/%Y}"
            + (" (EN RETARD)" if d.est_en_retard else "")
            + f"\n  {lien(d)}"
            for d in demandes
        ]
        body = (
            f"Bonjour {user.get_full_name() or user.get_username()},\n\n"
            f"Voici vos {len(demandes)} demande(s) en cours sur la plateforme :\n\n"
            + "\n".join(lignes)
            + f"\n\n{settings.PLATEFORME['NOM']}\n"
        )
        try:
            with transaction.atomic():
                Relance.objects.create(
                    cle=f"recapitulatif:{user.pk}:{annee}-{semaine:02d}",
                    type=Relance.Type.RECAPITULATIF,
                    destinataire=user,
                    destinataires=user.email,
                )
                envoyer_courriel(
                    to=[user.email],
                    subject=f"Vos demandes en cours — semaine {semaine}",
                    body=body,
                    kind="recapitulatif",
                )
        except IntegrityError:
            continue
        envoyes += 1
    return envoyes
