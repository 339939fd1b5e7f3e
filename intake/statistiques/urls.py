"""Public URLs of the figures, appended to intake.urls."""

from django.urls import path

from intake.statistiques import views as views_statistiques

urlpatterns = [
    path("la-plateforme-en-chiffres/", views_statistiques.plateforme_en_chiffres, name="plateforme_en_chiffres"),
    path(
        "la-plateforme-en-chiffres/donnees.csv",
        views_statistiques.donnees_ouvertes_csv,
        name="plateforme_en_chiffres_csv",
    ),
]
