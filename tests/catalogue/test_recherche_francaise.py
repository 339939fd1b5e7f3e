"""The catalogue search in plain French, on the real catalogue, the same on SQLite and PostgreSQL
(CI runs this module on both): accents, plurals, word forms, thématique names, synonyms."""

import pytest

from catalogue import recherche_texte
from catalogue.models import FichePage, Thematique
from catalogue.recherche import ids_par_pertinence
from operations.donnees_initiales import catalogue as initial_data

pytestmark = pytest.mark.django_db

PASSATION = "Être accompagné dans la passation d'un marché public"
PLANIFICATION = "Bénéficier d'une assistance en matière de planification : PLUi/PLU/cartes communales"
CYBER = "Protéger la mairie contre les cyberattaques"
ECLAIRAGE = "Rénover l'éclairage public et réduire la facture d'énergie"
EQUIPEMENT = "Être accompagné dans un projet d'équipement public"
TRAVERSEE = "Sécuriser une traversée d'agglomération sur route départementale"
FIBRE = "Raccorder la commune et ses bâtiments publics à la fibre optique"
ASSAINISSEMENT = "Créer ou réhabiliter un système d'assainissement collectif"
BOURG = "Élaborer un projet de revitalisation de bourg centre"
VELO = (
    "Aménager une voie cyclable ou un itinéraire de mobilité douce",
    "Aménager un itinéraire de randonnée ou de vélo touristique",
)

# (what a maire types, the fiche expected first — or the fiches expected first, in any order).
REQUETES = [
    ("marchés publics", PASSATION),
    ("marche public", PASSATION),
    ("MARCHÉS PUBLICS", PASSATION),
    ("passation d'un marché", PASSATION),
    ("appel d'offres", PASSATION),
    ("voirie", TRAVERSEE),
    ("sécurité routière", TRAVERSEE),
    ("traversée d'agglomération", TRAVERSEE),
    ("PLU", PLANIFICATION),
    ("plui", PLANIFICATION),
    ("urbanisme", PLANIFICATION),
    ("carte communale", PLANIFICATION),
    ("cyber", CYBER),
    ("cyberattaque", CYBER),
    ("informatique", CYBER),
    ("rançongiciel", CYBER),
    ("pistes cyclables", VELO),
    ("eclairage", ECLAIRAGE),
    ("éclairage public", ECLAIRAGE),
    ("lampadaires", ECLAIRAGE),
    ("école", EQUIPEMENT),
    ("salle des fêtes", EQUIPEMENT),
    ("cantine", "Développer une alimentation locale et durable en restauration collective"),
    (
        "subventions",
        "Connaître les possibilités de financements du Département relatifs à des travaux, achats, équipements publics…",
    ),
    ("assainissement", ASSAINISSEMENT),
    ("station d'épuration", ASSAINISSEMENT),
    ("déchets", "Réduire et mieux collecter les déchets ménagers"),
    ("poteaux incendie", "Mettre en conformité la défense extérieure contre l'incendie"),
    ("recruter un agent", "Recruter un agent ou organiser un remplacement"),
    ("fibre", FIBRE),
    ("internet", FIBRE),
    ("église", "Valoriser et restaurer le patrimoine bâti communal"),
    ("tourisme", "Développer un projet touristique ou un hébergement"),
    ("randonnée", "Aménager un itinéraire de randonnée ou de vélo touristique"),
    ("inondations", "Gérer les eaux pluviales et prévenir le ruissellement"),
    ("eau potable", "Diagnostiquer et sécuriser son réseau d'eau potable"),
    ("riviere", "Entretenir et restaurer les rivières et zones humides"),
    ("habitat indigne", "Lutter contre l'habitat indigne et accompagner la rénovation des logements"),
    ("participation citoyenne", "Mettre en place une démarche de participation citoyenne"),
    ("égalité femmes hommes", "Agir pour l'égalité entre les femmes et les hommes dans sa collectivité"),
    ("open data", "Ouvrir et valoriser les données publiques de sa collectivité"),
    ("centre-bourg", BOURG),
    ("bourg centre", BOURG),
    ("plan communal de sauvegarde", "Préparer un plan communal de sauvegarde"),
    ("ERP", "Sécuriser un établissement recevant du public"),
    ("photovoltaïque", "Installer des énergies renouvelables sur le patrimoine communal"),
    ("transition écologique", "Engager la transition écologique de sa collectivité"),
    ("conseil juridique", "Bénéficier d'un conseil juridique pour mieux décider"),
    ("architecte", "Bénéficier d'un conseil architectural pour un bâtiment public"),
    ("médiathèque", "Développer la lecture publique et un projet culturel de territoire"),
    ("santé au travail", "Prévenir les risques professionnels et améliorer la santé au travail"),
]


@pytest.fixture
def catalogue_reel(home_page):
    initial_data.load_organisation()
    initial_data.load_thematiques()
    initial_data.load_catalogue_pages(home_page)
    initial_data.load_catalogue_contenu()
    return dict(FichePage.objects.values_list("pk", "title"))


def premiers(titres, requete, nombre):
    ids, _ = ids_par_pertinence(requete)
    return [titres[pk] for pk in ids[:nombre]]


def test_real_queries_find_their_fiche_first(catalogue_reel):
    assert len(REQUETES) >= 30
    echecs = []
    for requete, attendu in REQUETES:
        attendus = set(attendu) if isinstance(attendu, tuple) else {attendu}
        obtenus = premiers(catalogue_reel, requete, len(attendus))
        if set(obtenus) != attendus:
            echecs.append(f"« {requete} » : attendu {sorted(attendus)}, obtenu {obtenus}")
    assert not echecs, "\n".join(echecs)


def test_voirie_finds_every_fiche_of_the_routes_thematique(catalogue_reel):
    thematique = Thematique.objects.get(nom="Routes, voirie et mobilités")
    attendues = set(FichePage.objects.live().filter(thematique=thematique).values_list("title", flat=True))
    assert len(attendues) >= 2
    assert attendues <= set(premiers(catalogue_reel, "voirie", 10))


def test_catalogue_page_shows_the_count_and_the_query_first(client, catalogue_reel):
    html = client.get("/catalogue/", {"q": "marchés publics"}).content.decode()
    assert "fiches</strong> pour « marchés publics »" in html or "fiche</strong> pour « marchés publics »" in html
    assert html.index("bilan-recherche") < html.index('class="recherche-catalogue"')
    assert "passation d&#x27;un <mark>marché</mark> <mark>public</mark>" in html


def test_no_fiche_holds_every_word_then_fiches_holding_some_are_offered(client, catalogue_reel):
    ids, tous_les_mots = ids_par_pertinence("vélo piscine")
    assert not tous_les_mots
    assert set(VELO) <= {catalogue_reel[pk] for pk in ids}
    html = client.get("/catalogue/", {"q": "vélo piscine"}).content.decode()
    assert "Aucune fiche ne contient tous ces mots" in html


def test_a_query_of_stop_words_only_finds_nothing_without_error(client, catalogue_reel):
    assert ids_par_pertinence("de la pour les") == ([], True)
    response = client.get("/catalogue/", {"q": "de la"})
    assert response.status_code == 200
    assert "Faire une demande libre" in response.content.decode()


def test_api_search_of_fiches_uses_the_same_french_rules(client, catalogue_reel):
    response = client.get(
        "/api/v2/pages/", {"type": "catalogue.FichePage", "search": "marchés publics", "fields": "title"}
    )
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == PASSATION


def test_normalisation_drops_accents_case_plurals_and_stop_words():
    assert recherche_texte.normaliser("Les MARCHÉS publics") == recherche_texte.normaliser("marche public")
    assert recherche_texte.normaliser("d'un marché") == recherche_texte.normaliser("marché")
    assert recherche_texte.normaliser("de la pour") == ""


def test_a_fiche_containing_one_synonym_is_indexed_with_the_whole_group():
    texte = recherche_texte.texte_indexe(titre="Protéger la mairie", autres=["Sauvegarde du système informatique"])
    for synonyme in ("cyber", "cyberattaque", "rançongiciel"):
        assert recherche_texte.normaliser(synonyme) in texte.split()
    assert recherche_texte.normaliser("urbanisme") not in texte.split()


def test_matched_words_are_highlighted_and_the_rest_is_escaped():
    from catalogue.templatetags.catalogue_tags import surligner

    html = surligner("Les marchés <b>publics</b> & la voirie", "marche public")
    assert html == "Les <mark>marchés</mark> &lt;b&gt;<mark>publics</mark>&lt;/b&gt; &amp; la voirie"
    assert surligner("Texte <i>", "") == "Texte <i>"


def test_suggestions_match_words_being_typed_title_first(catalogue_reel):
    from catalogue.recherche import suggestions

    assert [fiche.title for fiche in suggestions("passation marc")] == [PASSATION]
    assert CYBER in [fiche.title for fiche in suggestions("cyber")]
    # "voiri" begins no title word: the fiches of "Routes, voirie et mobilités" come from their thématique.
    assert TRAVERSEE in [fiche.title for fiche in suggestions("voiri")]
    titres = [fiche.title for fiche in suggestions("ecla")]
    assert titres[0] == ECLAIRAGE
    assert suggestions("x") == [] and suggestions("de la") == []
    assert len(suggestions("e", limite=8)) == 0
    assert len(suggestions("am", limite=3)) <= 3


def test_suggestions_endpoint_answers_json_with_titles_and_links(client, catalogue_reel):
    response = client.get("/catalogue/suggestions/", {"q": "marché pub"})
    assert response.status_code == 200
    [premiere] = [s for s in response.json()["suggestions"] if s["titre"] == PASSATION]
    assert premiere["url"].startswith("/catalogue/")
    assert client.get("/catalogue/suggestions/", {"q": "<script>" * 50}).json() == {"suggestions": []}
    assert client.post("/catalogue/suggestions/", {"q": "marché"}).status_code == 405
