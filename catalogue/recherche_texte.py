"""French text for the catalogue search, the same on SQLite and on PostgreSQL.

A maire types "marchés publics", "voirie", "PLU" or "cyberattaque": the fiche says "marché
public", belongs to "Routes, voirie et mobilités", speaks of "urbanisme" or "informatique".
Both sides of the search go through `normaliser`: words without accents, lower case, French
stop words dropped, each word reduced to its Snowball French stem. A fiche's index text
(`texte_indexe`) also carries its thématique, its mots-clés and the synonyms of the words it
contains (`synonymes.txt`, one group per line), so a query needs no expansion and the two
databases give the same results: PostgreSQL's French configuration receives stems already.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer

FICHIER_SYNONYMES = Path(__file__).with_name("synonymes.txt")

# Words that carry no meaning in a query ("être accompagné dans la passation d'un marché").
MOTS_VIDES = frozenset(
    """
    a afin ai au aux avec c ce ces cet cette comme comment d dans de des du elle elles en est et etre
    eux il ils j je l la le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou par
    pas pour qu que quel quelle quelles quels qui s sa sans se ses son sont sur t ta te tes toi ton
    tu un une vos votre vous y faire mieux tout tous toute toutes voir
    """.split()
)

_MOT = re.compile(r"[^\W_]+")
_racineur = snowballstemmer.stemmer("french")


def sans_accents(texte):
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def mots(texte):
    """The meaningful words of a text, lower case and without accents."""
    return [mot for mot in _MOT.findall(sans_accents(texte or "").lower()) if mot not in MOTS_VIDES]


def racines(texte):
    """The stems of a text's meaningful words, in order (duplicates kept)."""
    return _racineur.stemWords(mots(texte))


def normaliser(texte):
    """The text as the index stores it and as a query is sent: stems separated by spaces."""
    return " ".join(racines(texte))


@lru_cache(maxsize=1)
def groupes_de_synonymes():
    """[[tuple of stems of each expression]] read from synonymes.txt (# starts a comment)."""
    groupes = []
    for ligne in FICHIER_SYNONYMES.read_text(encoding="utf-8").splitlines():
        ligne = ligne.split("#", 1)[0].strip()
        if not ligne:
            continue
        expressions = [tuple(racines(expression)) for expression in ligne.split(",")]
        groupes.append([expression for expression in expressions if expression])
    return groupes


def avec_synonymes(liste_racines):
    """The stems plus those of every synonym group one of whose expressions the text contains."""
    presentes = set(liste_racines)
    ajouts = []
    for groupe in groupes_de_synonymes():
        if any(set(expression) <= presentes for expression in groupe):
            for expression in groupe:
                ajouts.extend(racine for racine in expression if racine not in presentes)
    return list(liste_racines) + ajouts


def texte_indexe(*, titre, etiquettes=(), autres=(), poids_titre=3, poids_etiquettes=2):
    """A fiche's index text. The title weighs most, then its labels (thématique, mots-clés), then
    the rest; each part carries its own synonyms with its own weight, so that a fiche whose title
    says "financements" comes first for "subventions"."""
    parties = [([titre], poids_titre), (etiquettes, poids_etiquettes), (autres, 1)]
    toutes = []
    for textes, poids in parties:
        stems = [racine for texte in textes for racine in racines(texte)]
        toutes += avec_synonymes(stems) * poids
    return " ".join(toutes)
