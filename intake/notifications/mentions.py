"""Who hears of a new journal entry.

- `@identifiant` (a user's login, e.g. `@expert.caue`) in an entry mentions that member of the
  network (an active user with a `Membre` row, or an administrator): one email each, with the
  link to the demande. Unknown names, inactive users and users outside the network are ignored
  (and the author is told which names matched nobody).
- The expert référent and the chefs de file of the demande (its chef de file direction's chefs
  de file and the chef de file who took it) are told of every entry, unless they wrote it.
- Nobody gets two emails for one entry: a mention replaces the general notice.

The emails carry the numéro, the author's name and the link only: the entry's text may hold
the demandeur's personal data, and only people allowed to open the demande may read it.
Written to the outbox in the caller's transaction (intake.notifications.outbox.enqueue)."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from catalogue import roles
from catalogue.models import Membre
from catalogue.roles import nom_utilisateur
from intake import permissions
from intake.liens import lien_detail
from intake.notifications import outbox

# `@` not preceded by a word character (so an email address is not a mention), then a login:
# letters, digits and . + - _ (Django's username characters, `@` excepted).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")
MENTIONS_MAX = 20  # a pasted list of addresses must not send a hundred emails


def identifiants_mentionnes(message):
    """The logins written as `@identifiant` in `message`, in order, without duplicates; the
    punctuation that ends a sentence ("merci @expert.caue.") is not part of the login."""
    vus = []
    for brut in MENTION.findall(message or ""):
        identifiant = brut.rstrip(".-+")
        if identifiant and identifiant.lower() not in [v.lower() for v in vus]:
            vus.append(identifiant)
    return vus[:MENTIONS_MAX]


def est_du_reseau(user):
    """May be mentioned: an active back-office user who handles demandes."""
    return roles.is_membre(user) or roles.is_administrateur(user)


def membres_mentionnes(message):
    """(users of the network mentioned in `message`, logins that matched nobody of it)."""
    identifiants = identifiants_mentionnes(message)
    if not identifiants:
        return [], []
    condition = Q()
    for identifiant in identifiants:
        condition |= Q(username__iexact=identifiant)
    trouves = {u.username.lower(): u for u in get_user_model().objects.filter(condition, is_active=True)}
    membres, inconnus = [], []
    for identifiant in identifiants:
        user = trouves.get(identifiant.lower())
        if user is not None and est_du_reseau(user):
            membres.append(user)
        else:
            inconnus.append(identifiant)
    return membres, inconnus


def suiveurs(demande):
    """Told of every journal entry: the expert référent and the chefs de file of the demande."""
    personnes = {}
    if demande.expert_referent_id:
        personnes[demande.expert_referent_id] = demande.expert_referent
    if demande.chef_de_file_id:
        personnes[demande.chef_de_file_id] = demande.chef_de_file
    if demande.direction_id:
        chefs = (
            get_user_model()
            .objects.filter(membres__direction_id=demande.direction_id, membres__role=Membre.Role.CHEF_DE_FILE)
            .distinct()
        )
        for user in chefs:
            personnes[user.pk] = user
    return [u for u in personnes.values() if u.is_active and u.email]


def intervenants(demande):
    """The people at work on the demande, offered as `@identifiant` in the journal form."""
    personnes = {u.pk: u for u in suiveurs(demande)}
    for user in demande.experts_associes.all():
        if user.is_active:
            personnes.setdefault(user.pk, user)
    return sorted(personnes.values(), key=lambda u: u.get_username())


@dataclass
class Avis:
    """What the author is told after writing: who was told, who has no access yet, unknown names."""

    mentionnes: list = field(default_factory=list)
    sans_acces: list = field(default_factory=list)
    inconnus: list = field(default_factory=list)
    suiveurs: list = field(default_factory=list)


def _corps(gabarit, contexte):
    return outbox.rendre(gabarit, {"plateforme": settings.PLATEFORME, **contexte})[0]


def aviser_entree_journal(entree):
    """Queue the emails of a new journal entry (mentions first, then the référent and chefs de
    file); returns an `Avis` for the author's confirmation message."""
    demande, auteur = entree.demande, entree.auteur
    avis = Avis()
    mentionnes, avis.inconnus = membres_mentionnes(entree.message)
    adresses_servies = {getattr(auteur, "email", None)}
    contexte = {"demande": demande, "lien": lien_detail(demande), "auteur": nom_utilisateur(auteur), "entree": entree}
    for user in mentionnes:
        if user.pk == getattr(auteur, "pk", None) or not user.email or user.email in adresses_servies:
            continue
        a_acces = permissions.peut_voir_detail(user, demande)
        outbox.enqueue(
            to=[user.email],
            subject=f"{contexte['auteur']} vous mentionne — demande n°{demande.numero}",
            body=_corps("intake/emails/mention_journal", {**contexte, "a_acces": a_acces}),
            demande=demande,
            kind="mention_journal",
        )
        adresses_servies.add(user.email)
        avis.mentionnes.append(user)
        if not a_acces:
            avis.sans_acces.append(user)
    destinataires = [
        u for u in suiveurs(demande) if u.pk != getattr(auteur, "pk", None) and u.email not in adresses_servies
    ]
    if destinataires:
        outbox.enqueue(
            to=sorted({u.email for u in destinataires}),
            subject=f"Nouvelle entrée au journal de la demande n°{demande.numero}",
            body=_corps("intake/emails/entree_journal", contexte),
            demande=demande,
            kind="entree_journal",
        )
        avis.suiveurs = destinataires
    return avis
