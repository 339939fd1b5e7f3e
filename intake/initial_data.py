from django.conf import settings

from intake.referentiel import importer_collectivites


def load_collectivites():
    """The referential of the platform's département, as committed in fixtures/."""
    code = settings.PLATEFORME["DEPARTEMENT_CODE"]
    source = settings.FIXTURES_DIR / f"collectivites-{code}"
    if not source.is_dir():
        return None
    return importer_collectivites(code, source)
