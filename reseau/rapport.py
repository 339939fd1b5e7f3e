"""The network's usage report (yearly for the comité de suivi, or over any period on demand):
logins, active members by structure, public page views, documents, actualités, discussions.
Every figure comes from server-side counters or from the platform's own rows: no tracking."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from catalogue.models import Membre
from reseau import compteurs
from reseau.models import CompteurJournalier, ConnexionJournaliere, DocumentPartage, Fil, Message, Telechargement
from reseau.signal_handlers import CLE_CONNEXIONS

MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


@dataclass
class Rapport:
    debut: datetime.date
    fin: datetime.date
    indicateurs: list = field(default_factory=list)  # [(libellé, valeur)]
    tableaux: dict = field(default_factory=dict)  # slug → {"titre", "entete", "lignes", "graphique"}


def _bornes(debut, fin):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(debut, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(fin + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def _mois(debut, fin):
    """[(first day, label)] of every month of the period."""
    mois, courant = [], debut.replace(day=1)
    while courant <= fin:
        mois.append((courant, f"{MOIS[courant.month - 1]} {courant.year}"))
        courant = (courant + datetime.timedelta(days=calendar.monthrange(courant.year, courant.month)[1])).replace(
            day=1
        )
    return mois


def _par_mois(queryset, champ_date, debut, fin, somme=None):
    valeurs = (
        queryset.annotate(mois=TruncMonth(champ_date)).values("mois").annotate(n=Sum(somme) if somme else Count("pk"))
    )
    par_mois = {}
    for ligne in valeurs:
        mois = ligne["mois"]
        if isinstance(mois, datetime.datetime):
            mois = timezone.localtime(mois).date() if timezone.is_aware(mois) else mois.date()
        par_mois[mois.replace(day=1)] = (par_mois.get(mois.replace(day=1), 0)) + (ligne["n"] or 0)
    return [(libelle, par_mois.get(premier, 0)) for premier, libelle in _mois(debut, fin)]


def calculer(debut, fin):
    compteurs.vider_compteurs()
    debut_dt, fin_dt = _bornes(debut, fin)
    rapport = Rapport(debut=debut, fin=fin)
    jours = CompteurJournalier.objects.filter(date__gte=debut, date__lte=fin)

    connexions = jours.filter(cle=CLE_CONNEXIONS).aggregate(n=Sum("valeur"))["n"] or 0
    pages = jours.filter(cle__startswith=compteurs.PREFIXE_PAGES)
    vues = pages.aggregate(n=Sum("valeur"))["n"] or 0
    connectes = ConnexionJournaliere.objects.filter(date__gte=debut, date__lte=fin)
    actifs_ids = set(connectes.values_list("user_id", flat=True))
    membres_ids = set(Membre.objects.values_list("user_id", flat=True).distinct())
    telechargements = Telechargement.objects.filter(created_at__gte=debut_dt, created_at__lt=fin_dt)
    deposes = DocumentPartage.objects.filter(created_at__gte=debut_dt, created_at__lt=fin_dt)
    fils = Fil.objects.filter(created_at__gte=debut_dt, created_at__lt=fin_dt)
    messages = Message.objects.filter(created_at__gte=debut_dt, created_at__lt=fin_dt)
    ActualitePage = apps.get_model("actualites", "ActualitePage")
    actualites = ActualitePage.objects.filter(first_published_at__gte=debut_dt, first_published_at__lt=fin_dt)

    rapport.indicateurs = [
        ("Connexions à l'espace d'administration", connexions),
        ("Membres du réseau actifs (au moins une connexion)", len(actifs_ids & membres_ids)),
        ("Membres du réseau", len(membres_ids)),
        ("Pages consultées sur le site public", vues),
        ("Documents partagés déposés", deposes.count()),
        ("Documents téléchargés", telechargements.count()),
        ("Actualités publiées", actualites.count()),
        ("Discussions ouvertes", fils.count()),
        ("Messages dans les discussions", messages.count()),
    ]

    par_structure = (
        Membre.objects.filter(user_id__in=actifs_ids)
        .values("direction__structure__nom")
        .annotate(n=Count("user", distinct=True))
        .order_by("-n", "direction__structure__nom")
    )
    inscrits = dict(
        Membre.objects.values("direction__structure__nom")
        .annotate(n=Count("user", distinct=True))
        .values_list("direction__structure__nom", "n")
    )
    rapport.tableaux["membres_actifs"] = {
        "titre": "Membres actifs par structure",
        "entete": ["Structure", "Membres actifs", "Membres"],
        "lignes": [
            (ligne["direction__structure__nom"], ligne["n"], inscrits.get(ligne["direction__structure__nom"], 0))
            for ligne in par_structure
        ],
        "unite": "membres",
        "graphique": "barres",
    }
    rapport.tableaux["connexions_mois"] = {
        "titre": "Connexions par mois",
        "entete": ["Mois", "Connexions"],
        "lignes": _par_mois(jours.filter(cle=CLE_CONNEXIONS), "date", debut, fin, somme="valeur"),
        "unite": "connexions",
        "graphique": "courbe",
    }
    rapport.tableaux["pages_mois"] = {
        "titre": "Pages consultées par mois",
        "entete": ["Mois", "Pages consultées"],
        "lignes": _par_mois(pages, "date", debut, fin, somme="valeur"),
        "unite": "pages",
        "graphique": "courbe",
    }
    rapport.tableaux["pages_rubrique"] = {
        "titre": "Pages consultées par rubrique du site",
        "entete": ["Rubrique", "Pages consultées"],
        "lignes": [
            (ligne["cle"].removeprefix(compteurs.PREFIXE_PAGES), ligne["n"])
            for ligne in pages.values("cle").annotate(n=Sum("valeur")).order_by("-n", "cle")
            if ligne["n"]
        ],
        "unite": "pages",
        "graphique": "barres",
    }
    rapport.tableaux["documents"] = {
        "titre": "Documents les plus téléchargés",
        "entete": ["Document", "Téléchargements"],
        "lignes": [
            (f"{ligne['document__titre']} (v{ligne['document__version']})", ligne["n"])
            for ligne in telechargements.values("document__titre", "document__version")
            .annotate(n=Count("pk"))
            .order_by("-n", "document__titre")[:20]
        ],
        "unite": "téléchargements",
        "graphique": "barres",
    }
    rapport.tableaux["discussions_mois"] = {
        "titre": "Messages des discussions par mois",
        "entete": ["Mois", "Messages"],
        "lignes": _par_mois(messages, "created_at", debut, fin),
        "unite": "messages",
        "graphique": "courbe",
    }
    return rapport
