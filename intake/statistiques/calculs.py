"""Figures of the platform: counts, deadlines, medians, catalogue gaps, open data.

Everything is computed in Python over the rows of the period (a few thousand a year), so
medians behave the same on SQLite and PostgreSQL. Callers decide the scope (catalogue.roles);
this module only computes.
"""

import datetime
import statistics
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from catalogue.enums import DELAI_RAPPEL_JOURS, TypeCollectivite, delai_rappel_jours
from catalogue.models import FichePage
from intake.models import Collectivite, Demande
from intake.suivi.satisfaction import resultats

MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
SANS_THEMATIQUE = "Sans thématique"
DEMANDE_LIBRE = "Demande libre (sans fiche)"
NON_ATTRIBUEE = "Non attribuée"
TOUTES = "toutes"
SANS_EPCI = "Hors EPCI"

CHAMPS = [
    "pk",
    "statut",
    "source",
    "created_at",
    "premier_contact_le",
    "echeance_premier_contact",
    "cloturee_le",
    "fiche_id",
    "fiche__title",
    "fiche__nature",
    "thematique_id",
    "thematique__nom",
    "direction_id",
    "direction__nom",
    "direction__sigle",
    "direction__structure_id",
    "direction__structure__sigle",
    "type_collectivite",
    "collectivite_id",
    "collectivite__nom",
    "collectivite__type",
    "collectivite__epci_id",
    "collectivite__epci__nom",
]


@dataclass
class Filtres:
    """The period (creation date, inclusive bounds) and the optional filters of a statistics query.

    `directions` restricts to demandes led by these directions; `structures` to the demandes whose
    chef de file direction or one of whose associated directions belongs to these structures (a
    network member's own scope).
    """

    debut: datetime.date
    fin: datetime.date
    thematique: object = None
    structure: object = None
    direction: object = None
    epci: object = None
    source: str = ""
    directions: frozenset | None = None
    structures: frozenset | None = None

    @classmethod
    def annee(cls, annee, **kwargs):
        return cls(debut=datetime.date(annee, 1, 1), fin=datetime.date(annee, 12, 31), **kwargs)


@dataclass
class Tableau:
    """One table of figures, shown as a chart with the table beside it and exported as CSV."""

    slug: str
    titre: str
    colonne: str
    lignes: list
    graphique: str = "barres"
    unite: str = "demandes"
    note: str = ""

    @property
    def total(self):
        return sum(valeur or 0 for _, valeur in self.lignes)


@dataclass
class Statistiques:
    filtres: Filtres
    total: int
    tableaux: "OrderedDict[str, Tableau]"
    delais: dict
    lacunes: dict = field(default_factory=dict)


def demandes_filtrees(filtres):
    """The demandes filed in the period, narrowed by the filters and the scope."""
    qs = Demande.objects.filter(created_at__date__gte=filtres.debut, created_at__date__lte=filtres.fin)
    if filtres.thematique:
        qs = qs.filter(thematique=filtres.thematique)
    if filtres.structure:
        qs = qs.filter(direction__structure=filtres.structure)
    if filtres.direction:
        qs = qs.filter(direction=filtres.direction)
    if filtres.epci:
        qs = qs.filter(collectivite__epci=filtres.epci) | qs.filter(collectivite=filtres.epci)
    if filtres.source:
        qs = qs.filter(source=filtres.source)
    if filtres.directions is not None:
        qs = qs.filter(direction_id__in=filtres.directions)
    if filtres.structures is not None:
        # A subquery rather than a join on the associated directions: one row per demande.
        associees = Demande.directions_associees.through.objects.filter(
            direction__structure_id__in=filtres.structures
        ).values("demande_id")
        qs = qs.filter(Q(direction__structure_id__in=filtres.structures) | Q(pk__in=associees))
    return qs


def lignes(filtres):
    return list(demandes_filtrees(filtres).values(*CHAMPS).order_by("created_at", "pk"))


def _compter(rows, cle):
    compte = Counter(cle(row) for row in rows)
    return sorted(compte.items(), key=lambda item: (-item[1], item[0]))


def _direction(row):
    if not row["direction_id"]:
        return NON_ATTRIBUEE
    return f"{row['direction__sigle'] or row['direction__nom']} ({row['direction__structure__sigle']})"


def _epci(row):
    if row["collectivite__type"] in TypeCollectivite.epci():
        return row["collectivite__nom"]
    return row["collectivite__epci__nom"] or SANS_EPCI


def delai_jours(row):
    """The promised delay of a demande: 3 days for an urgent fiche, 10 otherwise (free requests too)."""
    return delai_rappel_jours(row["fiche__nature"] if row["fiche_id"] else None)


def _jours(debut, fin):
    return (fin - debut).days


def _date_locale(valeur):
    return timezone.localdate(valeur) if isinstance(valeur, datetime.datetime) else valeur


def indicateurs_delais(rows, aujourd_hui=None):
    """Share of first contacts in time, by promised delay, and the median times.

    A demande counts once its outcome is known: contacted, or its deadline passed without
    contact (late). Demandes still within their deadline are left out.
    """
    aujourd_hui = aujourd_hui or timezone.localdate()
    parts = {}
    for delai in [TOUTES, *sorted(set(DELAI_RAPPEL_JOURS.values()))]:
        concernees = [row for row in rows if delai == TOUTES or delai_jours(row) == delai]
        echues = [
            row
            for row in concernees
            if row["premier_contact_le"] is not None or row["echeance_premier_contact"] < aujourd_hui
        ]
        a_temps = [
            row
            for row in echues
            if row["premier_contact_le"] is not None and row["premier_contact_le"] <= row["echeance_premier_contact"]
        ]
        parts[delai] = {
            "echues": len(echues),
            "a_temps": len(a_temps),
            "part": round(100 * len(a_temps) / len(echues), 1) if echues else None,
        }
    contacts = [
        _jours(_date_locale(row["created_at"]), row["premier_contact_le"]) for row in rows if row["premier_contact_le"]
    ]
    clotures = [
        _jours(_date_locale(row["created_at"]), _date_locale(row["cloturee_le"]))
        for row in rows
        if row["cloturee_le"] and row["statut"] in Demande.STATUTS_CLOS
    ]
    return {
        "parts": parts,
        "global": parts[TOUTES],
        "mediane_premier_contact": statistics.median(contacts) if contacts else None,
        "nombre_premier_contact": len(contacts),
        "mediane_cloture": statistics.median(clotures) if clotures else None,
        "nombre_cloture": len(clotures),
    }


def mois_de_la_periode(debut, fin):
    mois = []
    courant = debut.replace(day=1)
    while courant <= fin:
        mois.append(courant)
        courant = (courant + datetime.timedelta(days=32)).replace(day=1)
    return mois


def libelle_mois(date):
    return f"{MOIS[date.month - 1]} {date.year}"


def evolution_mensuelle(rows, debut, fin):
    compte = Counter(_date_locale(row["created_at"]).replace(day=1) for row in rows)
    return [(libelle_mois(mois), compte.get(mois, 0)) for mois in mois_de_la_periode(debut, fin)]


def calculer(filtres, aujourd_hui=None, avec_lacunes=True):
    """All the figures of the back-office statistics page for these filters."""
    rows = lignes(filtres)
    tableaux = OrderedDict()

    def ajouter(tableau):
        tableaux[tableau.slug] = tableau

    par_statut = Counter(row["statut"] for row in rows)
    ajouter(
        Tableau(
            "statut",
            "Demandes par statut",
            "Statut",
            [(libelle, par_statut.get(valeur, 0)) for valeur, libelle in Demande.Statut.choices],
        )
    )
    ajouter(
        Tableau(
            "mois",
            "Évolution mensuelle des demandes déposées",
            "Mois",
            evolution_mensuelle(rows, filtres.debut, filtres.fin),
            graphique="courbe",
        )
    )
    ajouter(
        Tableau(
            "thematique",
            "Demandes par thématique",
            "Thématique",
            _compter(rows, lambda r: r["thematique__nom"] or SANS_THEMATIQUE),
        )
    )
    ajouter(
        Tableau("fiche", "Demandes par fiche", "Fiche", _compter(rows, lambda r: r["fiche__title"] or DEMANDE_LIBRE))
    )
    ajouter(
        Tableau(
            "structure",
            "Demandes par structure",
            "Structure",
            _compter(rows, lambda r: r["direction__structure__sigle"] or NON_ATTRIBUEE),
        )
    )
    ajouter(Tableau("direction", "Demandes par direction chef de file", "Direction", _compter(rows, _direction)))
    types = dict(TypeCollectivite.choices)
    ajouter(
        Tableau(
            "type_collectivite",
            "Demandes par type de collectivité",
            "Type de collectivité",
            _compter(rows, lambda r: types.get(r["type_collectivite"], r["type_collectivite"])),
        )
    )
    ajouter(
        Tableau(
            "source",
            "Demandes par origine",
            "Origine",
            _compter(rows, lambda r: dict(Demande.Source.choices).get(r["source"], r["source"])),
        )
    )
    ajouter(Tableau("epci", "Demandes par EPCI", "EPCI", _compter(rows, _epci)))
    ajouter(
        Tableau(
            "commune",
            "Demandes par commune",
            "Commune",
            _compter(
                [r for r in rows if r["collectivite__type"] == TypeCollectivite.COMMUNE],
                lambda r: r["collectivite__nom"],
            ),
        )
    )

    delais = indicateurs_delais(rows, aujourd_hui)
    ajouter(
        Tableau(
            "delais",
            "Premier contact dans les délais",
            "Délai promis",
            [
                (
                    f"{delai} jours" if delai != TOUTES else "Toutes les demandes",
                    valeurs["part"] if valeurs["part"] is not None else 0,
                )
                for delai, valeurs in delais["parts"].items()
            ],
            unite="%",
            note="Part des demandes contactées au plus tard à l'échéance, parmi celles contactées ou dont l'échéance est passée.",
        )
    )

    stats = Statistiques(filtres=filtres, total=len(rows), tableaux=tableaux, delais=delais)
    if avec_lacunes:
        stats.lacunes = lacunes_catalogue(filtres, rows)
        tableaux["libres_thematique"] = stats.lacunes["thematiques_libres"]
    return stats


def lacunes_catalogue(filtres, rows):
    """What the yearly catalogue review should look at: unused fiches, free requests, silent communes."""
    fiches = FichePage.objects.live().select_related("thematique", "chef_de_file__structure")
    if filtres.thematique:
        fiches = fiches.filter(thematique=filtres.thematique)
    if filtres.structure:
        fiches = fiches.filter(chef_de_file__structure=filtres.structure)
    if filtres.direction:
        fiches = fiches.filter(chef_de_file=filtres.direction)
    if filtres.directions is not None:
        fiches = fiches.filter(chef_de_file_id__in=filtres.directions)
    if filtres.structures is not None:
        fiches = fiches.filter(chef_de_file__structure_id__in=filtres.structures)
    utilisees = {row["fiche_id"] for row in rows if row["fiche_id"]}
    fiches_sans_demande = [fiche for fiche in fiches.order_by("title") if fiche.pk not in utilisees]

    libres = [row for row in rows if not row["fiche_id"]]
    communes = Collectivite.objects.communes().filter(active=True, departement=settings.PLATEFORME["DEPARTEMENT_CODE"])
    if filtres.epci:
        communes = communes.filter(epci=filtres.epci)
    deja = Demande.objects.values("collectivite_id")
    communes_sans_demande = list(communes.exclude(pk__in=deja).select_related("epci").order_by("nom"))
    return {
        "fiches_sans_demande": fiches_sans_demande,
        "nombre_libres": len(libres),
        "part_libres": round(100 * len(libres) / len(rows), 1) if rows else None,
        "thematiques_libres": Tableau(
            "libres_thematique",
            "Thématiques des demandes libres",
            "Thématique",
            _compter(libres, lambda r: r["thematique__nom"] or SANS_THEMATIQUE),
        ),
        "communes_sans_demande": communes_sans_demande,
    }


# --- Public figures and open data ------------------------------------------------------


def seuil_opendata():
    return settings.INTAKE_OPENDATA_SEUIL


def regrouper_territoires(rows, seuil=None):
    """Demandes per commune and per EPCI, with the small-count rule of the README.

    A commune with fewer than `seuil` demandes is not named: its demandes go to
    "Autres communes — <EPCI>"; if that row is still below the threshold it goes to
    "Autres communes du département". A remainder made of a single commune is not
    published (secret), so no cell isolates one small commune. EPCIs below the
    threshold are merged into "Autres EPCI" the same way.
    """
    seuil = seuil or seuil_opendata()
    par_commune = Counter()
    epci_de = {}
    for row in rows:
        if row["collectivite__type"] == TypeCollectivite.COMMUNE:
            par_commune[row["collectivite__nom"]] += 1
            epci_de[row["collectivite__nom"]] = row["collectivite__epci__nom"] or SANS_EPCI
    communes = []
    par_epci_reste = {}
    for nom, nombre in sorted(par_commune.items()):
        if nombre >= seuil:
            communes.append((nom, nombre, 1))
        else:
            nombre_reste, contributeurs = par_epci_reste.get(epci_de[nom], (0, 0))
            par_epci_reste[epci_de[nom]] = (nombre_reste + nombre, contributeurs + 1)
    reste_departement = [0, 0]
    for epci, (nombre, contributeurs) in sorted(par_epci_reste.items()):
        if nombre >= seuil and contributeurs > 1:
            communes.append((f"Autres communes — {epci}", nombre, contributeurs))
        else:
            reste_departement[0] += nombre
            reste_departement[1] += contributeurs
    if reste_departement[0]:
        communes.append(("Autres communes du département", reste_departement[0], reste_departement[1]))

    par_epci = Counter(_epci(row) for row in rows)
    epcis = []
    reste = [0, 0]
    for nom, nombre in sorted(par_epci.items()):
        if nombre >= seuil:
            epcis.append((nom, nombre, 1))
        else:
            reste[0] += nombre
            reste[1] += 1
    if reste[0]:
        epcis.append(("Autres EPCI et collectivités", reste[0], reste[1]))

    def publier(triplets):
        # A merged row made of a single territory below the threshold would isolate it.
        return [
            (nom, nombre if (nombre >= seuil or contributeurs > 1) else None) for nom, nombre, contributeurs in triplets
        ]

    return {"commune": publier(communes), "epci": publier(epcis)}


def chiffres_publics(annee, aujourd_hui=None):
    """The anonymous figures of one calendar year for the public page and the open-data file."""
    filtres = Filtres.annee(annee)
    filtres.fin = min(filtres.fin, aujourd_hui or timezone.localdate())
    stats = calculer(filtres, aujourd_hui=aujourd_hui, avec_lacunes=False)
    rows = lignes(filtres)
    territoires = regrouper_territoires(rows)
    public = OrderedDict()
    for slug in ["mois", "thematique", "structure", "type_collectivite", "statut"]:
        public[slug] = stats.tableaux[slug]
    public["epci"] = Tableau("epci", "Demandes par intercommunalité", "Intercommunalité", territoires["epci"])
    public["commune"] = Tableau("commune", "Demandes par commune", "Commune", territoires["commune"])
    libres = sum(1 for row in rows if not row["fiche_id"])
    return {
        "annee": annee,
        "total": stats.total,
        "libres": libres,
        "part_libres": round(100 * libres / stats.total, 1) if stats.total else None,
        "delais": stats.delais,
        "tableaux": public,
    }


def chiffres_reseau(filtres, aujourd_hui=None):
    """The platform-wide figures every network member reads beside its own scope: counts by
    thématique, statut and territory (small-count rule of the public figures) and the share of
    first contacts in time. No scope, no direction, no personal field."""
    filtres = Filtres(
        debut=filtres.debut, fin=filtres.fin, thematique=filtres.thematique, epci=filtres.epci, source=filtres.source
    )
    stats = calculer(filtres, aujourd_hui=aujourd_hui, avec_lacunes=False)
    territoires = regrouper_territoires(lignes(filtres))
    tableaux = OrderedDict(
        (f"reseau_{slug}", Tableau(f"reseau_{slug}", titre, colonne, lignes_))
        for slug, titre, colonne, lignes_ in [
            (
                "thematique",
                "Toute la plateforme : demandes par thématique",
                "Thématique",
                stats.tableaux["thematique"].lignes,
            ),
            ("statut", "Toute la plateforme : demandes par statut", "Statut", stats.tableaux["statut"].lignes),
            ("epci", "Toute la plateforme : demandes par intercommunalité", "Intercommunalité", territoires["epci"]),
            ("commune", "Toute la plateforme : demandes par commune", "Commune", territoires["commune"]),
        ]
    )
    delais = stats.tableaux["delais"]
    tableaux["reseau_delais"] = Tableau(
        "reseau_delais",
        "Toute la plateforme : premier contact dans les délais",
        delais.colonne,
        delais.lignes,
        unite="%",
        note=delais.note,
    )
    return {"total": stats.total, "delais": stats.delais, "tableaux": tableaux}


def annees_disponibles():
    premiere = Demande.objects.order_by("created_at").values_list("created_at", flat=True).first()
    derniere = timezone.localdate().year
    if premiere is None:
        return [derniere]
    return list(range(derniere, timezone.localdate(premiere).year - 1, -1))


ENTETE_OPENDATA = ["annee", "indicateur", "categorie", "valeur", "unite", "secret_statistique"]


def lignes_opendata(annees=None, aujourd_hui=None):
    """Rows of the open-data CSV: one aggregated figure per line, no personal field, no text."""
    for annee in annees or annees_disponibles():
        chiffres = chiffres_publics(annee, aujourd_hui=aujourd_hui)
        yield [annee, "demandes_deposees", "total", chiffres["total"], "demandes", "non"]
        yield [annee, "demandes_libres", "total", chiffres["libres"], "demandes", "non"]
        for delai, valeurs in chiffres["delais"]["parts"].items():
            categorie = f"delai_{delai}_jours" if delai != TOUTES else TOUTES
            part = valeurs["part"]
            yield [annee, "premier_contact_dans_les_delais", categorie, "" if part is None else part, "pourcent", "non"]
        for cle, indicateur in [
            ("mediane_premier_contact", "mediane_jours_premier_contact"),
            ("mediane_cloture", "mediane_jours_cloture"),
        ]:
            valeur = chiffres["delais"][cle]
            yield [annee, indicateur, "toutes", "" if valeur is None else valeur, "jours", "non"]
        for slug, tableau in chiffres["tableaux"].items():
            for libelle, valeur in tableau.lignes:
                secret = valeur is None
                yield [
                    annee,
                    f"demandes_par_{slug}",
                    libelle,
                    "" if secret else valeur,
                    "demandes",
                    "oui" if secret else "non",
                ]


# --- Satisfaction survey -----------------------------------------------------------


def satisfaction(filtres):
    """Average score (1 to 5) and number of answers of the satisfaction survey, overall and by
    structure, direction and fiche, over the demandes of the same filters and scope."""

    def sans_prefixe(cle):
        return lambda row: cle({k.removeprefix("demande__"): v for k, v in row.items()})

    return resultats(
        demandes_filtrees(filtres),
        {
            "Structure": sans_prefixe(lambda r: r["direction__structure__sigle"] or NON_ATTRIBUEE),
            "Direction": sans_prefixe(_direction),
            "Fiche": sans_prefixe(lambda r: r["fiche__title"] or DEMANDE_LIBRE),
        },
    )
