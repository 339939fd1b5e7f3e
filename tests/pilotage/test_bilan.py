"""Bilan annuel: a PDF built from the platform's figures with the editors'
texts, published on the public site when an administrator chooses to (text checked with pypdf)."""

import datetime
import io
import zoneinfo

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Site

from actualites.models import ParametresSite
from intake.models import EntreeJournal
from pilotage import bilan as service
from pilotage.models import Bilan, Instance, Reunion
from tests.factories import DemandeFactory
from tests.pilotage.helpers import plan

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def texte_pdf(contenu):
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(contenu)).pages)


@pytest.fixture
def bilan(organisation):
    annee = timezone.localdate().year - 1
    plan(organisation)
    for jour in (3, 4):
        demande = DemandeFactory(
            created_at=datetime.datetime(annee, 3, jour, 10, tzinfo=PARIS),
            echeance_premier_contact=datetime.date(annee, 3, 13),
            premier_contact_le=datetime.date(annee, 3, 6),
            direction=organisation["hgi_juridique"],
        )
    EntreeJournal.objects.create(
        demande=demande,
        message="Appel au maire",
        type=EntreeJournal.Type.APPEL,
        created_at=datetime.datetime(annee, 3, 6, 10, tzinfo=PARIS),
    )
    instance = Instance.objects.create(nom="Comité de suivi technique", type=Instance.Type.COMITE_SUIVI)
    Reunion.objects.create(instance_gouvernance=instance, debut=datetime.datetime(annee, 6, 12, 14, tzinfo=PARIS))
    return Bilan.objects.create(
        annee=annee,
        introduction="Une année de consolidation du réseau.",
        faits_marquants="Ouverture aux syndicats mixtes.",
        perspectives="Étendre l'offre.",
    )


def test_the_pdf_holds_the_figures_of_the_year_and_the_editors_texts(bilan):
    texte = texte_pdf(service.rendre_pdf(bilan))
    assert f"Bilan annuel {bilan.annee}" in texte
    assert "Une année de consolidation du réseau." in texte
    assert "Ouverture aux syndicats mixtes." in texte and "Étendre l'offre." in texte
    assert "2 demandes déposées" in texte
    assert "100.0 % de premiers contacts dans les délais" in texte or "100,0 % de premiers contacts" in texte
    assert "Demandes par thématique" in texte and "Demandes par intercommunalité" in texte
    assert "Demandes par structure" in texte
    assert "Aucune réponse à l'enquête de satisfaction" in texte
    assert "1 entrée au journal des demandes" in texte
    assert "Comité de suivi technique" in texte
    assert "Avancement du plan d'actions" in texte and "Former les secrétaires de mairie" in texte


def test_small_counts_are_hidden_as_in_the_public_figures(bilan, settings):
    settings.INTAKE_OPENDATA_SEUIL = 5
    texte = texte_pdf(service.rendre_pdf(bilan))
    assert "moins de 5" in texte


def test_an_editor_writes_the_texts_and_generates_the_pdf_but_does_not_publish(client, editeur, bilan):
    client.force_login(editeur)
    page = client.get(reverse("pilotage_bilan", args=[bilan.pk])).content.decode()
    assert "Générer le PDF" in page and "Modifier les textes" in page
    assert "Publier sur le site" not in page
    response = client.get(reverse("pilotage_bilan_pdf", args=[bilan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Une année de consolidation" in texte_pdf(response.content)
    assert client.post(reverse("pilotage_bilan_publier", args=[bilan.pk])).status_code in (302, 403)
    bilan.refresh_from_db()
    assert not bilan.publie


def test_an_editor_creates_a_bilan_with_its_texts(client, editeur):
    client.force_login(editeur)
    annee = timezone.localdate().year
    response = client.post(
        reverse("pilotage_bilan_modeladmin_create"),
        {
            "annee": annee,
            "introduction": "Introduction.",
            "faits_marquants": "",
            "perspectives": "",
        },
    )
    assert response.status_code == 302
    assert Bilan.objects.get(annee=annee).introduction == "Introduction."


def test_a_future_year_is_refused_with_a_french_message(client, editeur):
    client.force_login(editeur)
    response = client.post(reverse("pilotage_bilan_modeladmin_create"), {"annee": timezone.localdate().year + 3})
    assert response.status_code == 200
    assert "Indiquez une année écoulée ou l&#x27;année en cours." in response.content.decode()


def test_an_unpublished_bilan_is_not_on_the_public_site(client, bilan):
    assert client.get(reverse("pilotage_bilan_public", args=[bilan.annee])).status_code == 404
    assert client.get("/bilans/1999.pdf").status_code == 404


def test_the_administrator_publishes_and_withdraws_the_bilan(client, administrateur, bilan):
    client.force_login(administrateur)
    assert "Publier sur le site" in client.get(reverse("pilotage_bilan", args=[bilan.pk])).content.decode()
    response = client.post(reverse("pilotage_bilan_publier", args=[bilan.pk]), follow=True)
    assert "est publié sur le site public" in response.content.decode()
    bilan.refresh_from_db()
    assert bilan.publie and bilan.document.collection.name == "Bilans annuels"
    client.logout()
    public = client.get(f"/bilans/{bilan.annee}.pdf")
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    assert "Une année de consolidation" in texte_pdf(b"".join(public.streaming_content))

    client.force_login(administrateur)
    client.post(reverse("pilotage_bilan_retirer", args=[bilan.pk]))
    client.logout()
    assert client.get(f"/bilans/{bilan.annee}.pdf").status_code == 404
    from wagtail.documents import get_document_model

    assert not get_document_model().objects.filter(title__contains=f"Bilan annuel {bilan.annee}").exists()


def test_publishing_again_replaces_the_document(administrateur, bilan):
    from wagtail.documents import get_document_model

    service.publier(bilan)
    premier = bilan.document_id
    service.publier(bilan)
    assert bilan.document_id != premier
    assert get_document_model().objects.filter(collection__name="Bilans annuels").count() == 1


def test_the_public_list_shows_the_published_bilans_at_once(client, bilan, django_capture_on_commit_callbacks):
    assert "Aucun bilan n'est encore publié." in client.get("/bilans/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        service.publier(bilan)
    contenu = client.get("/bilans/").content.decode()
    assert f'href="/bilans/{bilan.annee}.pdf"' in contenu
    with django_capture_on_commit_callbacks(execute=True):
        service.depublier(bilan)
    assert f"/bilans/{bilan.annee}.pdf" not in client.get("/bilans/").content.decode()


def test_publishing_a_bilan_leaves_the_other_cached_pages(client, bilan, home_page, django_capture_on_commit_callbacks):
    """The bilan is only on /bilans/: the home page stays served from the page cache."""
    caches["pages"].clear()
    ParametresSite.for_site(Site.objects.get(is_default_site=True))
    for chemin in ("/", "/bilans/", "/"):
        client.get(chemin)
    with django_capture_on_commit_callbacks(execute=True):
        service.publier(bilan)
    assert f'href="/bilans/{bilan.annee}.pdf"' in client.get("/bilans/").content.decode()
    with CaptureQueriesContext(connection) as requetes:
        assert client.get("/").status_code == 200
    assert len(requetes) == 0
    with django_capture_on_commit_callbacks(execute=True):
        service.depublier(bilan)
    assert f"/bilans/{bilan.annee}.pdf" not in client.get("/bilans/").content.decode()
    with CaptureQueriesContext(connection) as requetes:
        client.get("/")
    assert len(requetes) == 0
