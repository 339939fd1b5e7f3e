"""Generation of the anonymous page cache (the middleware lives in config/cache.py).

Emptying never calls clear(): on Redis that flushes the whole database, rate-limit counters
and sessions of other aliases included. Page keys carry a generation instead; a publication
writes a new generation and the old entries, never read again, expire on their own.
Here rather than in config so that the apps whose content changes can empty it without
importing the project configuration.
"""

import uuid

from django.conf import settings
from django.core.cache import caches

# Read and written with a fixed version so that it never depends on itself.
CLE_GENERATION = "pages:generation"


def generation_pages():
    """The current generation of the page cache, shared by every worker and host.

    A random token rather than a counter: should the entry be evicted, the next one is new
    too, so entries of an older generation can never come back to life.
    """
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    valeur = cache.get(CLE_GENERATION, version=0)
    if valeur is None:
        cache.add(CLE_GENERATION, uuid.uuid4().hex, timeout=None, version=0)
        valeur = cache.get(CLE_GENERATION, version=0)
    return valeur


def vider_cache_pages(**kwargs):
    """Empty the page cache: every worker and host shares the generation, so one call is
    enough, and nothing else stored in the same Redis database is touched."""
    caches[settings.CACHE_MIDDLEWARE_ALIAS].set(CLE_GENERATION, uuid.uuid4().hex, timeout=None, version=0)
