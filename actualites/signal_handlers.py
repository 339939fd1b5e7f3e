from wagtail.signals import page_published


def appliquer_reservation_ressource(sender, instance, **kwargs):
    instance.appliquer_reservation()


def register_signal_handlers():
    from actualites.models import RessourcePage

    page_published.connect(appliquer_reservation_ressource, sender=RessourcePage, dispatch_uid="actualites_reservation")
