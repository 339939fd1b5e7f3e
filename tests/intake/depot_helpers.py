"""Fixtures and data shared by the intake filing tests (imported by test_depot_*, test_api_*,
test_notifications_*, test_suivi_public_* modules)."""

import io
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.enums import NatureFiche, TypeCollectivite
from catalogue.models import FichePage, StructurePage
from operations.donnees_initiales.catalogue import load_catalogue_pages
from operations.donnees_initiales.collectivites import load_pages
from tests.conftest import publish
from tests.factories import CollectiviteFactory, EpciFactory, ThematiqueFactory

PDF_MINIMAL = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_MINIMAL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def fichier_pdf(nom="projet.pdf"):
    return SimpleUploadedFile(nom, PDF_MINIMAL, content_type="application/pdf")


def fichier_docx(nom="note.docx"):
    import zipfile

    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(
        nom, tampon.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


@pytest.fixture(autouse=True)
def _cache_vide():
    """Rate-limit counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def thematiques(db):
    return {
        "juridique": ThematiqueFactory(nom="Assistance juridique, administrative et financière"),
        "urbanisme": ThematiqueFactory(nom="Observation des territoires, planification et urbanisme"),
    }


@pytest.fixture
def catalogue(home_page, organisation, thematiques):
    """Published fiches: an urgent one led by HGI's legal direction, a complex one led by the CAUE."""
    index = load_catalogue_pages(home_page)
    page_hgi = StructurePage.objects.get(structure=organisation["hgi"])
    page_caue = StructurePage.objects.get(structure=organisation["caue"])
    assert index
    urgente = publish(
        page_hgi,
        FichePage(
            title="Conseil juridique urgent",
            slug="conseil-juridique",
            chapo="Une réponse rapide.",
            thematique=thematiques["juridique"],
            nature=NatureFiche.URGENTE,
            chef_de_file=organisation["hgi_juridique"],
        ),
    )
    complexe = publish(
        page_caue,
        FichePage(
            title="Aménagement d'un espace public",
            slug="espace-public",
            chapo="Conseil en aménagement.",
            thematique=thematiques["urbanisme"],
            nature=NatureFiche.COMPLEXE,
            chef_de_file=organisation["caue_direction"],
        ),
    )
    fermee = publish(
        page_caue,
        FichePage(
            title="Fiche sans demande en ligne",
            slug="sans-demande",
            chapo="Hors ligne.",
            demande_en_ligne=False,
            thematique=thematiques["urbanisme"],
            chef_de_file=organisation["caue_direction"],
        ),
    )
    return {"urgente": urgente, "complexe": complexe, "fermee": fermee, "index": index}


@pytest.fixture
def demande_page(home_page):
    return load_pages(home_page)


@pytest.fixture
def collectivites(db):
    epci = EpciFactory(code="243100518", nom="Communauté de communes des Hauts Tolosans")
    return {
        "grenade": CollectiviteFactory(code="31232", nom="Grenade", codes_postaux=["31330"], epci=epci),
        "merville": CollectiviteFactory(code="31341", nom="Merville", codes_postaux=["31330"], epci=epci),
        "epci": epci,
    }


def horodatage(il_y_a=60):
    return signing.dumps({"t": time.time() - il_y_a, "k": f"cle-{time.time_ns()}"}, salt="intake.depot")


def donnees_formulaire(collectivites, thematique, fiche=None, **extra):
    """A valid POST of the public form."""
    data = {
        "thematique": str(thematique.pk),
        "fiche": str(fiche.pk) if fiche else "",
        "demandeur_nom": "Durand",
        "demandeur_prenom": "Claire",
        "demandeur_fonction": "Maire",
        "demandeur_email": "maire@grenade.test",
        "demandeur_telephone": "05 61 82 61 00",
        "type_collectivite": TypeCollectivite.COMMUNE,
        "collectivite": collectivites["grenade"].code,
        "lieu": "",
        "lieu_precision": "Place de la mairie",
        "message": "Nous voulons réaménager la place du village et cherchons un appui.",
        "consentement": "on",
        "site_web": "",
        "horodatage": horodatage(),
    }
    data.update(extra)
    return data


def donnees_service(collectivites, **extra):
    """Keyword arguments of intake.depot.services.deposer_demande for a valid free request."""
    kwargs = {
        "source": "formulaire",
        "demandeur_nom": "Durand",
        "demandeur_prenom": "Claire",
        "demandeur_email": "maire@grenade.test",
        "demandeur_telephone": "05 61 82 61 00",
        "collectivite": collectivites["grenade"],
        "type_collectivite": TypeCollectivite.COMMUNE,
        "message": "Besoin d'un appui.",
        "consentement": True,
    }
    kwargs.update(extra)
    return kwargs
