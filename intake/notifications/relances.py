"""Deadlines at work: reminders the day before the deadline, overdue
reminders to the référent and chef de file, escalation to the administrators, weekly digest.
Each reminder is recorded in `Relance` under a unique key before it is queued, in the same
transaction, so that running the command twice sends nothing twice."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from catalogue import roles
from intake.liens import lien_detail
from intake.models import Demande, Relance
from intake.notifications import outbox
from intake.notifications.destinataires import responsables


def envoyer_courriel(*, to, subject, body, demande=None, kind=""):
    """Queue an email through intake's outbox."""
    outbox.enqueue(to=to, subject=subject, body=body, demande=demande, kind=kind)


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
    texte, _ = outbox.rendre(
        "intake/emails/relance",
        {"demande": demande, "phrase": phrase, "lien": lien_detail(demande), "plateforme": settings.PLATEFORME},
    )
    return texte


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
        body, _ = outbox.rendre(
            "intake/emails/recapitulatif",
            {
                "nom": user.get_full_name() or user.get_username(),
                "lignes": [{"demande": d, "lien": lien_detail(d)} for d in demandes],
                "plateforme": settings.PLATEFORME,
            },
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
