"""Discussion space of the network: threads, replies, following, notifications (at once, or in
one daily digest), moderation by the administrator. Every e-mail goes through intake's outbox."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from intake.liens import absolu
from intake.notifications import outbox
from reseau import acces
from reseau.models import Abonnement, DigestEnvoye, Fil, Message, PreferenceNotification

KIND_MESSAGE = "reseau_message"
KIND_NOUVEAU_FIL = "reseau_nouveau_fil"
KIND_DIGEST = "reseau_digest"


def lien_fil(fil):
    return absolu(reverse("reseau_fil", args=[fil.pk]))


def _contexte_courriel(**extra):
    return {
        "plateforme": settings.PLATEFORME,
        "lien_preferences": absolu(reverse("reseau_discussions") + "#preferences"),
        **extra,
    }


def suivre(user, fil):
    Abonnement.objects.get_or_create(user=user, fil=fil)


def ne_plus_suivre(user, fil):
    Abonnement.objects.filter(user=user, fil=fil).delete()


def _frequences(users):
    preferences = dict(PreferenceNotification.objects.filter(user__in=users).values_list("user_id", "frequence"))
    return {user.pk: preferences.get(user.pk, PreferenceNotification.Frequence.IMMEDIATE) for user in users}


def _destinataires_immediats(users):
    frequences = _frequences(users)
    return [
        user
        for user in users
        if frequences[user.pk] == PreferenceNotification.Frequence.IMMEDIATE and user.email and acces.peut_acceder(user)
    ]


def interesses_par_un_nouveau_fil(fil):
    """Members told of a new thread: those whose directory card follows its thématique, and the
    members of the direction that leads its fiche."""
    condition = Q()
    if fil.thematique_id:
        condition |= Q(fiche_annuaire__thematiques=fil.thematique_id)
    if fil.fiche_id and fil.fiche.chef_de_file_id:
        condition |= Q(membres__direction_id=fil.fiche.chef_de_file_id)
    if not condition:
        return []
    users = (
        get_user_model()
        .objects.filter(condition, is_active=True, membres__isnull=False)
        .exclude(pk=fil.auteur_id)
        .distinct()
    )
    return list(users)


@transaction.atomic
def ouvrir_fil(*, auteur, titre, texte, thematique=None, fiche=None):
    """Open a thread with its first message; its author follows it; interested members are told."""
    maintenant = timezone.now()
    fil = Fil.objects.create(
        titre=titre,
        thematique=thematique,
        fiche=fiche,
        auteur=auteur,
        created_at=maintenant,
        derniere_activite=maintenant,
    )
    message = Message.objects.create(fil=fil, auteur=auteur, texte=texte, created_at=maintenant)
    suivre(auteur, fil)
    for user in _destinataires_immediats(interesses_par_un_nouveau_fil(fil)):
        outbox.enqueue(
            to=[user.email],
            subject=f"[Réseau] Nouvelle discussion : {fil.titre}",
            body=render_to_string(
                "reseau/emails/nouveau_fil.txt",
                _contexte_courriel(fil=fil, message=message, auteur=_nom(auteur), lien=lien_fil(fil)),
            ),
            kind=KIND_NOUVEAU_FIL,
        )
    return fil


class FilClos(Exception):
    pass


@transaction.atomic
def repondre(*, fil, auteur, texte):
    """Add a reply; the replier follows the thread; the other followers are told (or wait for the digest)."""
    fil = Fil.objects.select_for_update().get(pk=fil.pk)
    if fil.clos:
        raise FilClos("Cette discussion est close : il n'est plus possible d'y répondre.")
    message = Message.objects.create(fil=fil, auteur=auteur, texte=texte)
    fil.derniere_activite = message.created_at
    fil.save(update_fields=["derniere_activite"])
    suivre(auteur, fil)
    abonnes = list(
        get_user_model().objects.filter(
            pk__in=Abonnement.objects.filter(fil=fil).exclude(user=auteur).values("user_id"), is_active=True
        )
    )
    for user in _destinataires_immediats(abonnes):
        outbox.enqueue(
            to=[user.email],
            subject=f"[Réseau] Nouveau message : {fil.titre}",
            body=render_to_string(
                "reseau/emails/nouveau_message.txt",
                _contexte_courriel(fil=fil, message=message, auteur=_nom(auteur), lien=lien_fil(fil)),
            ),
            kind=KIND_MESSAGE,
        )
    return message


def _nom(user):
    return (user.get_full_name() or user.get_username()) if user else "Un ancien membre"


def _avec_motif(objet, par, motif):
    objet._change_reason = motif
    objet._history_user = par


@transaction.atomic
def clore(fil, *, par, clos=True):
    fil = Fil.objects.select_for_update().get(pk=fil.pk)
    fil.clos = clos
    _avec_motif(fil, par, "Discussion close par la modération" if clos else "Discussion rouverte par la modération")
    fil.save()
    return fil


@transaction.atomic
def masquer(message, *, par, masque=True):
    message = Message.objects.select_for_update().get(pk=message.pk)
    message.masque = masque
    _avec_motif(message, par, "Message masqué par la modération" if masque else "Message rétabli par la modération")
    message.save()
    return message


def envoyer_digests(jour=None):
    """The daily digest of `jour` (yesterday by default) to every member who chose it: new visible
    messages of others in the threads he follows, and new threads of his thématiques. At most one
    digest per member and day (DigestEnvoye), so the command can run again safely."""
    jour = jour or timezone.localdate() - datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    debut = datetime.datetime.combine(jour, datetime.time.min, tzinfo=tz)
    fin = debut + datetime.timedelta(days=1)
    envoyes = 0
    users = (
        get_user_model()
        .objects.filter(preference_reseau__frequence=PreferenceNotification.Frequence.QUOTIDIEN, is_active=True)
        .exclude(email="")
        .exclude(pk__in=DigestEnvoye.objects.filter(date=jour).values("user_id"))
    )
    fils_du_jour = [
        (fil, {interesse.pk for interesse in interesses_par_un_nouveau_fil(fil)})
        for fil in Fil.objects.filter(created_at__gte=debut, created_at__lt=fin).select_related("fiche", "thematique")
    ]
    for user in users:
        if not acces.peut_acceder(user):
            continue
        messages = list(
            Message.objects.filter(
                created_at__gte=debut,
                created_at__lt=fin,
                masque=False,
                fil__abonnements__user=user,
            )
            .exclude(auteur=user)
            .select_related("fil", "auteur")
            .order_by("fil__titre", "created_at")
        )
        fils_suivis = {message.fil_id for message in messages}
        nouveaux_fils = [fil for fil, interesses in fils_du_jour if user.pk in interesses and fil.pk not in fils_suivis]
        if not messages and not nouveaux_fils:
            continue
        try:
            with transaction.atomic():
                DigestEnvoye.objects.create(user=user, date=jour, nombre_messages=len(messages))
                fils = {}
                for message in messages:
                    fils.setdefault(message.fil, []).append({"auteur": _nom(message.auteur), "message": message})
                outbox.enqueue(
                    to=[user.email],
                    subject=f"[Réseau] Récapitulatif des discussions du {jour:%d/%m/%Y}",
                    body=render_to_string(
                        "reseau/emails/digest.txt",
                        _contexte_courriel(
                            jour=jour,
                            fils=[
                                {"fil": fil, "lien": lien_fil(fil), "messages": lignes} for fil, lignes in fils.items()
                            ],
                            nouveaux_fils=[{"fil": fil, "lien": lien_fil(fil)} for fil in nouveaux_fils],
                        ),
                    ),
                    kind=KIND_DIGEST,
                )
        except IntegrityError:
            continue  # another run sent it meanwhile
        envoyes += 1
    return envoyes
