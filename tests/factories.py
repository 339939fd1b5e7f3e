"""factory_boy factories for the plain models (pages are published with tests.conftest.publish)."""

import datetime

import factory
from django.utils import timezone

from catalogue.enums import TypeCollectivite
from catalogue.models import Thematique
from intake.models import Collectivite, Demande


class ThematiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thematique

    nom = factory.Sequence(lambda n: f"Thématique {n}")


class CollectiviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collectivite
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"31{n:03d}")
    siren = factory.Sequence(lambda n: f"213{n:06d}")
    nom = factory.Sequence(lambda n: f"Commune {n}")
    type = TypeCollectivite.COMMUNE
    population = 1200
    codes_postaux = ["31000"]
    departement = "31"


class EpciFactory(CollectiviteFactory):
    code = factory.Sequence(lambda n: f"2431{n:05d}")
    siren = factory.SelfAttribute("code")
    nom = factory.Sequence(lambda n: f"CC des Coteaux {n}")
    type = TypeCollectivite.CC
    codes_postaux = []


class DemandeFactory(factory.django.DjangoModelFactory):
    """A demande as stored after filing; use intake.depot.services to test the filing itself."""

    class Meta:
        model = Demande

    numero = factory.Sequence(lambda n: 1000 + n)
    demandeur_nom = "Martin"
    demandeur_prenom = "Sophie"
    demandeur_fonction = "Maire"
    demandeur_email = factory.Sequence(lambda n: f"mairie{n}@commune.test")
    demandeur_telephone = "05 61 00 00 00"
    collectivite = factory.SubFactory(CollectiviteFactory)
    type_collectivite = TypeCollectivite.COMMUNE
    message = "Nous souhaitons être accompagnés pour notre projet."
    statut = Demande.Statut.ATTRIBUE_ADMIN
    echeance_premier_contact = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    consentement = True
