"""Emails of the back office's hand-overs: the chef de file direction
is told when the administrator routes a demande to it, and people are told when a chef de
file designates them as référent or associates them or their direction. Written to the
outbox in the caller's transaction; the person who acted gets no copy of their own act.
No personal data of the demandeur in the email: the link opens the detail for those allowed."""

from django.conf import settings

from catalogue import roles
from catalogue.models import Membre
from catalogue.roles import nom_utilisateur
from intake.liens import lien_detail, lien_satisfaction, lien_suivi
from intake.models import Notification, Satisfaction
from intake.notifications import outbox
from intake.notifications.destinataires import (
    adresses_direction,
    destinataires_message_collectivite,
    destinataires_nouvelle_demande,
)


def _envoyer(demande, par, adresses, kind, sujet, contexte):
    adresses = sorted({a for a in adresses if a and a != getattr(par, "email", None)})
    if not adresses:
        return None
    body, _ = outbox.rendre(
        "intake/emails/passage_de_main",
        {
            "demande": demande,
            "lien": lien_detail(demande),
            "plateforme": settings.PLATEFORME,
            "par": nom_utilisateur(par),
            **contexte,
        },
    )
    return outbox.enqueue(to=adresses, subject=sujet, body=body, demande=demande, kind=kind)


def aviser_orientation(demande, par):
    """The administrator routed the demande: its chef de file direction is told, as for a new one."""
    return _envoyer(
        demande,
        par,
        destinataires_nouvelle_demande(demande),
        "orientation",
        f"Demande n°{demande.numero} orientée vers {demande.direction}",
        {"motif": "orientation", "direction": demande.direction},
    )


def aviser_designation(demande, par, *, referent=None, experts=(), directions=()):
    """Those newly designated by the chef de file: the référent, associated experts, and the
    chefs de file of associated directions (each gets one email saying why)."""
    envoyes = []
    if referent is not None and referent.is_active:
        envoyes.append(
            _envoyer(
                demande,
                par,
                [referent.email],
                "designation_referent",
                f"Vous êtes expert référent de la demande n°{demande.numero}",
                {"motif": "referent"},
            )
        )
    actifs = [u.email for u in experts if u.is_active]
    if actifs:
        envoyes.append(
            _envoyer(
                demande,
                par,
                actifs,
                "designation_expert",
                f"Vous êtes associé(e) à la demande n°{demande.numero}",
                {"motif": "expert"},
            )
        )
    for direction in directions:
        envoyes.append(
            _envoyer(
                demande,
                par,
                adresses_direction(direction),
                "designation_direction",
                f"Votre direction est associée à la demande n°{demande.numero}",
                {"motif": "direction", "direction": direction},
            )
        )
    return [n for n in envoyes if n is not None]


# --- The commune is kept informed ------------------------------------------------
# One function per event that matters to the demandeur, called by the view (or service) that
# performs the action, inside its transaction: the models never import this module. The email
# holds the commune's own demande and the professional contacts of the experts only.


def contact_professionnel(user, direction_id=None):
    """An expert's professional contact as the commune may see it: name, structure, direction,
    fonction, professional e-mail and phone (from the Membre row, the direction's one first)."""
    if user is None:
        return None
    membres = sorted(
        Membre.objects.filter(user=user).select_related("direction__structure"),
        key=lambda m: (m.direction_id != direction_id, m.pk),
    )
    membre = membres[0] if membres else None
    return {
        "nom": nom_utilisateur(user),
        "structure": membre.direction.structure.nom if membre else "",
        "direction": membre.direction.nom if membre else "",
        "fonction": membre.fonction if membre else "",
        "courriel": user.email,
        "telephone": membre.telephone if membre else "",
    }


def _envoyer_demandeur(demande, kind, sujet, evenement, **contexte):
    if not demande.demandeur_email:  # anonymised: nobody left to tell
        return None
    body, _ = outbox.rendre(
        "intake/emails/avis_collectivite",
        {
            "demande": demande,
            "evenement": evenement,
            "lien_suivi": lien_suivi(demande),
            "plateforme": settings.PLATEFORME,
            "direction": demande.direction,
            **contexte,
        },
    )
    return outbox.enqueue(to=[demande.demandeur_email], subject=sujet, body=body, demande=demande, kind=kind)


def aviser_collectivite_orientation(demande, par, *, reorientation=False):
    """The administrator routed (or, after a rejet, redirected) the demande: who handles it now."""
    return _envoyer_demandeur(
        demande,
        "collectivite_orientation",
        f"Votre demande n°{demande.numero} est confiée à {demande.direction.structure.nom}",
        "orientation",
        reorientation=reorientation,
    )


def aviser_collectivite_referent(demande, par):
    """The chef de file designated the expert référent: its name and professional contact."""
    return _envoyer_demandeur(
        demande,
        "collectivite_referent",
        f"Votre demande n°{demande.numero} : un expert référent est désigné",
        "referent",
        referent=contact_professionnel(demande.expert_referent, demande.direction_id),
    )


def aviser_changement_statut(demande, par):
    """After a status change: the demandeur hears of a rejet, the end or the abandonment of its
    demande; a rejet also tells the administrators, who must answer and redirect it."""
    S = demande.Statut
    if demande.statut == S.REJETE:
        return [
            n
            for n in (
                _envoyer_demandeur(
                    demande, "collectivite_rejet", f"Votre demande n°{demande.numero} n'a pas pu être retenue", "rejet"
                ),
                _envoyer(
                    demande,
                    par,
                    roles.adresses_administrateurs(),
                    "rejet_administrateurs",
                    f"Demande n°{demande.numero} rejetée : à réorienter ou à clore",
                    {"motif": "rejet", "raison": demande.motif},
                ),
            )
            if n is not None
        ]
    sujets = {
        S.TERMINE: ("collectivite_termine", f"Votre demande n°{demande.numero} est terminée", "termine"),
        S.ABANDONNE: ("collectivite_abandon", f"Votre demande n°{demande.numero} est close (abandon)", "abandon"),
    }
    if demande.statut not in sujets:
        return []
    kind, sujet, evenement = sujets[demande.statut]
    contexte = {"lien_enquete": lien_enquete_a_envoyer(demande)} if demande.statut == S.TERMINE else {}
    notification = _envoyer_demandeur(demande, kind, sujet, evenement, **contexte)
    return [notification] if notification else []


def lien_enquete_a_envoyer(demande):
    """The satisfaction survey link for the end-of-accompaniment email, or "" once it was sent
    (one survey per demande, even when it is reopened and finished again) or answered. Read
    under the row lock of the status change, so two "Terminé" at once cannot both send it."""
    if Satisfaction.objects.filter(demande=demande).exists():
        return ""
    if Notification.objects.filter(demande=demande, kind="collectivite_termine").exists():
        return ""
    return lien_satisfaction(demande)


def aviser_message_collectivite(demande, entree):
    """The commune wrote from its tracking page: the référent (or chef de file) is told."""
    body, _ = outbox.rendre(
        "intake/emails/message_collectivite",
        {"demande": demande, "entree": entree, "lien": lien_detail(demande), "plateforme": settings.PLATEFORME},
    )
    return outbox.enqueue(
        to=destinataires_message_collectivite(demande),
        subject=f"Message de la collectivité — demande n°{demande.numero}",
        body=body,
        demande=demande,
        kind="message_collectivite",
    )


def aviser_message_a_la_collectivite(demande, entree):
    """An expert wrote to the commune from the journal: the message and the tracking link."""
    return _envoyer_demandeur(
        demande,
        "message_a_la_collectivite",
        f"Message au sujet de votre demande n°{demande.numero}",
        "message",
        entree=entree,
        auteur=contact_professionnel(entree.auteur, demande.direction_id),
    )
