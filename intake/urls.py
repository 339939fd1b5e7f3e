urlpatterns = []

# Public figures and open data (issue 7).
from intake.urls_statistiques import urlpatterns as urlpatterns_statistiques  # noqa: E402

urlpatterns += urlpatterns_statistiques
