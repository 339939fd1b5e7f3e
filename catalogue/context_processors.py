from django.conf import settings


def plateforme(request):
    """The platform's identity (name, logo, colours, contact) for every template."""
    return {"plateforme": settings.PLATEFORME}
