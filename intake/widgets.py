"""Choice widgets built in Python with Django's markup, and an iterator of choices read with
values_list. Django renders one template per option: the filing form's lists of 600
collectivités and the back office's lists of experts (about a thousand at the scale of
`make bench`) spent most of their response time there."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")


class IterateurLeger(ModelChoiceIterator):
    """(value, label) pairs from `queryset.values_list(*field.colonnes)`: no model instance per
    option. The first column is the value (pk or to_field_name); `field.libelle_ligne(*row)`
    gives the label, as label_from_instance would."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for ligne in self.queryset.values_list(*self.field.colonnes):
            yield (ligne[0], self.field.libelle_ligne(*ligne))


def _choisies(widget, value):
    return {str(v) for v in widget.format_value(value)}


class SelectRapide(forms.Select):
    """<select> with flat options (no <optgroup>)."""

    def render(self, name, value, attrs=None, renderer=None):
        attributs = self.build_attrs(self.attrs, attrs)
        attributs["name"] = name
        choisies = _choisies(self, value)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((str(v), SELECTED if str(v) in choisies else "", libelle) for v, libelle in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(attributs), options)


class CasesRapides(forms.CheckboxSelectMultiple):
    """Checkboxes, each in its <label>, as Django's CheckboxSelectMultiple writes them."""

    def render(self, name, value, attrs=None, renderer=None):
        attributs = self.build_attrs(self.attrs, attrs)
        racine = attributs.get("id", "")
        choisies = _choisies(self, value)
        nom = escape(name)
        cases = []
        for i, (v, libelle) in enumerate(self.choices):
            v = str(v)
            ident = f"{escape(racine)}_{i}" if racine else ""
            attr_for = f' for="{ident}"' if ident else ""
            attr_id = f' id="{ident}"' if ident else ""
            coche = " checked" if v in choisies else ""
            cases.append(
                f'<div><label{attr_for}><input type="checkbox" name="{nom}" value="{escape(v)}"{attr_id}{coche}>'
                f" {escape(libelle)}</label></div>"
            )
        conteneur = {"id": racine} if racine else {}
        if attributs.get("class"):
            conteneur["class"] = attributs["class"]
        return format_html("<div{}>{}</div>", flatatt(conteneur), mark_safe("".join(cases)))  # noqa: S308 - escaped above
