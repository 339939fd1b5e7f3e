"""The e-mails of a filing: the accusé de réception to the demandeur (its signed PDF letter is
rendered by the sender, intake.notifications.pdf) and the new-demande notice to the directions."""

from django.conf import settings
from django.utils import timezone

from intake.deadlines import delai_jours
from intake.liens import lien_back_office, lien_suivi
from intake.models import Notification
from intake.notifications import outbox
from intake.notifications.destinataires import destinataires_nouvelle_demande


def _contexte_depot(demande):
    return {
        "demande": demande,
        "plateforme": settings.PLATEFORME,
        "lien_suivi": lien_suivi(demande),
        "lien_back_office": lien_back_office(),
        "date_depot": timezone.localtime(demande.created_at),
        "delai_jours": delai_jours(demande.fiche.nature if demande.fiche_id else None),
        "unite_delai": "jours ouvrés" if settings.INTAKE_ECHEANCE_JOURS_OUVRES else "jours",
        # The files sent with the filing (not those of the journal), named in the recap.
        "pieces_jointes": list(demande.pieces_jointes.filter(entree__isnull=True)),
    }


def envoyer_accuse_reception(demande, contexte=None):
    """The accusé de réception (recap of what was sent, signed PDF added by the sender) to the
    demandeur's address; also sent again when a correction changes that address."""
    if not demande.demandeur_email:
        return None
    texte, html = outbox.rendre("intake/emails/accuse_reception", contexte or _contexte_depot(demande))
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
    texte, html = outbox.rendre("intake/emails/nouvelle_demande", contexte)
    outbox.enqueue(
        to=destinataires_nouvelle_demande(demande),
        subject=f"Nouvelle demande n°{demande.numero} — {demande.collectivite.nom}",
        body=texte,
        html=html,
        demande=demande,
        kind=Notification.Kind.NOUVELLE_DEMANDE,
    )
