"""Who may do what in the steering tools. One place, asked by views, menus and templates;
it relies on catalogue.roles (never is_superuser)."""

from catalogue import roles
from pilotage.models import Instance


def peut_gerer(user):
    """Plan d'actions, instances, conventions, bilans: administrators manage everything."""
    return roles.is_administrateur(user)


def peut_voir_tableau_de_bord(user):
    """The plan d'actions dashboard: administrators and every network member."""
    return roles.is_administrateur(user) or roles.is_membre(user)


def peut_voir_conventions(user):
    """The partners' conventions list (who signed, until when): administrators and members."""
    return roles.is_administrateur(user) or roles.is_membre(user)


def peut_rediger_bilan(user):
    """The text parts of the bilan annuel: administrators and éditeurs."""
    return roles.is_administrateur(user) or roles.is_editeur(user)


def peut_publier_bilan(user):
    return roles.is_administrateur(user)


def peut_voir_instance(user, instance):
    """An instance's meetings, comptes rendus and decisions: administrators and its members."""
    if roles.is_administrateur(user):
        return True
    return roles.is_active(user) and instance.membres.filter(pk=user.pk).exists()


def peut_voir_instances(user):
    """The « Instances » page: administrators and whoever sits in an instance."""
    if roles.is_administrateur(user):
        return True
    if not roles.is_active(user):
        return False
    return roles.memoriser(user, "voir_instances", Instance.objects.filter(membres=user).exists)
