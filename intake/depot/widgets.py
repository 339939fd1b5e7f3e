"""Choice widgets built in Python with Django's markup, and an iterator of choices read with
values_list. Django renders one template per option: the filing form's lists of 600
collectivités and the back office's lists of experts (about a thousand at the scale of
`make bench`) spent most of their response time there."""

from html import escape as _escape_html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class IterateurLeger(ModelChoiceIterator):
    """(value, label) pairs from `queryset.values_list(*field.colonnes)`: no model instance per
    option. The first column is the value (pk or to_field_name); `field.libelle_ligne(*row)`
    gives the label, as label_from_instance would."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for ligne in self.lignes():
            yield (ligne[0], self.field.libelle_ligne(*ligne))

    def lignes(self):
        return self.queryset.values_list(*self.field.colonnes)


def echapper(texte):
    """Django's `escape` (the same five characters) without its lazy-string wrapper and its
    SafeString: these loops escape thousands of labels per page."""
    return _escape_html(str(texte))


def _choisies(widget, value):
    return {str(v) for v in widget.format_value(value)}


class SelectRapide(forms.Select):
    """<select> with flat options (no <optgroup>), each written with one f-string."""

    def render(self, name, value, attrs=None, renderer=None):
        attributs = self.build_attrs(self.attrs, attrs)
        attributs["name"] = name
        choisies = _choisies(self, value)
        options = []
        for v, libelle in self.choices:
            v = str(v)
            choisie = " selected" if v in choisies else ""
            options.append(f'<option value="{echapper(v)}"{choisie}>{echapper(libelle)}</option>')
        return format_html("<select{}>{}</select>", flatatt(attributs), mark_safe("".join(options)))  # noqa: S308


class CasesRapides(forms.CheckboxSelectMultiple):
    """Checkboxes, each in its <label>, as Django's CheckboxSelectMultiple writes them."""

    def render(self, name, value, attrs=None, renderer=None):
        attributs = self.build_attrs(self.attrs, attrs)
        racine = attributs.get("id", "")
        choisies = _choisies(self, value)
        nom = echapper(name)
        cases = []
        for i, (v, libelle) in enumerate(self.choices):
            v = str(v)
            ident = f"{echapper(racine)}_{i}" if racine else ""
            attr_for = f' for="{ident}"' if ident else ""
            attr_id = f' id="{ident}"' if ident else ""
            coche = " checked" if v in choisies else ""
            cases.append(
                f'<div><label{attr_for}><input type="checkbox" name="{nom}" value="{echapper(v)}"{attr_id}{coche}>'
                f" {echapper(libelle)}</label></div>"
            )
        conteneur = {"id": racine} if racine else {}
        if attributs.get("class"):
            conteneur["class"] = attributs["class"]
        return format_html("<div{}>{}</div>", flatatt(conteneur), mark_safe("".join(cases)))  # noqa: S308 - escaped above


class CasesGroupees(CasesRapides):
    """Checkboxes in one <fieldset> per group, choices given as Django's optgroups
    `(légende, [(valeur, libellé), …])`, under a search field that filtre_cases.js shows and uses
    to hide the options that do not match: without JavaScript the field stays hidden and every
    option shows. Built in Python like CasesRapides (hundreds of experts)."""

    def __init__(self, attrs=None, choices=(), libelle_filtre="Filtrer la liste"):
        super().__init__(attrs, choices)
        self.libelle_filtre = libelle_filtre

    def render(self, name, value, attrs=None, renderer=None):
        attributs = self.build_attrs(self.attrs, attrs)
        racine = echapper(attributs.get("id", "") or f"id_{name}")
        choisies = _choisies(self, value)
        nom = echapper(name)
        groupes, i = [], 0
        for legende, options in self.choices:
            if not isinstance(options, (list, tuple)):
                legende, options = "", [(legende, options)]
            cases = []
            for v, libelle in options:
                v = str(v)
                coche = " checked" if v in choisies else ""
                cases.append(
                    f'<div><label for="{racine}_{i}"><input type="checkbox" name="{nom}" value="{echapper(v)}"'
                    f' id="{racine}_{i}"{coche}> {echapper(libelle)}</label></div>'
                )
                i += 1
            titre = f"<legend>{echapper(legende)}</legend>" if legende else ""
            groupes.append(f'<fieldset class="cases-groupe">{titre}{"".join(cases)}</fieldset>')
        filtre = (
            f'<p class="cases-filtre" hidden><label for="{racine}_filtre">{echapper(self.libelle_filtre)}</label>'
            f' <input type="search" id="{racine}_filtre" data-filtre-cases="{racine}" autocomplete="off"'
            f' aria-controls="{racine}"></p>'
        )
        classes = " ".join(filter(None, ["cases-groupees", attributs.get("class", "")]))
        return format_html(
            '{}<div id="{}" class="{}">{}</div>',
            mark_safe(filtre),
            racine,
            classes,  # noqa: S308 - escaped above
            mark_safe("".join(groupes)),  # noqa: S308 - escaped above
        )
