"""Emails of the back office's hand-overs (DESIGN.md §3 Circuits): the chef de file direction
is told when the administrator routes a demande to it, and people are told when a chef de
file designates them as référent or associates them or their direction. Written to the
outbox in the caller's transaction; the person who acted gets no copy of their own act.
No personal data of the demandeur in the email: the link opens the detail for those allowed."""

from django.conf import settings
from django.template.loader import render_to_string

from intake import outbox
from intake.backoffice.historique import nom_utilisateur
from intake.backoffice.relances import lien
from intake.services import adresses_direction, destinataires_nouvelle_demande


def _envoyer(demande, par, adresses, kind, sujet, contexte):
    adresses = sorted({a for a in adresses if a and a != getattr(par, "email", None)})
    if not adresses:
        return None
    body = render_to_string(
        "intake/emails/passage_de_main.txt",
        {"demande": demande, "lien": lien(demande), "plateforme": settings.PLATEFORME, "par": nom_utilisateur(par), **contexte},
    ).strip() + "\n"
    return outbox.enqueue(to=adresses, subject=sujet, body=body, demande=demande, kind=kind)


def aviser_orientation(demande, par):
    """The administrator routed the demande: its chef de file direction is told, as for a new one."""
    return _envoyer(
        demande, par, destinataires_nouvelle_demande(demande), "orientation",
        f"Demande n°{demande.numero} orientée vers {demande.direction}",
        {"motif": "orientation", "direction": demande.direction},
    )


def aviser_designation(demande, par, *, referent=None, experts=(), directions=()):
    """Those newly designated by the chef de file: the référent, associated experts, and the
    chefs de file of associated directions (each gets one email saying why)."""
    envoyes = []
    if referent is not None and referent.is_active:
        envoyes.append(_envoyer(
            demande, par, [referent.email], "designation_referent",
            f"Vous êtes expert référent de la demande n°{demande.numero}", {"motif": "referent"},
        ))
    actifs = [u.email for u in experts if u.is_active]
    if actifs:
        envoyes.append(_envoyer(
            demande, par, actifs, "designation_expert",
            f"Vous êtes associé(e) à la demande n°{demande.numero}", {"motif": "expert"},
        ))
    for direction in directions:
        envoyes.append(_envoyer(
            demande, par, adresses_direction(direction), "designation_direction",
            f"Votre direction est associée à la demande n°{demande.numero}", {"motif": "direction", "direction": direction},
        ))
    return [n for n in envoyes if n is not None]
