"""Journal entries tell people: `@identifiant` mentions a member of the
network (one email each, with the link; an uninvolved person can be associated in one click
by whoever may assign), and each entry tells the référent and the chef de file unless they
wrote it. Nobody is told twice; unknown, inactive and outside users are ignored; the emails
never copy the entry's text (it may hold the demandeur's personal data)."""

import html
import re

import pytest
from django.contrib.auth.models import Group

from catalogue import roles
from catalogue.models import Membre
from intake import permissions
from intake.models import Demande, Notification
from intake.notifications.mentions import identifiants_mentionnes
from tests.conftest import add_membre, make_user
from tests.intake.backoffice_support import demande_hgi, inspect_url

S = Demande.Statut
pytestmark = pytest.mark.django_db
SECRET = "Mme Dupuy-Secret, 06 11 22 33 44"


@pytest.fixture
def demande(organisation, chef_hgi, expert_hgi):
    return demande_hgi(organisation, statut=S.EN_COURS, chef_de_file=chef_hgi, expert_referent=expert_hgi)


def ecrire(client, user, demande, message, type="note"):
    client.force_login(user)
    return client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/", {"type": type, "message": message}, follow=True
    )


def courriels(demande):
    return list(Notification.objects.filter(demande=demande).order_by("pk"))


def adresses(notifications):
    return [adresse for n in notifications for adresse in n.to]


def test_mentions_are_logins_after_an_at_sign_not_email_addresses():
    texte = "Merci @expert.caue. Voir jean@mairie.test, @Expert.CAUE et (@chef.hgi) ; @ seul."
    assert identifiants_mentionnes(texte) == ["expert.caue", "chef.hgi"]


def test_an_entry_tells_the_chef_de_file_not_its_author(client, demande, expert_hgi, chef_hgi):
    response = ecrire(client, expert_hgi, demande, f"Appel passé : {SECRET}", type="appel")
    assert response.status_code == 200
    [avis] = courriels(demande)
    assert avis.kind == "entree_journal"
    assert avis.to == [chef_hgi.email]
    assert avis.subject == f"Nouvelle entrée au journal de la demande n°{demande.numero}"
    assert "Expert HGI" in avis.body and inspect_url(demande) in avis.body
    assert "Dupuy-Secret" not in avis.body and demande.demandeur_email not in avis.body


def test_an_entry_by_the_chef_de_file_tells_the_referent(client, demande, expert_hgi, chef_hgi):
    ecrire(client, chef_hgi, demande, "Point d'étape.")
    [avis] = courriels(demande)
    assert avis.to == [expert_hgi.email]


def test_an_entry_by_the_administrator_tells_both(client, demande, administrateur, expert_hgi, chef_hgi):
    ecrire(client, administrateur, demande, "Relance.")
    [avis] = courriels(demande)
    assert sorted(avis.to) == sorted([expert_hgi.email, chef_hgi.email])


def test_a_mentioned_referent_gets_one_email_only(client, demande, expert_hgi, chef_hgi):
    ecrire(client, chef_hgi, demande, "@expert.hgi peux-tu rappeler la mairie ? @expert.hgi")
    assert adresses(courriels(demande)) == [expert_hgi.email]
    [mention] = courriels(demande)
    assert mention.kind == "mention_journal"
    assert "vous a mentionné(e)" in mention.body and inspect_url(demande) in mention.body
    assert "pas encore accès" not in mention.body


def test_an_uninvolved_member_mentioned_gets_the_link_and_the_chef_can_associate_him(
    client, demande, chef_hgi, expert_hgi, expert_caue
):
    response = ecrire(client, chef_hgi, demande, f"@expert.caue ton avis sur l'aménagement ? {SECRET}")
    envoyes = courriels(demande)
    [mention] = [n for n in envoyes if n.kind == "mention_journal"]
    assert mention.to == [expert_caue.email]
    assert "pas encore accès" in mention.body and "Dupuy-Secret" not in mention.body
    assert adresses(envoyes).count(expert_hgi.email) == 1  # the référent's usual notice
    # The mentioned expert cannot open the demande yet; the author is offered the button.
    assert not permissions.peut_voir_detail(expert_caue, demande)
    page = response.content.decode()
    assert "Associer Expert CAUE à la demande" in page
    formulaire = re.search(r'<form method="post" action="([^"]+)" class="journal-associer">(.*?)</form>', page, re.S)
    donnees = {}
    for nom, valeur in re.findall(r'name="(\w+)" value="([^"]*)"', formulaire.group(2)):
        donnees.setdefault(nom, []).append(html.unescape(valeur))
    reponse = client.post(formulaire.group(1), donnees)
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert list(demande.experts_associes.all()) == [expert_caue]
    assert demande.expert_referent == expert_hgi  # the rest of the assignment is unchanged
    client.force_login(expert_caue)
    assert client.get(inspect_url(demande)).status_code == 200


def test_the_referent_who_may_not_assign_is_not_offered_the_button(client, demande, expert_hgi, expert_caue):
    response = ecrire(client, expert_hgi, demande, "@expert.caue à voir ensemble")
    page = response.content.decode()
    assert "Associer Expert CAUE" not in page
    assert "son chef de file peut l’y associer" in page
    assert expert_caue.email in adresses(courriels(demande))


def test_unknown_inactive_and_outside_names_are_ignored(client, demande, chef_hgi, expert_hgi, editeur, organisation):
    inactif = add_membre(make_user("expert.parti", is_active=False), organisation["caue_direction"], Membre.Role.EXPERT)
    response = ecrire(client, chef_hgi, demande, "@personne @editeur.site @expert.parti @chef.hgi")
    envoyes = courriels(demande)
    assert adresses(envoyes) == [expert_hgi.email]  # only the référent's usual notice
    assert envoyes[0].kind == "entree_journal"
    assert editeur.email not in adresses(envoyes) and inactif.email not in adresses(envoyes)
    page = response.content.decode()
    assert "@personne, @editeur.site, @expert.parti" in page
    assert "personne n’a été prévenu" in page


def test_an_administrator_of_the_network_can_be_mentioned(client, demande, expert_hgi, administrateur):
    ecrire(client, expert_hgi, demande, "@admin.plateforme cette demande relève-t-elle de nous ?")
    [mention] = [n for n in courriels(demande) if n.kind == "mention_journal"]
    assert mention.to == [administrateur.email]


def test_a_refused_entry_sends_nothing(client, demande, expert_caue):
    client.force_login(expert_caue)
    response = client.post(
        f"/admin/intake/demande/suivi/{demande.pk}/journal/", {"type": "note", "message": "@expert.hgi"}
    )
    assert response.status_code == 404
    assert courriels(demande) == []


def test_the_journal_form_lists_the_people_at_work(client, demande, chef_hgi):
    client.force_login(chef_hgi)
    aide = client.get(inspect_url(demande)).context["journal_form"].fields["message"].help_text
    assert "@expert.hgi" in aide and "@chef.hgi" in aide


def test_mentioning_a_partner_contributor_without_membre_row_is_ignored(client, demande, chef_hgi, organisation):
    contributeur = make_user("contributeur.caue")
    contributeur.groups.add(Group.objects.get(name=organisation["caue"].nom_groupe_partenaires))
    roles.forget(contributeur)
    ecrire(client, chef_hgi, demande, "@contributeur.caue")
    assert contributeur.email not in adresses(courriels(demande))
