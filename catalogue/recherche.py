"""Finding a fiche on /catalogue/: filters by thématique, structure, bénéficiaire, nature, and full-text search.

Filters are plain GET parameters with readable values (slugs, codes), so that every
result page has a clean URL that works without JavaScript and can be shared.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import F, Q

from catalogue import recherche_texte
from catalogue.enums import NatureFiche, TypeCollectivite
from catalogue.liens import urls_des_pages
from catalogue.models import FichePage, Structure, StructurePage, Thematique
from catalogue.visibilite import pages_privees, publiques

# "EPCI" is how a maire thinks of its intercommunalité: any of the EPCI types matches.
BENEFICIAIRE_EPCI = "epci"
CHOIX_BENEFICIAIRES = [
    (TypeCollectivite.COMMUNE.value, "Communes"),
    (BENEFICIAIRE_EPCI, "Intercommunalités (EPCI)"),
    (TypeCollectivite.SYNDICAT.value, "Syndicats"),
    (TypeCollectivite.PETR.value, "PETR / pays"),
]


class RechercheForm(forms.Form):
    q = forms.CharField(label="Rechercher une fiche", required=False, max_length=200)
    thematique = forms.ChoiceField(label="Thématique", required=False)
    structure = forms.ChoiceField(label="Structure", required=False)
    beneficiaire = forms.ChoiceField(label="Bénéficiaire", required=False, choices=[("", "Tous")] + CHOIX_BENEFICIAIRES)
    nature = forms.ChoiceField(label="Nature", required=False, choices=[("", "Toutes")] + list(NatureFiche.choices))

    def __init__(self, *args, thematiques=(), structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = [("", "Toutes")] + [(t.slug, t.nom) for t in thematiques]
        self.fields["structure"].choices = [("", "Toutes")] + [(s.slug, s.sigle) for s in structures]


def filter_beneficiaire(queryset, code):
    """Fiches open to a type of collectivité (beneficiaires is a JSON list: match its text)."""
    codes = [t.value for t in TypeCollectivite.epci()] if code == BENEFICIAIRE_EPCI else [code]
    condition = Q()
    for value in codes:
        condition |= Q(beneficiaires__icontains=f'"{value}"')
    return queryset.filter(condition)


def ids_par_pertinence(texte):
    """Ids of live fiches matching a plain French query, best first, and whether they hold all
    its words: when no fiche holds them all, the fiches holding some of them (never a dead end)."""
    requete = recherche_texte.normaliser(texte)
    if not requete:
        return [], True
    fiches = FichePage.objects.live()
    ids = [page.pk for page in fiches.search(requete, order_by_relevance=True)]
    if ids or " " not in requete:
        return ids, True
    return [page.pk for page in fiches.search(requete, operator="or", order_by_relevance=True)], False


_LIBELLES_NATURE = dict(NatureFiche.choices)


@dataclass(frozen=True)
class CarteFiche:
    """A fiche as the catalogue's list shows it, read as plain values: building a few hundred
    Wagtail pages (and their URLs) cost most of the catalogue page's time."""

    pk: int
    title: str
    chapo: str
    url: str
    nature: str
    thematique_id: int | None
    chef_de_file_id: int | None
    sigle_chef_de_file: str | None

    COLONNES = ("pk", "title", "chapo", "url_path", "nature", "thematique_id", "chef_de_file_id")

    def get_nature_display(self):
        return _LIBELLES_NATURE.get(self.nature, self.nature)

    @classmethod
    def depuis(cls, queryset, request=None):
        """Cards of the fiches of a FichePage queryset, in its order."""
        lignes = list(queryset.values(*cls.COLONNES, sigle=F("chef_de_file__structure__sigle")))
        urls = urls_des_pages([ligne["url_path"] for ligne in lignes], request)
        return [
            cls(
                pk=ligne["pk"],
                title=ligne["title"],
                chapo=ligne["chapo"],
                url=urls[ligne["url_path"]],
                nature=ligne["nature"],
                thematique_id=ligne["thematique_id"],
                chef_de_file_id=ligne["chef_de_file_id"],
                sigle_chef_de_file=ligne["sigle"],
            )
            for ligne in lignes
        ]


class RechercheCatalogue:
    """The catalogue index's query: a bound form and the fiches it selects."""

    def __init__(self, data, request=None, prive=None):
        """`request` for the fiches' URLs; `prive`: the private sections already read
        (catalogue.visibilite.pages_privees), else read by the query."""
        self.request = request
        self.prive = prive
        self.thematiques = list(Thematique.objects.all())
        self.structures = list(Structure.objects.filter(page__live=True).order_by("ordre", "nom"))
        self.form = RechercheForm(data or None, thematiques=self.thematiques, structures=self.structures)
        self.valide = self.form.is_valid() if self.form.is_bound else True
        self.criteres = self.form.cleaned_data if self.form.is_bound and self.valide else {}
        self.tous_les_mots = True
        self.nombre = None

    @property
    def texte(self):
        return (self.criteres.get("q") or "").strip()

    @property
    def filtre_actif(self):
        return any(self.criteres.values())

    def thematique_choisie(self):
        slug = self.criteres.get("thematique")
        return next((t for t in self.thematiques if t.slug == slug), None)

    def structure_choisie(self):
        slug = self.criteres.get("structure")
        return next((s for s in self.structures if s.slug == slug), None)

    def fiches(self):
        """Live public fiches matching the criteria, as cards (CarteFiche), in one query."""
        fiches = publiques(FichePage.objects.live(), self.prive)
        thematique = self.thematique_choisie()
        if thematique:
            fiches = fiches.filter(thematique=thematique)
        structure = self.structure_choisie()
        if structure:
            fiches = fiches.filter(
                Q(chef_de_file__structure=structure) | Q(co_chefs_de_file__structure=structure)
            ).distinct()
        if self.criteres.get("beneficiaire"):
            fiches = filter_beneficiaire(fiches, self.criteres["beneficiaire"])
        if self.criteres.get("nature"):
            fiches = fiches.filter(nature=self.criteres["nature"])
        if not self.valide:
            return []
        if self.texte:
            # Search first (only indexed filters are allowed there), then apply the others by id.
            trouvees, self.tous_les_mots = ids_par_pertinence(self.texte)
            rang = {pk: position for position, pk in enumerate(trouvees)}
            cartes = CarteFiche.depuis(fiches.filter(pk__in=trouvees), self.request)
            return sorted(cartes, key=lambda fiche: rang[fiche.pk])
        return CarteFiche.depuis(fiches.order_by("title"), self.request)

    def fiches_par_thematique(self):
        """[(thématique, [fiches])] in the thématiques' order; only thématiques with fiches."""
        groupes = {}
        fiches = self.fiches()
        self.nombre = len(fiches)
        for fiche in fiches:
            groupes.setdefault(fiche.thematique_id, []).append(fiche)
        resultat = [(t, groupes[t.pk]) for t in self.thematiques if t.pk in groupes]
        if None in groupes:
            resultat.append((None, groupes[None]))
        return resultat


def suggestions(texte, limite=8):
    """Fiches to suggest while a maire types: every word typed (accents and case aside) begins a
    word of the fiche's title, or of its title, mots-clés and thématique; title matches first. Read in Python over the live
    fiches (a few hundred rows), so a word still being typed matches on SQLite as on PostgreSQL."""
    debuts = recherche_texte.mots(texte)
    if not debuts or len("".join(debuts)) < 2:
        return []
    fiches = (
        FichePage.objects.live()
        .public()
        .select_related("thematique")
        .prefetch_related("mots_cles")
        .only("id", "title", "url_path", "thematique__nom")
    )
    trouvees = []
    for fiche in fiches:
        mots_titre = recherche_texte.mots(fiche.title)
        etiquettes = [tag.name for tag in fiche.mots_cles.all()] + ([fiche.thematique.nom] if fiche.thematique else [])
        mots_etiquettes = [mot for etiquette in etiquettes for mot in recherche_texte.mots(etiquette)]

        def commence(mots):
            return all(any(mot.startswith(debut) for mot in mots) for debut in debuts)

        if commence(mots_titre):
            trouvees.append((0, fiche.title, fiche))
        elif commence(mots_titre + mots_etiquettes):
            trouvees.append((1, fiche.title, fiche))
    trouvees.sort(key=lambda item: (item[0], item[1]))
    return [fiche for _, _, fiche in trouvees[:limite]]


def contexte_catalogue(page, request, *args, **kwargs):
    """The catalogue index page's context: its search form and results grouped by thématique,
    and the partner pages under it."""
    context = page.get_context(request, *args, **kwargs)
    # The view restrictions, read once for the fiches and the partner pages.
    prive = pages_privees()
    recherche = RechercheCatalogue(request.GET, request, prive=prive)
    context["recherche"] = recherche
    context["groupes"] = recherche.fiches_par_thematique()
    context["structures_pages"] = (
        publiques(StructurePage.objects.live(), prive)
        .child_of(page)
        .select_related("structure")
        .order_by("structure__ordre", "title")
    )
    return context
