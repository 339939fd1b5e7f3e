"""Shared documents of the network: members upload, the administrator validates or refuses,
members download (each download recorded); an editor may publish a validated document on the
public site (a copy in a Wagtail collection): nothing is public otherwise."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from intake.liens import absolu
from intake.notifications import outbox
from reseau.models import DocumentPartage, Telechargement

KIND_MODERATION = "reseau_document"


@transaction.atomic
def deposer(*, dossier, titre, fichier, par, remplace=None):
    """A new document, or a new version of `remplace`; it waits for the administrator's validation."""
    version = 1
    if remplace is not None:
        remplace = DocumentPartage.objects.select_for_update().get(pk=remplace.pk)
        version = (
            DocumentPartage.objects.filter(remplace=remplace)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
            or remplace.version
        ) + 1
        dossier = remplace.dossier
    document = DocumentPartage(dossier=dossier, titre=titre, version=version, remplace=remplace, depose_par=par)
    document.fichier.save(getattr(fichier, "name", "document"), fichier, save=False)
    document.save()
    return document


@transaction.atomic
def moderer(document, *, par, valider, motif=""):
    document = DocumentPartage.objects.select_for_update().get(pk=document.pk)
    document.statut = DocumentPartage.Statut.VALIDE if valider else DocumentPartage.Statut.REFUSE
    document.modere_par = par
    document.modere_le = timezone.now()
    document.motif_refus = "" if valider else motif
    document._change_reason = "Document validé" if valider else f"Document refusé : {motif}"
    document.save()
    if document.depose_par and document.depose_par.email and document.depose_par_id != par.pk:
        outbox.enqueue(
            to=[document.depose_par.email],
            subject=f"[Réseau] Votre document « {document.titre} » est {'validé' if valider else 'refusé'}",
            body=render_to_string(
                "reseau/emails/moderation_document.txt",
                {
                    "document": document,
                    "valide": valider,
                    "motif": motif,
                    "plateforme": settings.PLATEFORME,
                    "lien": absolu(reverse("reseau_dossier", args=[document.dossier_id])),
                },
            ),
            kind=KIND_MODERATION,
        )
    return document


def enregistrer_telechargement(document, user):
    Telechargement.objects.create(document=document, user=user)


def nom_collection_publique():
    return settings.RESEAU_COLLECTION_PUBLIQUE


def collection_publique():
    nom = nom_collection_publique()
    racine = Collection.get_first_root_node()
    existante = racine.get_children().filter(name=nom).first()
    return existante or racine.add_child(name=nom)


@transaction.atomic
def publier(document, *, par):
    """Copy a validated document into a Wagtail document of the public collection (editor's action)."""
    document = DocumentPartage.objects.select_for_update().get(pk=document.pk)
    if document.statut != DocumentPartage.Statut.VALIDE:
        raise ValueError("Seul un document validé peut être publié sur le site.")
    if document.document_publie_id:
        return document.document_publie
    with document.fichier.open("rb") as source:
        contenu = source.read()
    public = get_document_model()(title=document.titre, collection=collection_publique(), uploaded_by_user=par)
    public.file.save(document.nom_fichier, ContentFile(contenu), save=False)
    public.save()
    document.document_publie = public
    document._change_reason = "Publié sur le site"
    document.save()
    return public
