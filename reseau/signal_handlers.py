from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from reseau.models import CompteurJournalier, ConnexionJournaliere

CLE_CONNEXIONS = "connexions"


@receiver(user_logged_in, dispatch_uid="reseau_compter_connexion")
def compter_connexion(sender, request, user, **kwargs):
    """Logins of the usage report: a daily counter and one row per user and day (active members)."""
    aujourd_hui = timezone.localdate()
    CompteurJournalier.ajouter(CLE_CONNEXIONS, date=aujourd_hui)
    ConnexionJournaliere.objects.get_or_create(user=user, date=aujourd_hui)
