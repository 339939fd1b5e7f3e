"""Absolute links written in e-mails and PDF letters, which are read outside the site.

One base for all of them, `WAGTAILADMIN_BASE_URL` (the public address of the platform)."""

from django.conf import settings
from django.urls import reverse


def absolu(chemin):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + chemin


def lien_suivi(demande):
    """The commune's private tracking page."""
    return absolu(reverse("intake_suivi", args=[demande.jeton_suivi]))


def lien_satisfaction(demande):
    """The satisfaction survey, reached with the same private token."""
    return absolu(reverse("intake_satisfaction", args=[demande.jeton_suivi]))


def lien_detail(demande):
    """The demande's detail in the back office (opens only for those allowed to see it)."""
    return absolu(reverse("intake_demande_modeladmin_inspect", args=[demande.pk]))


def lien_back_office():
    return absolu("/admin/")
