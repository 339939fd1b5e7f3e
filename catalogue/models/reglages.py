"""Catalogue settings editable in the admin (Paramètres → Catalogue)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


def _annee_courante():
    return timezone.localdate().year


@register_setting(icon="date")
class ReglagesCatalogue(BaseGenericSetting):
    """The millésime en cours: the year of the guide the fiches are reviewed for."""

    millesime = models.PositiveSmallIntegerField(
        "millésime en cours",
        default=_annee_courante,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="Année du guide en préparation : les fiches validées pour une année antérieure sont « à revoir ».",
    )

    panels = [FieldPanel("millesime")]

    class Meta:
        verbose_name = "réglages du catalogue"

    @classmethod
    def millesime_en_cours(cls):
        return cls.load().millesime
