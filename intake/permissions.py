"""Who may see the detail of a demande and who may act on it.

Every entry point (back office, exports, attachments, commands) asks this module; it asks
`catalogue.roles` who is who. The list of demandes itself holds no personal data and is
open to every back-office user (`roles.is_back_office_user`).
"""

from django.apps import apps
from django.db.models import BooleanField, F, Func, Q, Subquery

from catalogue import roles
from catalogue.models import Direction, FichePage


def peut_voir_liste(user):
    return roles.is_back_office_user(user)


def _ids_experts_associes(demande):
    # Uses the prefetched relation when the caller prefetched it (lists, exports).
    return {user.pk for user in demande.experts_associes.all()}


def _ids_directions_associees(demande):
    return {direction.pk for direction in demande.directions_associees.all()}


def est_chef_de_file_de(user, demande):
    """Chef de file of the demande's chef de file direction, or of one of its fiche's co-chefs
    de file directions (guide: co-chefs de file lead together; any of them designates the
    référent). Its SQL twin is in `filtre_detail`."""
    if demande.direction_id is None:
        return False
    return roles.is_chef_de_file(user, demande.direction_id) or est_co_chef_de_file(user, demande)


def est_co_chef_de_file(user, demande):
    """Chef de file of a co-chef de file direction of the demande's fiche (a routed demande)."""
    return (
        demande.direction_id is not None
        and demande.fiche_id is not None
        and demande.fiche_id in roles.fiches_co_pilotees_ids(user)
    )


def est_chef_de_file_associe(user, demande):
    return bool(roles.directions_chef_de_file_ids(user) & _ids_directions_associees(demande))


def est_referent(user, demande):
    return roles.is_active(user) and demande.expert_referent_id is not None and demande.expert_referent_id == user.pk


def est_expert_associe(user, demande):
    return roles.is_active(user) and user.pk in _ids_experts_associes(demande)


def peut_voir_detail(user, demande):
    """The demandeur's identity, message, attachments and journal: administrators, the chefs
    de file of the chef de file direction and of the associated directions, the expert
    référent and the associated experts."""
    if not roles.is_active(user):
        return False
    return (
        roles.is_administrateur(user)
        or est_chef_de_file_de(user, demande)
        or est_referent(user, demande)
        or est_chef_de_file_associe(user, demande)
        or est_expert_associe(user, demande)
    )


def peut_corriger(user, demande):
    """May correct the demande's data (demandeur's contact, collectivité, fiche) with a reason:
    the administrators and the chefs de file of the demande (its chef de file direction and the
    fiche's co-chefs de file), not the experts nor the chefs de file of associated directions."""
    if not roles.is_active(user):
        return False
    return roles.is_administrateur(user) or est_chef_de_file_de(user, demande)


def peut_deposer_pour_partenaire(user):
    """May record a demande received directly (guide, cas 2): a member of an active direction,
    to which the demande is routed. Administrators without a direction have nowhere to route it."""
    ids = roles.directions_ids(user)
    if not ids:
        return False
    return roles.memoriser(user, "deposer_pour_partenaire", Direction.objects.filter(pk__in=ids, active=True).exists)


def peut_agir(user, demande):
    """May write in the journal and record the first contact: whoever handles the demande."""
    return peut_voir_detail(user, demande)


class Parmi(Func):
    """`champ` among the values of a one-column subquery, as a condition that keeps an OR of
    indexed conditions index-friendly. PostgreSQL evaluates `champ = ANY(ARRAY(SELECT …))` once
    (an InitPlan) and combines it with the other branches of the OR into a BitmapOr over the
    demandes' indexes; `champ IN (SELECT …)`, EXISTS or a join inside an OR make it read every
    demande (a join also needs a DISTINCT). Other databases get `champ IN (SELECT …)`."""

    output_field = BooleanField()

    def __init__(self, champ, sous_requete):
        super().__init__(F(champ), Subquery(sous_requete))

    def _compiler(self, compiler, connection):
        champ, sous_requete = self.get_source_expressions()
        sql_champ, params_champ = compiler.compile(champ)
        sql_sous_requete, params_sous_requete = compiler.compile(sous_requete)
        return sql_champ, sql_sous_requete, (*params_champ, *params_sous_requete)

    def as_sql(self, compiler, connection, **extra_context):
        champ, sous_requete, params = self._compiler(compiler, connection)
        return f"{champ} IN {sous_requete}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        champ, sous_requete, params = self._compiler(compiler, connection)
        return f"{champ} = ANY(ARRAY{sous_requete})", params


def _lien(champ):
    """The many-to-many table behind `Demande.<champ>`, from the app registry: the models ask this
    module their rules, so it reads their tables by name rather than importing them."""
    return apps.get_model("intake", f"Demande_{champ}")


def condition_chef_de_file(directions_ids):
    """Demandes of which these directions are chef de file: the demande's direction, or a
    co-chef de file direction of its fiche once the demande is routed (`est_chef_de_file_de`)."""
    if not directions_ids:
        return Q(pk__in=[])
    co_pilotees = FichePage.co_chefs_de_file.through.objects.filter(direction_id__in=directions_ids)
    return Q(direction_id__in=directions_ids) | (
        Q(direction__isnull=False) & Q(Parmi("fiche_id", co_pilotees.values("fichepage_id")))
    )


def condition_directions_associees(directions_ids):
    """Demandes to which one of these directions is associated (`est_chef_de_file_associe`)."""
    if not directions_ids:
        return Q(pk__in=[])
    associees = _lien("directions_associees").objects.filter(direction_id__in=directions_ids)
    return Q(Parmi("pk", associees.values("demande_id")))


def condition_expert(user):
    """Demandes of which `user` is the référent or an associated expert (`est_referent`,
    `est_expert_associe`)."""
    if user.pk is None:
        return Q(pk__in=[])  # `expert_referent_id=None` would mean « without référent »
    associes = _lien("experts_associes").objects.filter(user_id=user.pk)
    return Q(expert_referent_id=user.pk) | Q(Parmi("pk", associes.values("demande_id")))


def filtre_detail(user):
    """The Q object matching the demandes `user` may see in detail (None: all of them): the
    SQL form of `peut_voir_detail`, clause for clause (tests compare the two). Every clause is
    a column of the demande or a `Parmi`: no join, no DISTINCT, an index per clause."""
    if roles.is_administrateur(user):
        return None
    if not roles.is_active(user):
        return Q(pk__in=[])
    chef_ids = roles.directions_chef_de_file_ids(user)
    condition = condition_expert(user)
    if chef_ids:
        condition |= condition_chef_de_file(chef_ids) | condition_directions_associees(chef_ids)
    return condition


def demandes_visibles_en_detail(user, queryset):
    """Restrict `queryset` to the demandes `user` may see in detail."""
    condition = filtre_detail(user)
    if condition is None:
        return queryset
    return queryset.filter(condition)


def ids_visibles_en_detail(user, queryset):
    """The pks of `queryset` that `user` may open, in one query (for the list and exports)."""
    return set(demandes_visibles_en_detail(user, queryset).values_list("pk", flat=True))


def peut_affecter(user, demande):
    """May designate the référent and associated experts (and invite a mentioned member): a chef
    de file of the demande or an administrator, once routed to a direction, while it is open."""
    return (
        bool(demande.roles_de(user) & {"chef", "admin"})
        and not demande.est_close
        and demande.statut not in demande.STATUTS_ADMIN
        and bool(demande.direction_id)
    )
