"""What an anonymous visitor may see of the pages: Wagtail's view restrictions read once.

`queryset.public()` reads every view restriction each time it is called; a page that shows
several lists of pages (the home page, the catalogue) reads them once with `pages_privees()` and
filters each list with `publiques(queryset, prive)`, which writes the same SQL as `.public()`.
"""

from wagtail.models import Page


def pages_privees():
    """Wagtail's condition for the pages of a private section (PageQuerySet.private_q)."""
    return Page.objects.all().private_q()


def publiques(queryset, prive=None):
    """queryset.public(), with the private sections already read (pages_privees) if given."""
    return queryset.public() if prive is None else queryset.exclude(prive)
