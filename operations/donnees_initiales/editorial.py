"""Loaders of the editorial site's initial data from fixtures/actualites/ (each idempotent).

Pages are found by slug under their parent and created only when missing, so that
editors' changes survive a second `load_initial_data`.
"""

import datetime
import json

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from actualites.models import (
    ActualiteIndexPage,
    ActualitePage,
    AgendaPage,
    EvenementPage,
    HomePage,
    ParametresSite,
    RessourceIndexPage,
    RessourcePage,
    StandardPage,
    collection_reservee,
)
from catalogue.dates import date_fr
from catalogue.models import Structure, Thematique
from intake.models import Collectivite


@transaction.atomic
def load_site():
    """The home page at the root of the default Site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Accueil",
            slug="accueil",
            introduction=(
                "<p>La plateforme d'appui aux territoires réunit l'ingénierie du Département et de ses "
                "partenaires au service des communes et des intercommunalités.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page = "localhost", 80, home
    site.site_name = settings.PLATEFORME["NOM"]
    site.save()
    # Wagtail's welcome page, if still there, is no longer reachable: remove it.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    return home


def _dossier():
    return settings.FIXTURES_DIR / "actualites"


def _contenu():
    with (_dossier() / "contenu.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _image(fichier, titre, description=""):
    Image = get_image_model()
    image = Image.objects.filter(title=titre).first()
    if image is None:
        with (_dossier() / fichier).open("rb") as handle:
            image = Image(title=titre, description=description)
            image.file.save(fichier.split("/")[-1], File(handle), save=False)
            image.save()
    return image


def _document(fichier, titre, collection=None):
    Document = get_document_model()
    document = Document.objects.filter(title=titre).first()
    if document is None:
        with (_dossier() / "documents" / fichier).open("rb") as handle:
            document = Document(title=titre)
            if collection is not None:
                document.collection = collection
            document.file.save(fichier, File(handle), save=False)
            document.save()
    return document


def _enfant(parent, modele, slug, **valeurs):
    """The live child page `slug` of `parent`, created and published if missing."""
    page = modele.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page, False
    relations = {nom: valeurs.pop(nom) for nom in ("thematiques", "structures") if nom in valeurs}
    page = modele(slug=slug, **valeurs)
    for nom, objets in relations.items():
        getattr(page, nom).set(objets)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _corps(ligne):
    blocs = []
    paragraphes = list(ligne.get("paragraphes", []))
    if paragraphes:
        blocs.append(("paragraphe", f"<p>{paragraphes.pop(0)}</p>"))
    if ligne.get("intertitre"):
        blocs.append(("intertitre", {"texte": ligne["intertitre"], "niveau": "h2"}))
    blocs += [("paragraphe", f"<p>{texte}</p>") for texte in paragraphes]
    if ligne.get("citation"):
        blocs.append(("citation", {"citation": ligne["citation"]["texte"], "source": ligne["citation"]["source"]}))
    return blocs


def _liens(ligne):
    return {
        "thematiques": list(Thematique.objects.filter(nom__in=ligne.get("thematiques", []))),
        "structures": list(Structure.objects.filter(sigle__in=ligne.get("structures", []))),
    }


def _il_y_a(jours):
    return timezone.localdate() - datetime.timedelta(days=jours)


@transaction.atomic
def load_contenu_editorial(home):
    """Home page texts, standard pages, ~12 actualités, 6 events, 10 ressources, menus and partner logos."""
    contenu = _contenu()
    crees = 0
    images = {}
    for ligne in contenu["images"]:
        images[ligne["fichier"]] = (_image(f"images/{ligne['fichier']}", ligne["titre"], ligne["alt"]), ligne["alt"])

    for structure in Structure.objects.filter(logo__isnull=True):
        fichier = _dossier() / "logos" / f"{slugify(structure.sigle)}.png"
        if fichier.exists():
            structure.logo = _image(f"logos/{fichier.name}", f"Logo {structure.sigle}", structure.nom)
            structure._change_reason = "Données initiales : logo"
            structure.save(update_fields=["logo"])

    if not home.presentation:
        home.introduction = contenu["accueil"]["introduction"]
        home.presentation = contenu["accueil"]["presentation"]
        home.search_description = (
            "Le catalogue de l'ingénierie du Département et de ses partenaires pour les communes et les "
            "intercommunalités : chercher un accompagnement, faire une demande, suivre l'actualité."
        )
        home.save_revision().publish()

    actualites, cree = _enfant(
        home,
        ActualiteIndexPage,
        "actualites",
        title="Actualités",
        show_in_menus=True,
        introduction="<p>La vie de la plateforme : nouvelles fiches, projets exemplaires, rencontres et appels à projets.</p>",
    )
    crees += cree
    for ligne in contenu["actualites"]:
        image, alt = images.get(ligne.get("image"), (None, ""))
        genre = ligne.get("genre", ActualitePage.Genre.ACTUALITE)
        collectivite = None
        if genre == ActualitePage.Genre.PROJET_EXEMPLAIRE:
            collectivite = Collectivite.objects.communes().filter(nom=ligne["collectivite"]).first()
            if collectivite is None:
                genre = ActualitePage.Genre.ACTUALITE  # referential not loaded: still a valid article
        _, cree = _enfant(
            actualites,
            ActualitePage,
            ligne["slug"],
            title=ligne["titre"],
            chapo=ligne["chapo"],
            date_publication=_il_y_a(ligne["il_y_a_jours"]),
            genre=genre,
            collectivite=collectivite,
            image=image,
            image_texte_alternatif=alt,
            corps=_corps(ligne),
            **_liens(ligne),
        )
        crees += cree

    agenda, cree = _enfant(
        home,
        AgendaPage,
        "agenda",
        title="Agenda",
        show_in_menus=True,
        introduction="<p>Salon des maires, journée de l'ingénierie, formations et comités : les rendez-vous du réseau.</p>",
    )
    crees += cree
    for ligne in contenu["evenements"]:
        heure, minute = (int(part) for part in ligne["heure"].split(":"))
        jour = timezone.localdate() + datetime.timedelta(days=ligne["dans_jours"])
        debut = timezone.make_aware(datetime.datetime(jour.year, jour.month, jour.day, heure, minute))
        image, alt = images.get(ligne.get("image"), (None, ""))
        _, cree = _enfant(
            agenda,
            EvenementPage,
            ligne["slug"],
            title=ligne["titre"],
            type_evenement=ligne["type"],
            date_debut=debut,
            date_fin=debut + datetime.timedelta(hours=ligne["duree_heures"]),
            lieu=ligne["lieu"],
            adresse=ligne.get("adresse", ""),
            lien_inscription=ligne.get("inscription", ""),
            chapo=ligne["chapo"],
            image=image,
            image_texte_alternatif=alt,
            **_liens(ligne),
        )
        crees += cree

    bibliotheque, cree = _enfant(
        home,
        RessourceIndexPage,
        "ressources",
        title="Ressources",
        show_in_menus=True,
        introduction="<p>Guides, modèles de documents et présentations à télécharger.</p>",
    )
    crees += cree
    for ligne in contenu["ressources"]:
        reservee = ligne.get("reservee", False)
        document = _document(ligne["fichier"], ligne["titre"], collection_reservee() if reservee else None)
        _, cree = _enfant(
            bibliotheque,
            RessourcePage,
            ligne["slug"],
            title=ligne["titre"],
            type_ressource=ligne["type"],
            date_publication=_il_y_a(ligne["il_y_a_jours"]),
            resume=ligne["resume"],
            document=document,
            reservee=reservee,
            **_liens(ligne),
        )
        crees += cree

    crees += load_pages_obligatoires(home)

    _menus(home)
    return crees


def load_pages_obligatoires(home):
    """Legal notice, personal data, accessibility statement and site map under `home`: created when
    missing, brought up to date while no person has edited them. Returns how many were created."""
    crees = 0
    declaration = StandardPage.objects.child_of(home).filter(slug="accessibilite").first()
    etablie_le = declaration.first_published_at.date() if declaration and declaration.first_published_at else None
    for slug, titre, chapo, corps, plan in pages_obligatoires(etablie_le):
        page, cree = _enfant(
            home, StandardPage, slug, title=titre, chapo=chapo, corps=corps, afficher_plan_du_site=plan
        )
        crees += cree
        if not cree:
            _suivre_le_texte_type(page, title=titre, chapo=chapo, corps=corps)
    return crees


def _blocs(corps):
    return [(bloc["type"], bloc["value"]) for bloc in corps.get_prep_value()]


def _suivre_le_texte_type(page, **valeurs):
    """An obligatory page no person ever edited follows the current standard text (a new host, a
    new conformance rate); once an editor has saved it, or unpublished it, it is theirs: never overwritten."""
    if not page.live or page.has_unpublished_changes or page.revisions.exclude(user=None).exists():
        return False
    attendue = StandardPage(**valeurs)
    if all(getattr(page, nom) == getattr(attendue, nom) for nom in ("title", "chapo")) and _blocs(page.corps) == _blocs(
        attendue.corps
    ):
        return False
    for nom, valeur in valeurs.items():
        setattr(page, nom, valeur)
    page.save_revision().publish()
    return True


def _menus(home):
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    parametres = ParametresSite.for_site(site)
    if parametres.navigation or parametres.liens_pied:
        return
    parametres.navigation = [
        ("lien", {"libelle": "Accueil", "adresse": "/"}),
        ("lien", {"libelle": "Catalogue", "adresse": "/catalogue/"}),
        ("lien", {"libelle": "Actualités", "adresse": "/actualites/"}),
        ("lien", {"libelle": "Agenda", "adresse": "/agenda/"}),
        ("lien", {"libelle": "Ressources", "adresse": "/ressources/"}),
        ("lien", {"libelle": "Faire une demande", "adresse": "/demande/", "mise_en_avant": True}),
    ]
    parametres.liens_pied = [
        ("lien", {"libelle": "Plan du site", "adresse": "/plan-du-site/"}),
        ("lien", {"libelle": "Mentions légales", "adresse": "/mentions-legales/"}),
        ("lien", {"libelle": "Données personnelles", "adresse": "/donnees-personnelles/"}),
        ("lien", {"libelle": f"Accessibilité : {etat_de_conformite()}", "adresse": "/accessibilite/"}),
    ]
    parametres.save()


def etat_de_conformite(taux=None):
    """The RGAA's conformance state for a rate of criteria met: without any measured rate (no valid
    audit or self-assessment) the rule is « non conforme »; at least 50 %: « partiellement conforme »."""
    if taux is None:
        taux = settings.PLATEFORME.get("ACCESSIBILITE_TAUX")
    if taux is None or taux < 50:
        return "non conforme"
    return "totalement conforme" if taux >= 100 else "partiellement conforme"


def pages_obligatoires(declaration_etablie_le=None):
    """(slug, title, chapô, corps, plan du site) of the pages every public site owes its users.
    The accessibility statement is dated by the last self-assessment, else by
    `declaration_etablie_le` (its first publication), else today."""
    plateforme = settings.PLATEFORME
    hebergeur = plateforme.get("HEBERGEUR_NOM") or f"le {plateforme['DEPARTEMENT_NOM']}"
    hebergeur_adresse = plateforme.get("HEBERGEUR_ADRESSE") or plateforme["ADRESSE"]
    hebergeur_telephone = plateforme.get("HEBERGEUR_TELEPHONE") or plateforme["TELEPHONE"]
    taux, evaluee_le = plateforme.get("ACCESSIBILITE_TAUX"), plateforme.get("ACCESSIBILITE_DATE")
    etablie_le = date_fr(evaluee_le or declaration_etablie_le or timezone.localdate())
    if taux is not None:
        mesure = f"Auto-évaluation du {date_fr(evaluee_le)} : " if evaluee_le else "Auto-évaluation : "
        mesure += f"{taux} % des critères RGAA 4.1 applicables sont respectés (taux de conformité : {taux} %)."
    else:
        # Honest until a self-assessment is done: automated checks are no conformance rate, and the
        # RGAA declares « non conforme » a site without any valid measure.
        mesure = (
            "Taux de conformité : pas encore mesuré. Aucun audit ni auto-évaluation complète des critères du "
            "RGAA 4.1 n'a été réalisé à ce jour : le site est donc déclaré non conforme, comme le prévoit le "
            "RGAA en l'absence de mesure ; le taux sera publié ici, daté, dès la première auto-évaluation."
        )
    retention_ans = round(settings.INTAKE_RETENTION_JOURS / 365)
    p = lambda texte: ("paragraphe", f"<p>{texte}</p>")  # noqa: E731
    h = lambda texte: ("intertitre", {"texte": texte, "niveau": "h2"})  # noqa: E731
    return [
        (
            "mentions-legales",
            "Mentions légales",
            "Qui édite ce site, qui l'héberge et comment réutiliser ses contenus.",
            [
                h("Éditeur"),
                p(
                    f"{plateforme['NOM']} est éditée par le {plateforme['DEPARTEMENT_NOM']}, {plateforme['ADRESSE']}. "
                    f"Téléphone : {plateforme['TELEPHONE']}. Courriel : {plateforme['COURRIEL']}."
                ),
                p(f"Directeur de la publication : {plateforme['PRESIDENT_NOM']}, {plateforme['PRESIDENT_TITRE']}."),
                h("Hébergement"),
                p(
                    f"Le site est hébergé par {hebergeur}, {hebergeur_adresse}. Téléphone : {hebergeur_telephone}. "
                    "Les données sont stockées en France."
                ),
                h("Propriété intellectuelle"),
                p(
                    "Les textes du site sont publiés sous Licence ouverte 2.0 : vous pouvez les réutiliser en citant la source. "
                    "Les logos des partenaires et les photographies restent la propriété de leurs auteurs."
                ),
            ],
            False,
        ),
        (
            "donnees-personnelles",
            "Données personnelles",
            "Ce que la plateforme collecte quand vous déposez une demande, pourquoi, pour combien de temps, et vos droits.",
            [
                h("Responsable du traitement"),
                p(
                    f"Le {plateforme['DEPARTEMENT_NOM']}, représenté par son Président, est responsable du traitement des demandes "
                    "d'accompagnement. Le traitement relève de sa mission d'intérêt public de solidarité territoriale "
                    "(article 6.1.e du règlement général sur la protection des données)."
                ),
                h("Ce que nous collectons"),
                p(
                    "Quand vous déposez une demande : vos nom, prénom, fonction, courriel et téléphone ; la collectivité que vous "
                    "représentez et le lieu du projet ; votre message et les pièces jointes ; puis, pendant l'accompagnement, le "
                    "journal des échanges tenu par les experts. Le site ne dépose aucun cookie de mesure d'audience ; un cookie de "
                    "session est utilisé seulement pour l'espace des experts et pour protéger les formulaires."
                ),
                h("Pourquoi"),
                p(
                    "Pour orienter votre demande vers le partenaire compétent, vous recontacter dans les délais annoncés, suivre "
                    "l'accompagnement et produire des statistiques anonymes sur l'activité de la plateforme."
                ),
                h("Qui y a accès"),
                p(
                    "Les administrateurs de la plateforme, les chefs de file de la direction chargée de votre demande et les "
                    "experts désignés pour l'accompagner. Les autres partenaires ne voient ni votre identité, ni vos coordonnées, "
                    "ni votre message. Aucune donnée n'est cédée ni transférée hors de l'Union européenne."
                ),
                h("Combien de temps"),
                p(
                    f"Les données personnelles d'une demande sont conservées pendant l'accompagnement puis {retention_ans} ans après "
                    "sa clôture ; elles sont ensuite anonymisées, historique compris. Les données statistiques anonymes sont conservées."
                ),
                h("Vos droits"),
                p(
                    "Vous pouvez accéder à vos données, les faire rectifier ou effacer, demander la limitation du traitement ou "
                    f"vous y opposer en écrivant à {plateforme['COURRIEL']} ou au délégué à la protection des données du Département. "
                    "Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une "
                    "réclamation à la CNIL."
                ),
            ],
            False,
        ),
        (
            "accessibilite",
            "Déclaration d'accessibilité",
            f"Le {plateforme['DEPARTEMENT_NOM']} s'engage à rendre ce site accessible conformément à l'article 47 de la loi "
            "n° 2005-102 du 11 février 2005.",
            [
                h("État de conformité"),
                p(
                    f"Le site est {etat_de_conformite(taux)} au référentiel général d'amélioration de l'accessibilité "
                    "(RGAA 4.1)."
                ),
                p(mesure),
                p(
                    "Les pages principales sont de plus vérifiées automatiquement à chaque évolution du site (contrôles "
                    "axe-core, navigation au clavier, contrastes)."
                ),
                h("Établissement de cette déclaration"),
                p(f"Cette déclaration a été établie le {etablie_le}."),
                p(
                    "Technologies utilisées : HTML5, CSS, JavaScript (en amélioration progressive : les formulaires "
                    "fonctionnent sans JavaScript)."
                ),
                p(
                    "Environnement de test : les contrôles automatiques sont exécutés avec axe-core dans le navigateur "
                    f"Chromium ; les vérifications manuelles {'sont menées' if taux is not None else 'seront menées'} "
                    "avec les navigateurs et lecteurs d'écran "
                    "Firefox avec NVDA (Windows), Safari avec VoiceOver (macOS et iOS) et Chrome avec TalkBack (Android)."
                ),
                h("Contenus non accessibles"),
                p(
                    "Certains documents PDF anciens de la rubrique Ressources ne sont pas balisés ; l'espace des experts repose sur "
                    "l'interface d'administration Wagtail, dont l'accessibilité dépend de son éditeur."
                ),
                h("Retour d'information et contact"),
                p(
                    f"Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous à {plateforme['COURRIEL']} : "
                    "nous vous répondrons et vous proposerons une alternative accessible."
                ),
                h("Voies de recours"),
                p(
                    "Si vous constatez un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service, "
                    "et que vous nous l'avez signalé sans obtenir de réponse satisfaisante, vous êtes en droit de saisir "
                    "le Défenseur des droits :"
                ),
                (
                    "paragraphe",
                    "<ul>"
                    '<li>par le formulaire en ligne : <a href="https://formulaire.defenseurdesdroits.fr/">'
                    "formulaire.defenseurdesdroits.fr</a> ;</li>"
                    "<li>en contactant le délégué du Défenseur des droits de votre région : "
                    '<a href="https://www.defenseurdesdroits.fr/carte-des-delegues">liste des délégués</a> ;</li>'
                    "<li>par courrier, gratuitement, sans timbre : Défenseur des droits, Libre réponse 71120, "
                    "75342 Paris CEDEX 07.</li>"
                    "</ul>",
                ),
            ],
            False,
        ),
        ("plan-du-site", "Plan du site", "Toutes les rubriques de la plateforme.", [], True),
    ]
