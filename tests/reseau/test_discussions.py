"""Discussion space: threads, replies, following, notifications through the outbox, daily digest,
moderation by the administrator."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake.models import Notification
from reseau import discussions
from reseau.models import Abonnement, DigestEnvoye, FicheAnnuaire, Fil, Message, PreferenceNotification

URL_NOUVEAU = reverse("reseau_fil_nouveau")


def url_fil(fil):
    return reverse("reseau_fil", args=[fil.pk])


@pytest.fixture
def fil(chef_hgi, thematiques):
    return discussions.ouvrir_fil(
        auteur=chef_hgi,
        titre="Marchés publics et groupements",
        texte="Qui a un modèle de convention ?",
        thematique=thematiques["juridique"],
    )


def courriels_a(user, kind=None):
    notifications = Notification.objects.all()
    return [n for n in notifications if user.email in n.to and (kind is None or n.kind == kind)]


def test_a_member_opens_a_thread_and_follows_it(client, chef_hgi, thematiques):
    client.force_login(chef_hgi)
    response = client.post(
        URL_NOUVEAU,
        {"titre": "Réforme des zonages", "thematique": thematiques["urbanisme"].pk, "texte": "Premiers retours ?"},
    )
    fil = Fil.objects.get()
    assert response.status_code == 302 and response["Location"] == url_fil(fil)
    assert fil.auteur == chef_hgi and fil.thematique == thematiques["urbanisme"]
    assert fil.messages.get().texte == "Premiers retours ?"
    assert Abonnement.objects.filter(user=chef_hgi, fil=fil).exists()
    assert "Premiers retours ?" in client.get(url_fil(fil)).content.decode()


def test_members_following_the_thematique_are_told_of_a_new_thread(chef_hgi, expert_caue, expert_hgi, thematiques):
    FicheAnnuaire.objects.create(user=expert_caue).thematiques.add(thematiques["juridique"])
    discussions.ouvrir_fil(auteur=chef_hgi, titre="Sujet", texte="Texte", thematique=thematiques["juridique"])
    assert len(courriels_a(expert_caue, discussions.KIND_NOUVEAU_FIL)) == 1
    assert courriels_a(expert_hgi) == []
    assert courriels_a(chef_hgi) == []


def test_a_thread_about_a_fiche_tells_the_leading_direction(expert_caue, expert_hgi, fiche_hgi):
    discussions.ouvrir_fil(auteur=expert_caue, titre="Question sur la fiche", texte="Texte", fiche=fiche_hgi)
    courriels = courriels_a(expert_hgi, discussions.KIND_NOUVEAU_FIL)
    assert len(courriels) == 1 and "Conseil juridique aux communes" in courriels[0].body


def test_a_reply_notifies_followers_except_its_author(client, fil, chef_hgi, expert_caue, expert_hgi):
    discussions.suivre(expert_hgi, fil)
    client.force_login(expert_caue)
    response = client.post(url_fil(fil), {"action": "repondre", "texte": "Voici le nôtre."})
    assert response.status_code == 302
    assert Abonnement.objects.filter(user=expert_caue, fil=fil).exists()
    for user in (chef_hgi, expert_hgi):
        courriels = courriels_a(user, discussions.KIND_MESSAGE)
        assert len(courriels) == 1
        assert "Voici le nôtre." in courriels[0].body and url_fil(fil) in courriels[0].body
    assert courriels_a(expert_caue, discussions.KIND_MESSAGE) == []


def test_unfollowing_stops_the_notifications(client, fil, chef_hgi, expert_caue):
    client.force_login(chef_hgi)
    client.post(url_fil(fil), {"action": "ne_plus_suivre"})
    assert not Abonnement.objects.filter(user=chef_hgi, fil=fil).exists()
    discussions.repondre(fil=fil, auteur=expert_caue, texte="Réponse")
    assert courriels_a(chef_hgi, discussions.KIND_MESSAGE) == []


def test_an_empty_reply_is_refused_with_a_message(client, fil, expert_caue):
    client.force_login(expert_caue)
    response = client.post(url_fil(fil), {"action": "repondre", "texte": "  "})
    assert response.status_code == 400
    assert "Champ requis" in response.content.decode()
    assert fil.messages.count() == 1


def test_a_bad_new_thread_keeps_the_typed_values(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.post(URL_NOUVEAU, {"titre": "", "texte": "Mon texte", "thematique": "999999"})
    assert response.status_code == 400
    assert "Mon texte" in response.content.decode()
    assert not Fil.objects.exists()


def test_daily_digest_members_get_one_email_a_day(fil, chef_hgi, expert_caue):
    PreferenceNotification.objects.create(user=chef_hgi, frequence=PreferenceNotification.Frequence.QUOTIDIEN)
    discussions.repondre(fil=fil, auteur=expert_caue, texte="Réponse du jour")
    assert courriels_a(chef_hgi, discussions.KIND_MESSAGE) == []
    aujourd_hui = timezone.localdate()
    call_command("envoyer_digest_reseau", date=aujourd_hui.isoformat())
    call_command("envoyer_digest_reseau", date=aujourd_hui.isoformat())
    digests = courriels_a(chef_hgi, discussions.KIND_DIGEST)
    assert len(digests) == 1
    assert "Réponse du jour" in digests[0].body and "Marchés publics et groupements" in digests[0].body
    assert DigestEnvoye.objects.filter(user=chef_hgi, date=aujourd_hui).count() == 1
    assert courriels_a(expert_caue, discussions.KIND_DIGEST) == []


def test_digest_skips_days_without_news_and_hidden_messages(fil, chef_hgi, expert_caue, administrateur):
    PreferenceNotification.objects.create(user=chef_hgi, frequence=PreferenceNotification.Frequence.QUOTIDIEN)
    message = discussions.repondre(fil=fil, auteur=expert_caue, texte="Hors sujet")
    discussions.masquer(message, par=administrateur)
    call_command("envoyer_digest_reseau", date=timezone.localdate().isoformat())
    call_command("envoyer_digest_reseau", date=(timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    assert courriels_a(chef_hgi, discussions.KIND_DIGEST) == []


def test_a_member_chooses_the_daily_digest(client, chef_hgi):
    client.force_login(chef_hgi)
    response = client.post(reverse("reseau_discussions"), {"pref-frequence": "quotidien"})
    assert response.status_code == 302
    assert PreferenceNotification.frequence_de(chef_hgi) == "quotidien"
    assert client.post(reverse("reseau_discussions"), {"pref-frequence": "jamais"}).status_code == 400


def test_the_administrator_closes_a_thread_and_hides_a_message(client, fil, administrateur, expert_caue):
    message = discussions.repondre(fil=fil, auteur=expert_caue, texte="Propos déplacés")
    client.force_login(administrateur)
    assert "Clore la discussion" in client.get(url_fil(fil)).content.decode()
    client.post(url_fil(fil), {"action": "masquer", "message": message.pk})
    client.post(url_fil(fil), {"action": "clore"})
    fil.refresh_from_db()
    message.refresh_from_db()
    assert fil.clos and message.masque
    assert fil.history.first().history_user == administrateur
    assert fil.history.first().history_change_reason == "Discussion close par la modération"
    assert message.history.first().history_change_reason == "Message masqué par la modération"
    client.force_login(expert_caue)
    page = client.get(url_fil(fil)).content.decode()
    assert "Propos déplacés" not in page and "Message masqué par la modération" in page
    assert "Clore la discussion" not in page and "Masquer ce message" not in page
    response = client.post(url_fil(fil), {"action": "repondre", "texte": "Encore"})
    assert response.status_code == 400
    assert fil.messages.count() == 2


def test_members_cannot_moderate(client, fil, expert_caue):
    message = fil.messages.get()
    client.force_login(expert_caue)
    assert client.post(url_fil(fil), {"action": "clore"}).status_code == 403
    assert client.post(url_fil(fil), {"action": "masquer", "message": message.pk}).status_code == 403
    fil.refresh_from_db()
    message.refresh_from_db()
    assert not fil.clos and not message.masque


@pytest.mark.parametrize("persona", ["editeur", "partenaire_caue"])
def test_outsiders_cannot_read_or_post_in_a_thread(client, request, persona, fil):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url_fil(fil)).status_code == 403
    assert client.post(url_fil(fil), {"action": "repondre", "texte": "Intrus"}).status_code == 403
    assert Message.objects.filter(texte="Intrus").count() == 0


def test_an_unknown_thread_is_not_found(client, chef_hgi):
    client.force_login(chef_hgi)
    assert client.get(reverse("reseau_fil", args=[999999])).status_code == 404
