"""Who may see a demande's personal data (DESIGN.md §3, Visibility). One function, used by
every view that shows the demandeur, the message, the attachments or the journal."""

from catalogue import roles


def peut_voir_detail(user, demande) -> bool:
    """Administrators; chefs de file of the chef de file direction or of an associated
    direction; the expert référent; the associated experts. Nobody else."""
    if not roles.is_active(user):
        return False
    if roles.is_administrateur(user):
        return True
    if demande.expert_referent_id and demande.expert_referent_id == user.pk:
        return True
    directions_chef = roles.directions_chef_de_file_ids(user)
    if directions_chef:
        if demande.direction_id in directions_chef:
            return True
        if demande.directions_associees.filter(pk__in=directions_chef).exists():
            return True
    if roles.is_membre(user) and demande.experts_associes.filter(pk=user.pk).exists():
        return True
    return False
