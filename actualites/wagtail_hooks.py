"""Wagtail admin hooks of the editorial site: the user guides in the admin's "Aide" menu.

Wagtail already has a help submenu labelled "Aide" (name "help"): the four guides go there, first,
rather than in a second menu of the same name. Wagtail's "What's new in Wagtail" item (release
notes for developers, with a "new" badge) is removed; its editor guide and shortcuts stay."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from actualites import aide


@hooks.register("register_admin_urls")
def register_aide_urls():
    return [
        path("aide/captures/<path:nom>", aide.capture_admin, name="actualites_aide_capture"),
        path("aide/<slug:slug>/", aide.GuideAdminView.as_view(), name="actualites_aide_guide"),
    ]


def _guide_menu_item(rang, slug, titre):
    def register():
        return MenuItem(
            titre,
            reverse("actualites_aide_guide", args=[slug]),
            name=f"aide-{slug}",
            icon_name="doc-full",
            order=10 + rang,
        )

    return register


for _rang, (_slug, (_titre, _public)) in enumerate(aide.GUIDES.items()):
    hooks.register("register_help_menu_item", _guide_menu_item(_rang, _slug, _titre))


@hooks.register("construct_help_menu")
def remove_whats_new_in_wagtail(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new-in-wagtail")]
