"""Who may enter the network's space: network members (a `Membre` row) and administrators.
Éditeurs and partner contributors without a Membre row get neither menu nor pages."""

from django.http import HttpResponseForbidden

from catalogue import roles


def refus(message="Cet espace est réservé aux membres du réseau."):
    # A plain 403: Wagtail would turn a PermissionDenied into a redirect to the dashboard.
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


def peut_acceder(user):
    return roles.is_membre(user) or roles.is_administrateur(user)


def peut_moderer(user):
    """Validate documents, close threads, hide messages, manage folders."""
    return roles.is_administrateur(user)


class EspaceReseauMixin:
    """Wagtail already sends anonymous visitors to the login page (register_admin_urls);
    this refuses signed-in users who are not part of the network."""

    def dispatch(self, request, *args, **kwargs):
        if not peut_acceder(request.user):
            return refus()
        return super().dispatch(request, *args, **kwargs)


class ModerationMixin:
    def dispatch(self, request, *args, **kwargs):
        if not peut_moderer(request.user):
            return refus("Action réservée aux administrateurs de la plateforme.")
        return super().dispatch(request, *args, **kwargs)
