from django.urls import path

from pilotage import views

urlpatterns = [
    path("bilans/", views.bilans_publics, name="pilotage_bilans_publics"),
    path("bilans/<int:annee>.pdf", views.bilan_public, name="pilotage_bilan_public"),
]
