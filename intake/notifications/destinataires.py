"""Who is told: the recipients of every e-mail about a demande, in one place."""

from django.conf import settings
from django.contrib.auth import get_user_model

from catalogue import roles
from catalogue.models import Direction, Membre
from intake.models import Demande


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


def destinataires_message_collectivite(demande):
    """Who reads the commune's messages: the expert référent, else the chefs de file of the
    direction (and its notification address), else the administrators."""
    referent = demande.expert_referent
    if referent is not None and referent.is_active and referent.email:
        return [referent.email]
    if demande.direction_id:
        adresses = adresses_direction(demande.direction)
        if adresses:
            return adresses
    return roles.adresses_administrateurs() or [settings.PLATEFORME["COURRIEL"]]
