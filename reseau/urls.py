"""Admin URLs of the network's space (registered under /admin/ by wagtail_hooks)."""

from django.urls import path

from reseau.views import annuaire, discussions

urlpatterns = [
    path("reseau/annuaire/", annuaire.AnnuaireView.as_view(), name="reseau_annuaire"),
    path("reseau/annuaire/ma-fiche/", annuaire.MaFicheAnnuaireView.as_view(), name="reseau_ma_fiche"),
    path("reseau/discussions/", discussions.DiscussionsView.as_view(), name="reseau_discussions"),
    path("reseau/discussions/nouvelle/", discussions.NouveauFilView.as_view(), name="reseau_fil_nouveau"),
    path("reseau/discussions/<int:pk>/", discussions.FilView.as_view(), name="reseau_fil"),
]
