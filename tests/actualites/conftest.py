"""Editorial fixtures: the site's section pages and small helpers to publish content."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from actualites.models import ActualiteIndexPage, AgendaPage, RessourceIndexPage
from tests.conftest import publish


@pytest.fixture
def sections(home_page):
    """The three editorial sections under the home page."""
    return {
        "actualites": publish(home_page, ActualiteIndexPage(title="Actualités", slug="actualites", par_page=2)),
        "agenda": publish(home_page, AgendaPage(title="Agenda", slug="agenda")),
        "ressources": publish(home_page, RessourceIndexPage(title="Ressources", slug="ressources")),
    }


def make_image(title="Illustration"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), (0, 86, 107)).save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file.save("illustration.png", ImageFile(buffer, name="illustration.png"), save=False)
    image.save()
    return image


def make_document(title="Guide", collection=None, filename="guide.pdf"):
    document = get_document_model()(title=title)
    if collection is not None:
        document.collection = collection
    document.file.save(filename, ContentFile(b"%PDF-1.4\n% document de test\n"), save=False)
    document.save()
    return document


def dans(jours, heure=9):
    jour = timezone.localdate() + datetime.timedelta(days=jours)
    return timezone.make_aware(datetime.datetime(jour.year, jour.month, jour.day, heure, 0))
