from wagtail.signals import page_published

from actualites.cache_pages import dependances_editoriales
from actualites.models import RessourcePage
from catalogue.cache_pages import enregistrer_dependances


def appliquer_reservation_ressource(sender, instance, **kwargs):
    instance.appliquer_reservation()


def register_signal_handlers():
    enregistrer_dependances(dependances_editoriales)

    page_published.connect(appliquer_reservation_ressource, sender=RessourcePage, dispatch_uid="actualites_reservation")
