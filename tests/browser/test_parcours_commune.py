"""The demande's full circle in Chromium, as the commune and the partners live it: the commune
hears of each step, answers from its tracking link and gives its opinion once; a rejet reaches
the administrator, who redirects the demande, and the commune is told. Every e-mail is checked
in the outbox, exactly once."""

import pytest

from intake.models import Demande, EntreeJournal, Notification, Satisfaction
from tests.browser.conftest import assert_accessible, login
from tests.intake.backoffice_support import demande_hgi, inspect_url

pytestmark = pytest.mark.browser
S = Demande.Statut


def courriels(demande, kind, **filtre):
    return list(Notification.objects.filter(demande=demande, kind=kind, **filtre))


def cliquer_et_attendre(page, nom):
    page.get_by_role("button", name=nom).click()
    page.wait_for_load_state()


def test_the_commune_follows_its_demande_answers_and_gives_its_opinion_once(
    browser_page, organisation, chef_hgi, expert_hgi
):
    page = browser_page
    demande = demande_hgi(organisation, demandeur_email="maire@grenade.example")

    # The chef de file designates the référent: the commune is told who handles its demande.
    login(page, "chef.hgi")
    page.goto(inspect_url(demande))
    page.get_by_label("Expert référent").select_option(str(expert_hgi.pk))
    cliquer_et_attendre(page, "Enregistrer l'affectation")
    [avis_referent] = courriels(demande, "collectivite_referent")
    assert avis_referent.to == ["maire@grenade.example"]
    assert expert_hgi.get_full_name() in avis_referent.body
    page.context.clear_cookies()

    # The commune reads the plain-French step and writes to its expert from the tracking link.
    page.goto(f"/suivi/{demande.jeton_suivi}/")
    assert "Expert désigné" in page.locator('[aria-current="step"]').inner_text()
    assert "Attribué expert(s)" not in page.content()
    assert_accessible(page)
    page.get_by_label("Votre message").fill("Nous sommes disponibles le mardi matin pour une visite.")
    cliquer_et_attendre(page, "Envoyer mon message")
    assert "Votre message est envoyé" in page.content()
    entree = EntreeJournal.objects.get(demande=demande, type=EntreeJournal.Type.MESSAGE_COLLECTIVITE)
    assert entree.message == "Nous sommes disponibles le mardi matin pour une visite."
    [avis_expert] = courriels(demande, "message_collectivite")
    assert avis_expert.to == [expert_hgi.email]

    # The expert answers the commune from the journal, then carries the accompaniment through.
    login(page, "expert.hgi")
    page.goto(inspect_url(demande))
    assert "Nous sommes disponibles le mardi matin" in page.content()
    page.get_by_label("Message (obligatoire)").fill("Visite confirmée mardi 9 h en mairie.")
    page.get_by_label("Envoyer ce message à la collectivité").check()
    assert_accessible(page, "main")
    cliquer_et_attendre(page, "Ajouter au journal")
    [reponse] = courriels(demande, "message_a_la_collectivite")
    assert reponse.to == ["maire@grenade.example"]
    assert "Visite confirmée mardi 9 h en mairie." in reponse.body
    cliquer_et_attendre(page, "Passer « En cours »")
    cliquer_et_attendre(page, "Marquer comme terminée")
    demande.refresh_from_db()
    assert demande.statut == S.TERMINE
    [fin] = courriels(demande, "collectivite_termine")
    assert f"/suivi/{demande.jeton_suivi}/satisfaction/" in fin.body
    page.context.clear_cookies()

    # The commune sees the thread and the end, and answers the survey once.
    page.goto(f"/suivi/{demande.jeton_suivi}/")
    assert "Visite confirmée mardi 9 h en mairie." in page.content()
    assert "Terminée" in page.locator('[aria-current="step"]').inner_text()
    page.get_by_role("link", name="Donner votre avis sur l'accompagnement (1 minute)").click()
    page.wait_for_url("**/satisfaction/**")
    assert_accessible(page)
    page.locator("#id_note_3").check()
    page.get_by_label("Commentaire (facultatif)").fill("Réactifs et clairs.")
    cliquer_et_attendre(page, "Envoyer mon avis")
    reponse_enquete = Satisfaction.objects.get(demande=demande)
    assert (reponse_enquete.note, reponse_enquete.commentaire) == (4, "Réactifs et clairs.")
    page.goto(f"/suivi/{demande.jeton_suivi}/satisfaction/")
    assert "Vous avez déjà répondu à cette enquête, merci." in page.content()
    assert Satisfaction.objects.filter(demande=demande).count() == 1

    # Each e-mail to the commune left once, and nothing else was written to it.
    envoyes = Notification.objects.filter(demande=demande, to=["maire@grenade.example"]).values_list("kind", flat=True)
    assert sorted(envoyes) == ["collectivite_referent", "collectivite_termine", "message_a_la_collectivite"]


def test_a_rejet_reaches_the_administrator_who_redirects_and_the_commune_is_told(
    browser_page, organisation, chef_hgi, administrateur
):
    page = browser_page
    demande = demande_hgi(organisation, demandeur_email="dgs@cugnaux.example")

    login(page, "chef.hgi")
    page.goto(inspect_url(demande))
    page.locator("summary", has_text="Rejeter").click()
    page.locator("#motif-rejete").fill("Aucun expert compétent dans notre direction.")
    cliquer_et_attendre(page, "Confirmer : rejeter")
    demande.refresh_from_db()
    assert demande.statut == S.REJETE
    [au_demandeur] = courriels(demande, "collectivite_rejet")
    assert "Aucun expert compétent dans notre direction." in au_demandeur.body
    [aux_administrateurs] = courriels(demande, "rejet_administrateurs")
    assert administrateur.email in aux_administrateurs.to
    assert inspect_url(demande) in aux_administrateurs.body
    assert "dgs@cugnaux.example" not in aux_administrateurs.body
    page.context.clear_cookies()

    login(page, "admin.plateforme")
    page.goto(inspect_url(demande))
    assert page.get_by_role("button", name="Renvoyer à l'administrateur").count() == 0
    orientation = page.locator("section", has=page.get_by_role("heading", name="Orienter la demande"))
    orientation.get_by_label("Direction chef de file").select_option(str(organisation["caue_direction"].pk))
    orientation.get_by_role("button", name="Orienter").click()
    page.wait_for_load_state()
    demande.refresh_from_db()
    assert demande.direction == organisation["caue_direction"]
    assert demande.statut == S.ATTRIBUE_CHEF_DE_FILE
    [reorientee] = courriels(demande, "collectivite_orientation")
    assert reorientee.to == ["dgs@cugnaux.example"]
    assert organisation["caue_direction"].structure.nom in reorientee.body
    assert len(courriels(demande, "collectivite_rejet")) == 1


# --- The network: a co-chef de file acts, an expert records a demande received directly --------

from tests.intake.depot_helpers import (  # noqa: E402,F401
    _cache_vide,
    catalogue,
    collectivites,
    donnees_service,
    thematiques,
)
from tests.intake.test_co_chefs_de_file import centre_bourg  # noqa: E402,F401


def test_a_co_chef_de_file_is_told_opens_the_demande_and_designates_the_referent(
    browser_page, centre_bourg, collectivites, organisation, chef_caue, chef_hgi, expert_hgi
):
    from intake.depot.services import deposer_demande

    page = browser_page
    demande = deposer_demande(**donnees_service(collectivites, fiche=centre_bourg, demandeur_nom="Dupuy-Secret"))
    [avis] = courriels(demande, "nouvelle_demande")
    assert chef_caue.email in avis.to and chef_hgi.email in avis.to

    # HGI is co-chef de file only: its chef de file finds the demande among his own and acts on it.
    login(page, "chef.hgi")
    page.goto("/admin/intake/demande/")
    page.get_by_role("link", name="Ouvrir").first.click()
    page.wait_for_url(f"**{inspect_url(demande)}")
    assert "Dupuy-Secret" in page.content()
    page.get_by_label("Expert référent").select_option(str(expert_hgi.pk))
    cliquer_et_attendre(page, "Enregistrer l'affectation")
    demande.refresh_from_db()
    assert demande.expert_referent == expert_hgi
    assert len(courriels(demande, "collectivite_referent")) == 1


def test_an_expert_records_a_demande_received_directly_and_lands_on_it(
    browser_page, collectivites, organisation, thematiques, expert_hgi
):
    page = browser_page
    login(page, "expert.hgi")
    page.goto("/admin/intake/demande/")
    page.get_by_role("link", name="Enregistrer une demande reçue").first.click()
    page.wait_for_load_state()
    page.locator("#id_demandeur_nom").fill("Martin")
    page.locator("#id_demandeur_prenom").fill("Paul")
    page.locator("#id_demandeur_email").fill("maire@merville.example")
    page.locator("#id_demandeur_telephone").fill("05 61 00 00 00")
    page.locator("#id_thematique").select_option(str(thematiques["juridique"].pk))
    page.locator("#id_type_collectivite").select_option("commune")
    page.locator("#id_collectivite_saisie").fill("Merville")
    page.locator("#id_message").fill("Appel du maire : projet de city-stade près de l'école.")
    page.locator("input[name=consentement]").check()
    assert page.locator("input[name=je_suis_referent]").is_checked()
    page.locator("form:has(#id_message) button[type=submit]").last.click()
    page.wait_for_load_state()
    erreurs = page.locator(".resume-erreurs, .error-message, .errorlist")
    assert erreurs.count() == 0, erreurs.all_inner_texts()
    demande = Demande.objects.get()
    assert page.url.endswith(inspect_url(demande))
    assert demande.source == Demande.Source.PARTENAIRE
    assert demande.expert_referent == expert_hgi
    assert demande.collectivite == collectivites["merville"]
    assert "Appel du maire : projet de city-stade" in page.content()
    assert len(courriels(demande, "accuse_reception")) == 1
