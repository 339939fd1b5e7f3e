"""What an anonymous visitor may see of the pages: Wagtail's view restrictions, read from the
worker's copies (catalogue.cache_worker) instead of the database at each use.

`queryset.public()` reads every view restriction each time it is called; a page that shows
several lists of pages (the home page, the catalogue) filters each with
`publiques(queryset, prive)`, `prive` read once with `pages_privees()`: the same SQL as
`.public()`. Wagtail's check of the page served (its `on_serve_page` hook) asks the page for its
restrictions: RestrictionsEnMemoireMixin answers from the same copies.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from catalogue import cache_worker


def pages_privees():
    """Wagtail's condition for the pages of a private section (PageQuerySet.private_q)."""
    pages = Page.objects.all()
    condition = Q()
    for restriction in cache_worker.restrictions():
        condition |= pages.descendant_of_q(restriction.page, inclusive=True)
    # No private section: a condition that matches no page, as Wagtail's.
    return condition if condition else Q(pk__in=[])


def publiques(queryset, prive=None):
    """queryset.public(), with the private sections already read (pages_privees) if given."""
    return queryset.exclude(pages_privees() if prive is None else prive)


class RestrictionsEnMemoireMixin:
    """For every page model of the project: Page.get_view_restrictions() (the restrictions of the
    page and of its ancestors) found among the worker's copies, as a queryset of those (none:
    no query). Where a page of the tree is an alias, Wagtail's own reading (an alias has its
    source's restrictions)."""

    def get_view_restrictions(self):
        if cache_worker.des_alias():
            return super().get_view_restrictions()
        # A page's path starts with the path of each of its ancestors.
        ids = [
            restriction.pk for restriction in cache_worker.restrictions() if self.path.startswith(restriction.page.path)
        ]
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else PageViewRestriction.objects.none()
