"""Server-rendered SVG charts: accessible name, escaped labels, proportional bars."""

import re

from intake.statistiques.graphiques import barres, courbe


def test_a_bar_chart_has_a_title_and_a_description_naming_every_figure():
    svg = barres("g", "Demandes par thématique", [("Urbanisme", 4), ("Voirie", 2)])
    assert 'role="img"' in svg and 'aria-labelledby="g-titre g-desc"' in svg
    assert '<title id="g-titre">Demandes par thématique</title>' in svg
    assert "Urbanisme : 4; Voirie : 2" in svg


def test_bars_are_proportional_to_the_values():
    svg = barres("g", "t", [("A", 4), ("B", 2)])
    largeurs = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert largeurs[0] == 2 * largeurs[1] > 0


def test_labels_are_escaped():
    svg = barres("g", "<script>", [("<b>Commune</b> & co", 1)])
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;Commune&lt;/b&gt; &amp; co" in svg


def test_a_line_chart_draws_one_point_per_label_and_copes_with_zeros():
    svg = courbe("c", "Évolution", [("janv.", 0), ("févr.", 0), ("mars", 0)])
    assert svg.count("<circle") == 3
    assert "<polyline" in svg


def test_an_empty_chart_says_there_is_no_data():
    assert "aucune donnée" in barres("g", "t", [])
    assert "aucune donnée" in courbe("c", "t", [])


def test_secret_values_are_drawn_as_secret():
    assert "Autres : secret" in barres("g", "t", [("Autres", None)])


def test_a_share_chart_goes_up_to_one_hundred_percent():
    svg = barres("g", "t", [("Toutes", 50)], unite="%", echelle=100)
    largeur = float(re.findall(r'<rect [^>]*width="([\d.]+)"', svg)[0])
    assert ">100<" in svg
    assert abs(largeur - 370 / 2) < 1  # half of the drawing area (720 - 290 - 60)
