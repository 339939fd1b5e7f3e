"""RSS and Atom feeds of the actualités (Django syndication)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from actualites.models import ActualiteIndexPage, ActualitePage


class ActualitesFeed(Feed):
    title = f"Actualités — {settings.PLATEFORME['NOM']}"
    description = "Les dernières actualités de la plateforme d'appui aux territoires."
    language = "fr"

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        index = ActualiteIndexPage.objects.live().first()
        return index.url if index else "/actualites/"

    def items(self):
        return (
            ActualitePage.objects.live()
            .public()
            .prefetch_related("thematiques")
            .order_by("-date_publication", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.chapo

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date_publication, datetime.time(8, 0)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [thematique.nom for thematique in item.thematiques.all()]


class ActualitesAtomFeed(ActualitesFeed):
    feed_type = Atom1Feed
    subtitle = ActualitesFeed.description
