"""The bilan annuel's figures and its PDF (WeasyPrint, as intake's accusé de réception): demandes
by thématique, territory and structure, deadline compliance, satisfaction, catalogue changes,
network activity and the plan d'actions' progress. The figures follow the public statistics'
small-count rule, since the report may be published."""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from catalogue.cache_pages import invalider_chemins
from catalogue.models import FichePage
from intake.models import EntreeJournal
from intake.statistiques import calculs as statistiques
from pilotage.models import Reunion
from pilotage.plan import plan_d_actions, synthese

NOM_COLLECTION = "Bilans annuels"


def _catalogue(annee):
    fiches = FichePage.objects.all()
    creees = fiches.filter(first_published_at__year=annee).count()
    return {
        "publiees": fiches.live().count(),
        "creees": creees,
        "mises_a_jour": fiches.filter(last_published_at__year=annee).exclude(first_published_at__year=annee).count(),
    }


def _reseau(annee):
    """Activity of the experts' network: journal entries written on the demandes, by type, and how
    many people wrote them; meetings of the governance instances."""
    entrees = EntreeJournal.objects.filter(created_at__year=annee)
    types = dict(EntreeJournal.Type.choices)
    par_type = {}
    for valeur in entrees.values_list("type", flat=True):
        par_type[types.get(valeur, valeur)] = par_type.get(types.get(valeur, valeur), 0) + 1
    return {
        "entrees": entrees.count(),
        "contributeurs": entrees.exclude(auteur=None).values("auteur").distinct().count(),
        "par_type": sorted(par_type.items(), key=lambda item: -item[1]),
        "reunions": list(
            Reunion.objects.filter(debut__year=annee).select_related("instance_gouvernance").order_by("debut")
        ),
    }


def donnees(bilan, aujourd_hui=None):
    aujourd_hui = aujourd_hui or timezone.localdate()
    chiffres = statistiques.chiffres_publics(bilan.annee, aujourd_hui=aujourd_hui)
    fin = min(datetime.date(bilan.annee, 12, 31), aujourd_hui)
    plan = plan_d_actions(aujourd_hui)
    return {
        "bilan": bilan,
        "plateforme": settings.PLATEFORME,
        "genere_le": timezone.localtime(),
        "fin": fin,
        "chiffres": chiffres,
        "tableaux": [chiffres["tableaux"][slug] for slug in ("thematique", "epci", "structure", "type_collectivite")],
        "seuil": statistiques.seuil_opendata(),
        "satisfaction": statistiques.satisfaction(statistiques.Filtres.annee(bilan.annee)),
        "catalogue": _catalogue(bilan.annee),
        "reseau": _reseau(bilan.annee),
        "plan": plan,
        "synthese": synthese(plan),
    }


def rendre_pdf(bilan, aujourd_hui=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("pilotage/bilan_pdf.html", donnees(bilan, aujourd_hui))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _collection():
    racine = Collection.get_first_root_node()
    existante = racine.get_children().filter(name=NOM_COLLECTION).first()
    return existante or racine.add_child(name=NOM_COLLECTION)


def publier(bilan, aujourd_hui=None):
    """Freeze the bilan as a PDF document in the public « Bilans annuels » collection and expose
    it at /bilans/<année>.pdf; publishing again replaces the document."""
    Document = get_document_model()
    contenu = rendre_pdf(bilan, aujourd_hui)
    with transaction.atomic():
        ancien = bilan.document
        document = Document(
            title=f"Bilan annuel {bilan.annee} — {settings.PLATEFORME['NOM']}", collection=_collection()
        )
        document.file.save(bilan.nom_fichier, ContentFile(contenu), save=False)
        document.save()
        bilan.document = document
        bilan.publie = True
        bilan.publie_le = timezone.now()
        bilan.save()
        if ancien is not None:
            ancien.delete()
        _rafraichir_pages(bilan)
    return bilan


def depublier(bilan):
    """Withdraw the bilan from the public site (its document is deleted: the public collection
    would otherwise keep serving it)."""
    with transaction.atomic():
        document = bilan.document
        bilan.document = None
        bilan.publie = False
        bilan.publie_le = None
        bilan.save()
        if document is not None:
            document.delete()
        _rafraichir_pages(bilan)
    return bilan


def _rafraichir_pages(bilan):
    """The bilan appears only on the public list of bilans and at its own address (served from
    the anonymous page cache; invalidated again once the transaction commits)."""
    invalider_chemins([reverse("pilotage_bilans_publics"), reverse("pilotage_bilan_public", args=[bilan.annee])])
