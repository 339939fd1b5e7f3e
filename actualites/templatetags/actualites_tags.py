from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def reglage_plateforme(cle):
    """A value of settings.PLATEFORME, for templates rendered without context (the 500 page)."""
    return settings.PLATEFORME.get(cle, "")
