from django import forms
from django.db import models

from catalogue.enums import TypeCollectivite


class TypesCollectiviteField(models.JSONField):
    """A list of TypeCollectivite codes, edited as checkboxes.

    Stored as JSON so that it works the same on SQLite and PostgreSQL; the
    catalogue is small (a few hundred fiches), so filters match on the JSON text.
    """

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=TypeCollectivite.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )
