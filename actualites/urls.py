from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from actualites import aide, feeds, views

urlpatterns = [
    path("actualites/feed/", feeds.ActualitesFeed(), name="actualites_feed"),
    path("actualites/feed/atom/", feeds.ActualitesAtomFeed(), name="actualites_feed_atom"),
    path("agenda/agenda.ics", views.agenda_ical, name="agenda_ical"),
    path("agenda/evenement-<int:pk>.ics", views.evenement_ical, name="evenement_ical"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("aide/deposer-une-demande/", aide.guide_public, name="aide_deposer_une_demande"),
    path("aide/captures/<path:nom>", aide.capture_publique, name="aide_capture_publique"),
]
