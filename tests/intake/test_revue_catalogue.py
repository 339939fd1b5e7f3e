import pytest
from django.core.management import call_command

from catalogue.models import FichePage, ReglagesCatalogue, Structure
from intake.models import Notification
from operations.models import ExecutionTache

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_charge(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    call_command("load_initial_data", stdout=open("/dev/null", "w"))
    Notification.objects.all().delete()


def test_each_partner_group_receives_the_list_of_its_fiches_to_review(catalogue_charge):
    reglages = ReglagesCatalogue.load()
    reglages.millesime = 2099
    reglages.save()
    caue = Structure.objects.get(sigle="CAUE")
    fiches_caue = FichePage.objects.live().descendant_of(caue.page)
    fiche_hgi = FichePage.objects.live().descendant_of(Structure.objects.get(sigle="HGI").page).first()

    call_command("tache", "relancer_revue_catalogue", stdout=open("/dev/null", "w"))

    (courriel,) = Notification.objects.filter(kind="revue_catalogue", to__icontains="partenaire.caue")
    assert "CAUE" in courriel.subject and "2099" in courriel.subject
    for fiche in fiches_caue:
        assert fiche.title in courriel.body
    assert fiche_hgi.title not in courriel.body
    assert ExecutionTache.objects.filter(tache="relancer_revue_catalogue", succes=True).exists()


def test_nothing_is_sent_when_every_fiche_is_validated(catalogue_charge):
    reglages = ReglagesCatalogue.load()
    FichePage.objects.update(millesime=reglages.millesime)
    call_command("relancer_revue_catalogue", stdout=open("/dev/null", "w"))
    assert not Notification.objects.filter(kind="revue_catalogue").exists()


def test_running_the_campaign_twice_sends_once_per_structure_and_week(catalogue_charge):
    """The weekly command run twice (two hosts, a retried timer) sends once."""
    import datetime
    import io

    from django.utils import timezone

    from intake.models import Relance
    from intake.notifications.revue_catalogue import relancer_revue

    reglages = ReglagesCatalogue.load()
    reglages.millesime = 2099
    reglages.save()
    call_command("relancer_revue_catalogue", stdout=open("/dev/null", "w"))
    premiers = Notification.objects.filter(kind="revue_catalogue").count()
    assert premiers > 0
    sortie = io.StringIO()
    call_command("relancer_revue_catalogue", stdout=sortie)
    assert Notification.objects.filter(kind="revue_catalogue").count() == premiers
    assert "0 structure(s) prévenue(s)" in sortie.getvalue()
    assert Relance.objects.filter(type=Relance.Type.REVUE_CATALOGUE).count() == premiers
    # The next week is a new reminder.
    assert relancer_revue(today=timezone.localdate() + datetime.timedelta(days=7)) == premiers
    assert Notification.objects.filter(kind="revue_catalogue").count() == 2 * premiers
