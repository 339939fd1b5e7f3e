"""Plan d'actions data shared by the steering tests."""

import datetime

from pilotage.models import Action, Axe, Indicateur

AUJOURD_HUI = datetime.date(2026, 6, 15)


def plan(organisation):
    axe = Axe.objects.create(titre="Améliorer l'accès aux services", ordre=1)
    en_retard = Action.objects.create(
        axe=axe,
        numero=1,
        titre="Former les secrétaires de mairie",
        pilote_direction=organisation["hgi_juridique"],
        echeance=datetime.date(2026, 3, 31),
        statut=Action.Statut.EN_COURS,
        avancement=40,
    )
    en_retard.partenaires.add(organisation["caue"])
    a_temps = Action.objects.create(
        axe=axe,
        numero=2,
        titre="Publier le guide des aides",
        pilote_structure=organisation["caue"],
        echeance=datetime.date(2026, 12, 31),
        statut=Action.Statut.A_LANCER,
    )
    realisee = Action.objects.create(
        axe=axe,
        numero=3,
        titre="Ouvrir la plateforme",
        pilote_structure=organisation["hgi"],
        echeance=datetime.date(2026, 1, 31),
        statut=Action.Statut.REALISEE,
    )
    Indicateur.objects.create(
        action=en_retard, libelle="Secrétaires formés", unite="personnes", cible=50, valeur_mesuree=20
    )
    Indicateur.objects.create(
        action=realisee,
        libelle="Demandes déposées",
        unite="demandes",
        cible=4,
        source=Indicateur.Source.AUTOMATIQUE,
        source_automatique="demandes_deposees",
        annee=2026,
    )
    return {"axe": axe, "en_retard": en_retard, "a_temps": a_temps, "realisee": realisee}


def un_de_chaque(organisation):
    """One object of every steering model, for the tests that walk every admin page."""
    from django.utils import timezone

    from pilotage.models import Bilan, Convention, Instance, Reunion

    plan(organisation)
    instance = Instance.objects.create(nom="Comité de suivi technique", type=Instance.Type.COMITE_SUIVI)
    Reunion.objects.create(instance_gouvernance=instance, debut=timezone.now())
    Convention.objects.create(
        structure=organisation["hgi"],
        intitule="Convention de partenariat",
        date_debut=datetime.date(2024, 1, 1),
        date_fin=datetime.date(2029, 12, 31),
        signataires="Le Président",
    )
    Bilan.objects.create(annee=2025)
