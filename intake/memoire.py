"""Rows read once per process while what they come from does not change.

The back office's forms list every collectivité (600 in a département) and every expert (a
thousand at the scale of `make bench`) at each display. A `Memoire` keeps those rows per
process under a version that lives in the shared cache: every save or deletion of a model they
come from renews it (signals connected in IntakeConfig.ready), so every worker reads the rows
again at its next display. One cache read instead of reading and labelling the rows."""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

from catalogue.cache_pages import apres_commit

logger = logging.getLogger(__name__)


class Memoire:
    def __init__(self, nom):
        self.cle = f"intake:memoire:{nom}"
        self._version = None
        self._lignes = {}

    def version(self):
        """The current version, shared by every process (the default cache)."""
        courante = cache.get(self.cle)
        if courante is None:
            cache.add(self.cle, uuid.uuid4().hex, None)
            courante = cache.get(self.cle)
        return courante

    def renouveler(self, **kwargs):
        """Something the rows come from was saved or deleted: every process reads them again.
        Written now and again once the transaction commits: a process that read the rows in
        between keeps them under a version nobody reads any more."""
        apres_commit(self._ecrire)

    def _ecrire(self):
        # In a savepoint: a cache that cannot be written (its table not created yet, Redis
        # down) never makes the save of a user or a collectivité fail, nor its transaction.
        try:
            with transaction.atomic():
                cache.set(self.cle, uuid.uuid4().hex, None)
        except Exception:
            logger.warning("Version %s non renouvelée : le cache ne répond pas.", self.cle, exc_info=True)

    def lignes(self, queryset, colonnes):
        """`queryset.values_list(*colonnes)` as a list, read once per process and version."""
        courante = self.version()
        if self._version != courante:
            self._version, self._lignes = courante, {}
        cle = (str(queryset.query), tuple(colonnes))
        if cle not in self._lignes:
            self._lignes[cle] = list(queryset.values_list(*colonnes))
        return self._lignes[cle]


# The collectivités of the referential (filing forms, correction of a demande).
COLLECTIVITES = Memoire("collectivites")
# The network's members (référent and associated experts of the affectation form).
MEMBRES = Memoire("membres")
MEMOIRES = (COLLECTIVITES, MEMBRES)
