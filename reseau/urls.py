"""Admin URLs of the network's space (registered under /admin/ by wagtail_hooks)."""

from django.urls import path

from reseau.views import annuaire, discussions, documents, rapport

urlpatterns = [
    path("reseau/annuaire/", annuaire.AnnuaireView.as_view(), name="reseau_annuaire"),
    path("reseau/annuaire/ma-fiche/", annuaire.MaFicheAnnuaireView.as_view(), name="reseau_ma_fiche"),
    path("reseau/discussions/", discussions.DiscussionsView.as_view(), name="reseau_discussions"),
    path("reseau/discussions/nouvelle/", discussions.NouveauFilView.as_view(), name="reseau_fil_nouveau"),
    path("reseau/discussions/<int:pk>/", discussions.FilView.as_view(), name="reseau_fil"),
    path("reseau/documents/", documents.DocumentsView.as_view(), name="reseau_documents"),
    path("reseau/documents/dossier/<int:pk>/", documents.DossierView.as_view(), name="reseau_dossier"),
    path("reseau/documents/<int:pk>/telecharger/", documents.TelechargerView.as_view(), name="reseau_telecharger"),
    path("reseau/rapport-usage/", rapport.RapportUsageView.as_view(), name="reseau_rapport_usage"),
    # An editorial tool, outside /admin/reseau/: editors are not network members.
    path("documents-du-reseau/publication/", documents.PublicationView.as_view(), name="reseau_publication"),
]
