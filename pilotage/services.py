"""Use cases of the steering tools that touch several models or send e-mails (through intake's
outbox, the platform's only way out)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from catalogue import roles
from catalogue.models import Structure
from intake.liens import absolu
from intake.notifications import outbox
from pilotage.ical import evenement
from pilotage.models import Convention, Indicateur, Instance, Invitation, RappelConvention, Reunion
from pilotage.models.conventions import seuils_rappel


def _lien_admin(url_name, *args):
    return absolu(reverse(url_name, args=args))


def _phrase_reconduction(convention, echeance):
    if convention.resiliee_le and echeance == convention.resiliee_le:
        return "La convention a été résiliée à cette date."
    if convention.reconduction == Convention.Reconduction.TACITE:
        return (
            "Sauf dénonciation par l'une des parties, elle sera reconduite tacitement ; "
            "vérifiez qu'elle peut encore l'être."
        )
    if convention.reconduction == Convention.Reconduction.EXPRESSE:
        return "Sa reconduction doit être expressément signée par les parties avant cette date."
    return "Elle ne prévoit pas de reconduction : une nouvelle convention doit être préparée."


def relancer_conventions(aujourd_hui=None):
    """E-mail the administrators when a convention's échéance comes within a threshold of
    PILOTAGE_RAPPEL_CONVENTIONS_JOURS days: once per convention, term and threshold, and only for
    the smallest threshold reached (a first run 20 days before does not also send the 90-day one).
    Returns the number of reminders sent."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    seuils = sorted(seuils_rappel_jours())
    destinataires = roles.adresses_administrateurs()
    if not seuils or not destinataires:
        return 0
    envoyes = 0
    for convention in Convention.objects.select_related("structure").filter(date_debut__lte=aujourd_hui):
        echeance = convention.echeance(aujourd_hui)
        jours = (echeance - aujourd_hui).days
        if jours < 0:
            continue
        seuil = next((s for s in seuils if jours <= s), None)
        if seuil is None:
            continue
        cle = f"convention:{convention.pk}:{echeance.isoformat()}:{seuil}"
        sujet = f"Convention {convention.structure.sigle} : échéance le {echeance:%d/%m/%Y}"
        corps, _ = outbox.rendre(
            "pilotage/emails/rappel_convention",
            {
                "convention": convention,
                "echeance": echeance,
                "jours": jours,
                "phrase_reconduction": _phrase_reconduction(convention, echeance),
                "lien": _lien_admin("pilotage_convention_modeladmin_edit", convention.pk),
                "plateforme": settings.PLATEFORME,
            },
        )
        try:
            with transaction.atomic():
                RappelConvention.objects.create(
                    cle=cle,
                    convention=convention,
                    echeance=echeance,
                    seuil=seuil,
                    destinataires=", ".join(destinataires),
                )
                outbox.enqueue(to=destinataires, subject=sujet, body=corps, kind="rappel_convention")
        except IntegrityError:
            continue  # already sent by an earlier (or concurrent) run
        envoyes += 1
    return envoyes


def seuils_rappel_jours():
    return seuils_rappel()


def conventions_des_partenaires(aujourd_hui=None):
    """Every partner structure with its convention in force (the latest started), or None:
    who signed and until when, missing ones flagged by the caller."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    par_structure = {}
    for convention in Convention.objects.filter(date_debut__lte=aujourd_hui).order_by("-date_debut", "-pk"):
        if convention.structure_id not in par_structure and convention.est_en_vigueur(aujourd_hui):
            par_structure[convention.structure_id] = convention
    prochaines = {}
    for convention in Convention.objects.filter(date_debut__gt=aujourd_hui).order_by("date_debut"):
        prochaines.setdefault(convention.structure_id, convention)
    seuil = max(seuils_rappel_jours(), default=0)
    lignes = []
    for structure in Structure.objects.all():
        convention = par_structure.get(structure.pk)
        echeance = convention.echeance(aujourd_hui) if convention else None
        lignes.append(
            {
                "structure": structure,
                "convention": convention,
                "echeance": echeance,
                "jours_restants": (echeance - aujourd_hui).days if echeance else None,
                "bientot": bool(echeance and (echeance - aujourd_hui).days <= seuil),
                "prochaine": prochaines.get(structure.pk),
            }
        )
    return lignes


def inviter(reunion):
    """E-mail each member of the meeting's instance an invitation with the event attached, once
    per member: inviting again only reaches members added since. Returns how many were sent."""
    deja = set(reunion.invitations.values_list("user_id", flat=True))
    membres = reunion.instance_gouvernance.membres.filter(is_active=True).exclude(email="").exclude(pk__in=deja)
    debut = timezone.localtime(reunion.debut)
    quand = f"{date_format(debut, 'l j F Y')} à {debut:%H:%M}"
    ics = evenement(reunion)
    envoyes = 0
    for membre in membres:
        corps, _ = outbox.rendre(
            "pilotage/emails/invitation_reunion",
            {
                "nom": membre.get_full_name() or membre.username,
                "reunion": reunion,
                "quand": quand,
                "lien": _lien_admin("pilotage_reunion", reunion.pk),
                "plateforme": settings.PLATEFORME,
            },
        )
        try:
            with transaction.atomic():
                Invitation.objects.create(reunion=reunion, user=membre)
                outbox.enqueue(
                    to=[membre.email],
                    subject=f"Invitation : {reunion.instance_gouvernance.nom}, le {debut:%d/%m/%Y}",
                    body=corps,
                    kind="invitation_reunion",
                    attachments=[(f"reunion-{reunion.pk}.ics", ics, "text/calendar")],
                )
        except IntegrityError:
            continue
        envoyes += 1
    return envoyes


def instances_visibles(user):
    """The instances a user may read: all for administrators, else those the user sits in."""
    if roles.is_administrateur(user):
        return Instance.objects.all()
    if not roles.is_active(user):
        return Instance.objects.none()
    return Instance.objects.filter(membres=user)


def prochaines_reunions(user, maintenant=None, limite=10):
    maintenant = maintenant or timezone.now()
    return list(
        Reunion.objects.filter(instance_gouvernance__in=instances_visibles(user), debut__gte=maintenant)
        .select_related("instance_gouvernance")
        .order_by("debut")[:limite]
    )


def actualiser(aujourd_hui=None):
    """Store the current value of every automatic indicator (`actualiser_indicateurs`), so that
    exports and history keep what the dashboard showed. Returns how many were updated."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    cache, nombre = {}, 0
    for indicateur in Indicateur.objects.filter(source=Indicateur.Source.AUTOMATIQUE).exclude(source_automatique=""):
        valeur = indicateur.valeur(aujourd_hui, cache=cache)
        indicateur.valeur_mesuree = valeur
        indicateur.mesure_le = timezone.now()
        indicateur.save(update_fields=["valeur_mesuree", "mesure_le"])
        nombre += 1
    return nombre
