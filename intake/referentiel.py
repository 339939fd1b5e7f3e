"""Import of the collectivités referential from Etalab's découpage administratif files."""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from catalogue.enums import TypeCollectivite
from intake.models import Collectivite

TYPES_EPCI = {
    "CC": TypeCollectivite.CC,
    "CA": TypeCollectivite.CA,
    "CU": TypeCollectivite.CU,
    "METRO": TypeCollectivite.METROPOLE,
    "MET69": TypeCollectivite.METROPOLE,
}


class ReferentielError(Exception):
    """The files or the département asked for cannot be imported (message in French)."""


@dataclass
class Bilan:
    creees: int = 0
    mises_a_jour: int = 0
    inchangees: int = 0
    desactivees: int = 0
    communes: int = 0
    epci: int = 0

    def __str__(self):
        return (
            f"{self.communes} communes et {self.epci} EPCI lus : {self.creees} créées, "
            f"{self.mises_a_jour} mises à jour, {self.inchangees} inchangées, {self.desactivees} désactivées."
        )


def _read(source, name):
    path = Path(source) / name
    if not path.is_file():
        raise ReferentielError(f"Fichier introuvable : {path}")
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise ReferentielError(f"Fichier illisible : {path} ({exc})") from exc


def lire_referentiel(departement, source):
    """Rows (dicts of Collectivite fields, with 'epci_code') for one département."""
    departement = str(departement).strip().upper()
    departements = _read(source, "departements.json")
    if departement not in {row["code"] for row in departements}:
        raise ReferentielError(f"Département inconnu : « {departement} ». Indiquez un code comme 31, 2A ou 974.")
    communes = [
        row
        for row in _read(source, "communes.json")
        if row.get("departement") == departement and row.get("type") == "commune-actuelle"
    ]
    if not communes:
        raise ReferentielError(f"Aucune commune du département {departement} dans {source}.")
    codes = {row["code"] for row in communes}
    epci_of_commune = {}
    rows = []
    for epci in _read(source, "epci.json"):
        members = [member["code"] for member in epci.get("membres", [])]
        if not codes.intersection(members):
            continue
        # An EPCI may straddle two départements: it belongs to the one of most members.
        majority = Counter(code[:3] if code.startswith("97") else code[:2] for code in members).most_common(1)[0][0]
        for code in members:
            epci_of_commune[code] = epci["code"]
        rows.append(
            {
                "code": epci["code"],
                "siren": epci["code"],
                "nom": epci["nom"],
                "type": TYPES_EPCI.get(epci.get("type"), TypeCollectivite.AUTRE),
                "population": epci.get("populationTotale") or epci.get("populationMunicipale"),
                "codes_postaux": [],
                "departement": majority,
                "epci_code": None,
            }
        )
    for commune in communes:
        rows.append(
            {
                "code": commune["code"],
                "siren": commune.get("siren", ""),
                "nom": commune["nom"],
                "type": TypeCollectivite.COMMUNE,
                "population": commune.get("population"),
                "codes_postaux": sorted(commune.get("codesPostaux", [])),
                "departement": departement,
                "epci_code": epci_of_commune.get(commune["code"]),
            }
        )
    return departement, rows


@transaction.atomic
def importer_collectivites(departement, source):
    """Create or update the communes and EPCI of a département; importing twice changes nothing."""
    departement, rows = lire_referentiel(departement, source)
    bilan = Bilan()
    existing = {c.code: c for c in Collectivite.objects.filter(code__in=[row["code"] for row in rows])}
    # EPCI first, so that communes can point to them.
    rows.sort(key=lambda row: row["type"] == TypeCollectivite.COMMUNE)
    for row in rows:
        epci_code = row.pop("epci_code")
        row["epci"] = existing.get(epci_code) if epci_code else None
        row["active"] = True
        if row["type"] == TypeCollectivite.COMMUNE:
            bilan.communes += 1
        else:
            bilan.epci += 1
        collectivite = existing.get(row["code"])
        if collectivite is None:
            collectivite = Collectivite(**row)
            collectivite._change_reason = "Import du référentiel"
            collectivite.save()
            existing[row["code"]] = collectivite
            bilan.creees += 1
            continue
        changed = [field for field, value in row.items() if getattr(collectivite, field) != value]
        if changed:
            for field in changed:
                setattr(collectivite, field, row[field])
            collectivite._change_reason = "Import du référentiel"
            collectivite.save()
            bilan.mises_a_jour += 1
        else:
            bilan.inchangees += 1
    communes_disparues = (
        Collectivite.objects.communes()
        .filter(departement=departement, active=True)
        .exclude(code__in=[row["code"] for row in rows])
    )
    for collectivite in communes_disparues:
        collectivite.active = False
        collectivite._change_reason = "Absente du référentiel importé"
        collectivite.save()
        bilan.desactivees += 1
    return bilan
