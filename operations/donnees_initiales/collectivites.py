from django.conf import settings
from django.db import transaction

from intake.models import DemandePage
from intake.referentiel import importer_collectivites


def load_collectivites():
    """The referential of the platform's département, as committed in fixtures/."""
    code = settings.PLATEFORME["DEPARTEMENT_CODE"]
    source = settings.FIXTURES_DIR / f"collectivites-{code}"
    if not source.is_dir():
        return None
    return importer_collectivites(code, source)


@transaction.atomic
def load_pages(home_page):
    """The filing form's page at /demande/, created once; editors own its texts afterwards."""
    page = DemandePage.objects.first()
    if page is not None:
        return page
    page = DemandePage(
        title="Faire une demande",
        slug="demande",
        introduction=(
            "<p>Décrivez votre projet : votre demande est transmise à la structure compétente, qui vous "
            "contacte dans un délai de 3 jours (assistance urgente) ou de 10 jours (accompagnement complexe). "
            "Si vous ne savez pas quelle fiche choisir, envoyez une demande libre : l'administrateur de la "
            "plateforme l'orientera.</p>"
        ),
        donnees_personnelles=(
            "<p>Les informations recueillies sont traitées par le Département et ses partenaires pour instruire "
            "votre demande d'accompagnement. Seules les personnes chargées de votre demande y ont accès. Elles "
            "sont conservées le temps de l'accompagnement puis anonymisées. Vous pouvez exercer vos droits "
            "d'accès, de rectification et d'effacement auprès de la plateforme.</p>"
        ),
        texte_confirmation=(
            "<p>Vous allez recevoir un accusé de réception par courriel, avec le lien qui vous permet de suivre "
            "votre demande.</p>"
        ),
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page
