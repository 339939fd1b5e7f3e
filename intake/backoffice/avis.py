"""Emails of the back office's hand-overs (DESIGN.md §3 Circuits): the chef de file direction
is told when the administrator routes a demande to it, and people are told when a chef de
file designates them as référent or associates them or their direction. Written to the
outbox in the caller's transaction; the person who acted gets no copy of their own act.
No personal data of the demandeur in the email: the link opens the detail for those allowed."""

from django.conf import settings
from django.template.loader import render_to_string

from catalogue.models import Membre
from intake import outbox
from intake.backoffice.relances import lien


def _envoyer(demande, par, adresses, kind, sujet, contexte):
    adresses = sorted({a for a in adresses if a and a != getattr(par, "email", None)})
    if not adresses:
        return None
    body = render_to_string(
        "intake/emails/passage_de_main.txt",
        {"demande": demande, "lien": lien(demande), "plateforme": settings.PLATEFORME, "par": _nom(par), **contexte},
    ).strip() + "\n"
    return outbox.enqueue(to=adresses, subject=sujet, body=body, demande=demande, kind=kind)


def _nom(user):
    return (user.get_full_name() or user.get_username()) if user else "la plateforme"


def aviser_orientation(demande, par):
    """The administrator routed the demande: its chef de file direction is told, as for a new one."""
    from intake.services import destinataires_nouvelle_demande

    return _envoyer(
        demande, par, destinataires_nouvelle_demande(demande), "orientation",
        f"Demande n°{demande.numero} orientée vers {demande.direction}",
        {"motif": "orientation", "direction": demande.direction},
    )


def _chefs_de_file(directions):
    return Membre.objects.filter(
        direction__in=directions, role=Membre.Role.CHEF_DE_FILE, user__is_active=True
    ).exclude(user__email="").values_list("user__email", flat=True)


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
            demande, par, list(_chefs_de_file([direction])) + [direction.email_notification], "designation_direction",
            f"Votre direction est associée à la demande n°{demande.numero}", {"motif": "direction", "direction": direction},
        ))
    return [n for n in envoyes if n is not None]
