"""Wagtail admin hooks of the editorial site: the "Aide" menu with the user guides."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from actualites import aide


@hooks.register("register_admin_urls")
def register_aide_urls():
    return [
        path("aide/captures/<str:nom>", aide.capture_admin, name="actualites_aide_capture"),
        path("aide/<slug:slug>/", aide.GuideAdminView.as_view(), name="actualites_aide_guide"),
    ]


@hooks.register("register_admin_menu_item")
def register_aide_menu():
    items = [
        MenuItem(titre, reverse("actualites_aide_guide", args=[slug]), name=f"aide-{slug}", icon_name="doc-full",
                 order=100 * (rang + 1))
        for rang, (slug, (titre, _public)) in enumerate(aide.GUIDES.items())
    ]
    return SubmenuMenuItem("Aide", Menu(items=items), name="aide", icon_name="help", order=10000)
