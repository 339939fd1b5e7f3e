"""Who is who on the platform. Code asks this module, never `is_superuser` directly.

Administrators and éditeurs are Django groups; chef de file and expert come from
`Membre` rows; each partner structure has a "Partenaires <sigle>" group.
"""

from django.contrib.auth import get_user_model

from catalogue.models import Direction, FichePage, Membre, Structure

GROUPE_ADMINISTRATEURS = "Administrateurs plateforme"
GROUPE_EDITEURS = "Éditeurs"
# Every user with a Membre row is kept in this group: it grants access to the admin.
GROUPE_RESEAU = "Réseau des experts"


def _group_names(user):
    if not hasattr(user, "_roles_group_names"):
        user._roles_group_names = set(user.groups.values_list("name", flat=True)) if user.pk else set()
    return user._roles_group_names


def _membres(user):
    if not hasattr(user, "_roles_membres"):
        user._roles_membres = (
            list(Membre.objects.filter(user=user).values_list("direction_id", "role")) if user.pk else []
        )
    return user._roles_membres


def memoriser(user, cle, calcul):
    """`calcul()`, computed once per user object (so once per request) under `cle`: for the
    predicates the admin asks several times per page (its menu, then the page's buttons)."""
    memo = user.__dict__.setdefault("_roles_memo", {})
    if cle not in memo:
        memo[cle] = calcul()
    return memo[cle]


def forget(user):
    """Drop the per-request cache after the user's groups or memberships changed."""
    for attribute in ("_roles_group_names", "_roles_membres", "_roles_fiches_co_pilotees", "_roles_memo"):
        user.__dict__.pop(attribute, None)


def is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_administrateur(user):
    return is_active(user) and (user.is_superuser or GROUPE_ADMINISTRATEURS in _group_names(user))


def administrateurs():
    """The one list of platform administrators who can be written to: active members of the
    administrators' group with an e-mail address (never `is_superuser`)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=GROUPE_ADMINISTRATEURS)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def adresses_administrateurs():
    """The administrators' e-mail addresses, sorted, without duplicates."""
    return sorted({user.email for user in administrateurs()})


def is_editeur(user):
    return is_active(user) and GROUPE_EDITEURS in _group_names(user)


def is_membre(user):
    return is_active(user) and bool(_membres(user))


def is_back_office_user(user):
    """May see the list of demandes (it holds no personal data)."""
    return is_administrateur(user) or is_membre(user)


def directions_chef_de_file_ids(user):
    if not is_active(user):
        return set()
    return {direction_id for direction_id, role in _membres(user) if role == Membre.Role.CHEF_DE_FILE}


def directions_expert_ids(user):
    if not is_active(user):
        return set()
    return {direction_id for direction_id, role in _membres(user) if role == Membre.Role.EXPERT}


def directions_ids(user):
    return directions_chef_de_file_ids(user) | directions_expert_ids(user)


def fiches_co_pilotees_ids(user):
    """Fiches of which one of the user's chef de file directions is a co-chef de file (the
    guide's example: revitalisation centre-bourg, co-led by the CAUE and HGI). One query per
    request, however many demandes are checked."""
    if not hasattr(user, "_roles_fiches_co_pilotees"):
        chef_ids = directions_chef_de_file_ids(user)
        user._roles_fiches_co_pilotees = (
            set(
                FichePage.co_chefs_de_file.through.objects.filter(direction_id__in=chef_ids).values_list(
                    "fichepage_id", flat=True
                )
            )
            if chef_ids
            else set()
        )
    return user._roles_fiches_co_pilotees


def is_chef_de_file(user, direction=None):
    ids = directions_chef_de_file_ids(user)
    if direction is None:
        return bool(ids)
    return getattr(direction, "pk", direction) in ids


def is_expert(user, direction=None):
    ids = directions_expert_ids(user)
    if direction is None:
        return bool(ids)
    return getattr(direction, "pk", direction) in ids


def structures_ids(user):
    """Structures the user belongs to, through a Membre row or a partner group."""
    ids = set(Direction.objects.filter(pk__in=directions_ids(user)).values_list("structure_id", flat=True))
    partner_groups = [name for name in _group_names(user) if name.startswith("Partenaires ")] if is_active(user) else []
    if partner_groups:
        sigles = [name.removeprefix("Partenaires ") for name in partner_groups]
        ids |= set(Structure.objects.filter(sigle__in=sigles).values_list("pk", flat=True))
    return ids


def is_partenaire(user, structure=None):
    if not is_active(user):
        return False
    names = {name for name in _group_names(user) if name.startswith("Partenaires ")}
    if structure is None:
        return bool(names)
    return structure.nom_groupe_partenaires in names


def nom_utilisateur(user):
    """How a person is named in the back office, the journal and e-mails ("Système" for none)."""
    if user is None:
        return "Système"
    return user.get_full_name() or user.get_username()
