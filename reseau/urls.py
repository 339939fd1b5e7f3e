"""Admin URLs of the network's space (registered under /admin/ by wagtail_hooks)."""

from django.urls import path

from reseau.views import annuaire

urlpatterns = [
    path("reseau/annuaire/", annuaire.AnnuaireView.as_view(), name="reseau_annuaire"),
    path("reseau/annuaire/ma-fiche/", annuaire.MaFicheAnnuaireView.as_view(), name="reseau_ma_fiche"),
]
