from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reseau.acces import EspaceReseauMixin


class ReseauView(EspaceReseauMixin, WagtailAdminTemplateMixin, View):
    """A page of the network's space inside the Wagtail admin."""

    header_icon = "group"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]
