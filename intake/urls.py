from django.urls import path, re_path

from intake.depot import api, views
from intake.statistiques.urls import urlpatterns as urlpatterns_statistiques
from intake.suivi import public

urlpatterns = [
    path("api/v2/demandes/", api.depot_demande, name="intake_api_demandes"),
    path("demande/", views.formulaire_depot, name="intake_depot"),
    path("demande/confirmation/", views.confirmation, name="intake_depot_confirmation"),
    path("demande/confirmation/imprimer/", views.recapitulatif, name="intake_depot_recapitulatif"),
    path("demande/collectivites/", views.collectivites, name="intake_collectivites"),
    re_path(r"^suivi/(?P<jeton>[A-Za-z0-9_-]{20,64})/$", public.suivi_demande, name="intake_suivi"),
    re_path(r"^suivi/(?P<jeton>[A-Za-z0-9_-]{20,64})/message/$", public.suivi_message, name="intake_suivi_message"),
    re_path(r"^suivi/(?P<jeton>[A-Za-z0-9_-]{20,64})/satisfaction/$", public.satisfaction, name="intake_satisfaction"),
    re_path(
        r"^suivi/(?P<jeton>[A-Za-z0-9_-]{20,64})/documents/(?P<pk>[0-9]+)/$",
        public.suivi_document,
        name="intake_suivi_document",
    ),
    path("demandes/pieces-jointes/<int:pk>/", public.piece_jointe, name="intake_piece_jointe"),
    *urlpatterns_statistiques,
]
