"""The Python-built choice widgets write the markup Django's own widgets write (labels, ids,
selection, escaping), and the light iterator gives the labels label_from_instance would."""

import pytest
from django import forms
from django.test import SimpleTestCase

from intake.depot.widgets import CasesRapides, SelectRapide
from intake.suivi.forms import AffectationForm, OrientationForm
from tests.intake.backoffice_support import demande_hgi
from tests.intake.depot_helpers import catalogue, thematiques  # noqa: F401

CHOIX = [("", "— Choisissez —"), ("1", "Saint-Gaudens"), ("2", "<b>L'Isle</b> & Co"), ("3", "Muret")]


class MarkupDeDjango(SimpleTestCase):
    def test_select_matches_django_select(self):
        for valeur in ("2", "", None, "inconnue"):
            attrs = {"id": "id_lieu", "aria-describedby": "lieu-aide", "required": True}
            attendu = forms.Select(choices=CHOIX).render("lieu", valeur, attrs)
            self.assertHTMLEqual(SelectRapide(choices=CHOIX).render("lieu", valeur, attrs), attendu)

    def test_checkboxes_match_django_checkboxes(self):
        for valeur in (["1", "3"], [], None, ["2"]):
            attendu = forms.CheckboxSelectMultiple(choices=CHOIX[1:]).render("experts", valeur, {"id": "id_experts"})
            rendu = CasesRapides(choices=CHOIX[1:]).render("experts", valeur, {"id": "id_experts"})
            self.assertHTMLEqual(rendu, attendu)

    def test_labels_are_escaped(self):
        rendu = CasesRapides(choices=CHOIX[1:]).render("experts", None, {"id": "id_experts"})
        self.assertIn("&lt;b&gt;L&#x27;Isle&lt;/b&gt; &amp; Co", rendu)
        self.assertNotIn("<b>", rendu)


@pytest.mark.django_db
def test_back_office_choices_give_the_names_label_from_instance_gives(organisation, chef_hgi, expert_hgi, expert_caue):
    demande = demande_hgi(organisation)
    form = AffectationForm(demande=demande)
    field = form.fields["expert_referent"]
    attendus = [(str(u.pk), field.label_from_instance(u)) for u in field.queryset]
    assert [(str(v), libelle) for v, libelle in field.choices if v != ""] == attendus
    assert [libelle for _, libelle in attendus] == ["Chef HGI", "Expert HGI"]  # the direction's members
    # Associated experts: every expert of the network, grouped by structure (see test_affectation_groupes).
    field = form.fields["experts_associes"]
    sigle = {u.pk: u.membres.get().direction.structure.sigle for u in field.queryset}
    options = [(str(v), libelle) for _, groupe in field.choices for v, libelle in groupe]
    assert sorted(options) == sorted(
        (
            str(u.pk),
            field.label_from_instance(u)
            + (" — Direction assistance juridique et financière" if sigle[u.pk] == "HGI" else ""),
        )
        for u in field.queryset
    )
    assert (str(expert_caue.pk), "Expert CAUE") in options
    rendu = str(form["experts_associes"])
    assert f'value="{expert_caue.pk}"' in rendu and "Expert CAUE" in rendu
    # A rejected form shows the boxes the user ticked.
    rendu = str(AffectationForm({"experts_associes": [str(expert_caue.pk)]}, demande=demande)["experts_associes"])
    assert rendu.count(" checked>") == 1
    assert f'value="{expert_caue.pk}" id="id_experts_associes_0" checked>' in rendu


@pytest.mark.django_db
def test_orientation_lists_live_fiches_by_title(catalogue):
    form = OrientationForm()
    titres = sorted(f.title for f in (catalogue["urgente"], catalogue["complexe"], catalogue["fermee"]))
    assert [libelle for v, libelle in form.fields["fiche"].choices] == ["---------", *titres]
    assert f'<option value="{catalogue["urgente"].pk}" selected>' in str(
        OrientationForm({"fiche": str(catalogue["urgente"].pk)})["fiche"]
    )
