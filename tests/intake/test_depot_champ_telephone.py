"""The filing form's phone field is a real telephone input (mobile keypad, autofill)."""

import re

import pytest

from intake.depot.forms import DemandeForm


@pytest.mark.django_db
def test_phone_field_is_a_tel_input_with_a_single_type():
    html = str(DemandeForm()["demandeur_telephone"])
    assert re.findall(r'\stype="([^"]+)"', html) == ["tel"]
    assert 'autocomplete="tel"' in html


@pytest.mark.django_db
def test_phone_field_keeps_its_type_when_the_form_has_errors():
    form = DemandeForm(data={"demandeur_telephone": "pas un numéro"})
    assert not form.is_valid()
    assert "demandeur_telephone" in form.errors
    html = str(form["demandeur_telephone"])
    assert re.findall(r'\stype="([^"]+)"', html) == ["tel"]
    assert 'aria-invalid="true"' in html
