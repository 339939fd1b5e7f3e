"""Page URLs for long lists read as plain values (the catalogue's few hundred fiches).

`{% pageurl page %}` needs a Wagtail page instance, and building one per fiche cost more than
the rest of the catalogue page. `urls_des_pages` gives the same URL from the page's url_path
alone: Wagtail's own computation (Page.get_url) for each parent folder, then the slug appended,
which is what Wagtail's reverse of `wagtail_serve` gives for a plain slug.
"""

import re

from django.conf import settings
from wagtail.models import Page

# A slug that reverse() leaves as it is (no percent-encoding); unicode slugs take Wagtail's path.
_SLUG_SIMPLE = re.compile(r"[A-Za-z0-9_-]+")


class _Chemin:
    """Just what Wagtail's URL methods read from a page: its url_path."""

    _get_site_root_paths = Page._get_site_root_paths
    _get_relevant_site_root_paths = Page._get_relevant_site_root_paths
    get_url_parts = Page.get_url_parts
    get_url = Page.get_url

    def __init__(self, url_path, racines=None):
        self.url_path = url_path
        if racines is not None:
            # Where Page._get_site_root_paths looks first when no request is given.
            self._wagtail_cached_site_root_paths = racines


def racines_des_sites(request=None):
    """Site.get_site_root_paths(), kept on the request as Wagtail keeps it (one cache read)."""
    return _Chemin("/")._get_site_root_paths(request)


def url_de_page(url_path, request=None, racines=None):
    """What page.get_url(request) (the `pageurl` tag) gives for the page at this url_path."""
    return _Chemin(url_path, racines).get_url(request)


def urls_des_pages(url_paths, request=None):
    """{url_path: URL} as `{% pageurl %}` writes it, for many pages, in a handful of reverse() calls."""
    # Site roots cached on the request, as Wagtail does: one cache read per request.
    racines = racines_des_sites(request)

    def url(chemin):
        return url_de_page(chemin, request, racines)

    rapide = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
    parents = {}
    urls = {}
    for url_path in url_paths:
        if url_path in urls:
            continue
        parent, _, slug = url_path.rstrip("/").rpartition("/")
        parent += "/"
        if not (rapide and slug and _SLUG_SIMPLE.fullmatch(slug)):
            urls[url_path] = url(url_path)
            continue
        # The parent's URL serves only if the page belongs to the same sites as its parent (a
        # page may be the root of another site).
        sites = tuple(r for r in racines if url_path.startswith(r.root_path))
        if parent not in parents:
            parents[parent] = (
                tuple(r for r in racines if parent.startswith(r.root_path)),
                url(parent),
            )
        sites_parent, url_parent = parents[parent]
        if sites == sites_parent and url_parent and url_parent.endswith("/"):
            urls[url_path] = f"{url_parent}{slug}/"
        else:
            urls[url_path] = url(url_path)
    return urls
