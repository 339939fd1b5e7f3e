"""Server-rendered SVG charts (horizontal bars, one line), no JavaScript, no CDN.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>`; the table beside it
carries the figures for screen readers and for copying.
"""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

COULEUR = "#00566b"
COULEUR_TEXTE = "#1e1e1e"
COULEUR_GRILLE = "#c9d1d4"


def _nombre(valeur):
    if valeur is None:
        return "secret"
    if isinstance(valeur, float) and not valeur.is_integer():
        return f"{valeur:.1f}".replace(".", ",")
    return f"{int(valeur)}"


def _tronquer(texte, longueur=32):
    texte = str(texte)
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


def _pas(maximum):
    """A round step so that the axis shows about four graduations."""
    if maximum <= 0:
        return 1
    brut = maximum / 4
    puissance = 10 ** (len(str(int(brut))) - 1) if brut >= 1 else 1
    for facteur in (1, 2, 5, 10):
        if brut <= facteur * puissance:
            return facteur * puissance
    return 10 * puissance


def _echelle(lignes):
    """The axis step and top value for the largest of `lignes` [(label, value)]."""
    maximum = max([valeur or 0 for _, valeur in lignes] + [0])
    pas = _pas(maximum)
    return pas, max(pas * math.ceil(maximum / pas), pas)


def _entete(genre, identifiant, titre, lignes, unite, largeur, hauteur, taille_police):
    """The opening <svg role="img"> with its <title> and a <desc> listing every figure."""
    description = "; ".join(f"{libelle} : {_nombre(valeur)}" for libelle, valeur in lignes) or "aucune donnée"
    return [
        f'<svg class="graphique graphique--{genre}" role="img" aria-labelledby="{identifiant}-titre {identifiant}-desc" '
        f'viewBox="0 0 {largeur} {hauteur}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="{taille_police}">',
        f'<title id="{identifiant}-titre">{escape(titre)}</title>',
        f'<desc id="{identifiant}-desc">{escape(description)} ({escape(unite)})</desc>',
    ]


def barres(identifiant, titre, lignes, unite="demandes", limite=15, couleur=COULEUR, echelle=None):
    """Horizontal bar chart of `lignes` [(label, value)], the `limite` first rows only."""
    lignes = [(libelle, valeur) for libelle, valeur in lignes][:limite]
    largeur, marge_gauche, hauteur_barre, ecart, marge_haut = 720, 290, 26, 10, 10
    zone = largeur - marge_gauche - 60
    hauteur = marge_haut + len(lignes) * (hauteur_barre + ecart) + 30
    pas, echelle_max = (echelle / 4, echelle) if echelle else _echelle(lignes)
    parties = _entete("barres", identifiant, titre, lignes, unite, largeur, hauteur, 16)
    graduation = 0
    bas = hauteur - 24
    while graduation <= echelle_max:
        x = marge_gauche + zone * graduation / echelle_max
        parties.append(f'<line x1="{x:.1f}" y1="{marge_haut - 4}" x2="{x:.1f}" y2="{bas}" stroke="{COULEUR_GRILLE}"/>')
        parties.append(
            f'<text x="{x:.1f}" y="{bas + 16}" text-anchor="middle" fill="{COULEUR_TEXTE}">{_nombre(graduation)}</text>'
        )
        graduation += pas
    for index, (libelle, valeur) in enumerate(lignes):
        y = marge_haut + index * (hauteur_barre + ecart)
        longueur = zone * (valeur or 0) / echelle_max
        parties.append(
            f'<text x="{marge_gauche - 8}" y="{y + 19}" text-anchor="end" fill="{COULEUR_TEXTE}">{escape(_tronquer(libelle))}</text>'
        )
        parties.append(
            f'<rect x="{marge_gauche}" y="{y}" width="{longueur:.1f}" height="{hauteur_barre}" fill="{couleur}" rx="2"/>'
        )
        parties.append(
            f'<text x="{marge_gauche + longueur + 6:.1f}" y="{y + 19}" fill="{COULEUR_TEXTE}" font-weight="bold">{_nombre(valeur)}</text>'
        )
    parties.append("</svg>")
    return mark_safe("".join(parties))


def courbe(identifiant, titre, lignes, unite="demandes", couleur=COULEUR):
    """Line chart of `lignes` [(label, value)] in their order (e.g. months)."""
    largeur, hauteur, marge_gauche, marge_bas, marge_haut, marge_droite = 720, 320, 90, 80, 20, 20
    zone_x, zone_y = largeur - marge_gauche - marge_droite, hauteur - marge_haut - marge_bas
    pas, echelle_max = _echelle(lignes)
    n = len(lignes)
    parties = _entete("courbe", identifiant, titre, lignes, unite, largeur, hauteur, 15)
    graduation = 0
    while graduation <= echelle_max:
        y = marge_haut + zone_y - zone_y * graduation / echelle_max
        parties.append(
            f'<line x1="{marge_gauche}" y1="{y:.1f}" x2="{largeur - marge_droite}" y2="{y:.1f}" stroke="{COULEUR_GRILLE}"/>'
        )
        parties.append(
            f'<text x="{marge_gauche - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{COULEUR_TEXTE}">{_nombre(graduation)}</text>'
        )
        graduation += pas
    points = []
    for index, (libelle, valeur) in enumerate(lignes):
        x = marge_gauche + (zone_x * index / (n - 1) if n > 1 else zone_x / 2)
        y = marge_haut + zone_y - zone_y * (valeur or 0) / echelle_max
        points.append((x, y, libelle, valeur))
    if len(points) > 1:
        chemin = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parties.append(f'<polyline points="{chemin}" fill="none" stroke="{couleur}" stroke-width="3"/>')
    chaque = max(1, n // 12)
    for index, (x, y, libelle, valeur) in enumerate(points):
        parties.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{couleur}"/>')
        if index % chaque == 0:
            parties.append(
                f'<text x="{x:.1f}" y="{hauteur - marge_bas + 22}" text-anchor="end" fill="{COULEUR_TEXTE}" '
                f'transform="rotate(-40 {x:.1f} {hauteur - marge_bas + 22})">{escape(libelle)}</text>'
            )
    parties.append("</svg>")
    return mark_safe("".join(parties))


def graphique(tableau, prefixe="graphique"):
    """The chart of an intake.statistiques.calculs.Tableau, by its kind."""
    identifiant = f"{prefixe}-{tableau.slug}"
    if tableau.graphique == "courbe":
        return courbe(identifiant, tableau.titre, tableau.lignes, unite=tableau.unite)
    return barres(
        identifiant, tableau.titre, tableau.lignes, unite=tableau.unite, echelle=100 if tableau.unite == "%" else None
    )
