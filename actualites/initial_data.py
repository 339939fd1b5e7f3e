from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from actualites.models import HomePage


@transaction.atomic
def load_site():
    """The home page at the root of the default Site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Accueil",
            slug="accueil",
            introduction=(
                "<p>La plateforme d'appui aux territoires réunit l'ingénierie du Département et de ses "
                "partenaires au service des communes et des intercommunalités.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page = "localhost", 80, home
    site.site_name = settings.PLATEFORME["NOM"]
    site.save()
    # Wagtail's welcome page, if still there, is no longer reachable: remove it.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    return home
