"""Public figures: the page "La plateforme en chiffres" and its open-data file.

Aggregated, anonymous figures only; the small-count rule is in intake.statistiques.calculs and the README.
"""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from intake.statistiques import calculs as statistiques
from intake.statistiques.graphiques import graphique


def plateforme_en_chiffres(request):
    annees = statistiques.annees_disponibles()
    try:
        annee = int(request.GET.get("annee", annees[0]))
    except ValueError:
        annee = annees[0]
    if annee not in annees:
        annee = annees[0]
    chiffres = statistiques.chiffres_publics(annee)
    sections = [
        {"tableau": tableau, "graphique": graphique(tableau, prefixe="chiffres")}
        for tableau in chiffres["tableaux"].values()
    ]
    return render(
        request,
        "intake/statistiques/plateforme_en_chiffres.html",
        {
            "chiffres": chiffres,
            "sections": sections,
            "annees": annees,
            "annee": annee,
            "seuil": statistiques.seuil_opendata(),
        },
    )


def donnees_ouvertes_csv(request):
    """The open-data file: every year since the first demande, one aggregated figure per line."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plateforme-en-chiffres-{timezone.localdate():%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(statistiques.ENTETE_OPENDATA)
    for ligne in statistiques.lignes_opendata():
        writer.writerow(ligne)
    return response
