"""Views of a demande outside the admin, for those following it: the commune's private tracking
page (its messages, documents and the satisfaction survey) and the permission-checked download of
attachments for the people handling the demande."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from intake.depot import ratelimit
from intake.donnees_personnelles.audit import enregistrer_acces
from intake.models import AccesDemande, Demande, PieceJointe
from intake.notifications.avis import contact_professionnel
from intake.permissions import peut_voir_detail
from intake.suivi import commune as suivi
from intake.suivi import satisfaction as enquete


def _referent(demande):
    if not demande.expert_referent_id:
        return None
    return contact_professionnel(demande.expert_referent, demande.direction_id)


def _statuts_passes(demande):
    """The statuses the demande went through, in order (history rows: no reasons, no authors)."""
    etapes, precedent = [], None
    for ligne in demande.history.order_by("history_date", "history_id").only("statut", "history_date"):
        if ligne.statut != precedent:
            etapes.append({"date": ligne.history_date, "statut": ligne.statut})
            precedent = ligne.statut
    return etapes


def _page_suivi(request, demande, form=None, status=200, erreur=""):
    """The tracking page in plain French (intake.suivi.commune says what each status means)."""
    passes = _statuts_passes(demande)
    response = render(
        request,
        "intake/suivi_demande.html",
        {
            "demande": demande,
            "etat": suivi.etat_public(demande, [p["statut"] for p in passes]),
            "en_charge": demande.direction if demande.statut not in Demande.STATUTS_ADMIN else None,
            "referent": _referent(demande),
            "chronologie": [{"date": p["date"], "libelle": suivi.libelle_public(p["statut"])} for p in passes],
            "echanges": suivi.echanges(demande),
            "peut_ecrire": suivi.peut_ecrire(demande),
            "form": form or suivi.MessageCollectiviteForm(),
            "erreur": erreur,
            "envoye": request.GET.get("envoye") == "1",
            "avis_attendu": enquete.enquete_ouverte(demande),
        },
        status=status,
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The link holds a secret: never sent to another site. Not "no-referrer": Chromium then posts
    # the page's forms with `Origin: null`, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def _demande_suivie(jeton):
    return get_object_or_404(
        Demande.objects.select_related("fiche", "direction__structure", "expert_referent", "collectivite"),
        jeton_suivi=jeton,
    )


def suivi_demande(request, jeton):
    return _page_suivi(request, _demande_suivie(jeton))


@require_POST
def suivi_message(request, jeton):
    """The commune writes to its experts from the tracking link (no account): rate-limited per IP
    and link, same attachment checks as the filing form; the typed text is kept on an error."""
    demande = _demande_suivie(jeton)
    form = suivi.MessageCollectiviteForm(request.POST, request.FILES)
    if not suivi.peut_ecrire(demande):
        return _page_suivi(
            request,
            demande,
            form,
            status=400,
            erreur="Cette demande est close : pour un nouveau projet, déposez une nouvelle demande.",
        )
    if ratelimit.depasse_limite(request, "suivi", suivi.cle_limite(demande)):
        return _page_suivi(
            request,
            demande,
            form,
            status=429,
            erreur=(
                "Vous avez envoyé beaucoup de messages en peu de temps. Merci de réessayer dans une heure, "
                "ou de contacter la plateforme par courriel ou par téléphone."
            ),
        )
    if not form.is_valid():
        return _page_suivi(request, demande, form, status=400)
    suivi.enregistrer_message_collectivite(
        demande, message=form.cleaned_data["message"], fichiers=form.cleaned_data["fichiers"]
    )
    return redirect(reverse("intake_suivi", args=[jeton]) + "?envoye=1#echanges")


def suivi_document(request, jeton, pk):
    """A document of the exchanges, for the holder of the tracking link: only those attached to a
    message between the commune and the experts, never an internal one (404 otherwise)."""
    demande = _demande_suivie(jeton)
    piece = PieceJointe.objects.filter(pk=pk, demande=demande, entree__type__in=suivi.TYPES_ECHANGES).first()
    if piece is None:
        raise Http404("Document introuvable.")
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Document introuvable.") from None
    response = FileResponse(fichier, as_attachment=True, filename=piece.nom_original, content_type=piece.type_mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def satisfaction(request, jeton):
    """The satisfaction survey of a finished demande, from the tracking link (no account): one
    answer per demande, rate-limited per IP and link like the tracking page's messages."""

    demande = _demande_suivie(jeton)
    form, status, erreur, merci = None, 200, "", request.GET.get("merci") == "1"
    if request.method == "POST":
        form = enquete.SatisfactionForm(request.POST)
        if ratelimit.depasse_limite(request, "suivi", "satisfaction:" + suivi.cle_limite(demande)):
            status, erreur = 429, "Trop d'envois en peu de temps depuis ce lien. Merci de réessayer dans une heure."
        elif form.is_valid():
            try:
                enquete.enregistrer_reponse(demande, **form.cleaned_data)
            except enquete.DejaRepondu as refus:
                status, erreur = 409, str(refus)
            except enquete.EnqueteFermee as refus:
                status, erreur = 400, str(refus)
            else:
                return redirect(reverse("intake_satisfaction", args=[jeton]) + "?merci=1")
        else:
            status = 400
    deja = enquete.deja_repondu(demande)
    ouverte = demande.statut == Demande.Statut.TERMINE and not deja
    if not erreur and not ouverte and not merci:
        erreur = enquete.DEJA_REPONDU if deja else enquete.PAS_ENCORE
        if request.method == "POST":
            status = 409 if deja else 400
    response = render(
        request,
        "intake/satisfaction.html",
        {
            "demande": demande,
            "form": form or enquete.SatisfactionForm(),
            "ouverte": ouverte and not merci,
            "erreur": erreur,
            "merci": merci,
        },
        status=status,
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The link holds a secret: never sent to another site. Not "no-referrer": Chromium then posts
    # the page's forms with `Origin: null`, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def piece_jointe(request, pk):
    """The one route of attachments: served to those who may see the demande's detail; anyone
    else gets the same 404 as for a missing file, so an outsider learns nothing."""
    if not request.user.is_authenticated:
        # Before any look-up: the login redirect must not depend on the file existing.
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    piece = PieceJointe.objects.select_related("demande").filter(pk=pk).first()
    if piece is None or not peut_voir_detail(request.user, piece.demande):
        raise Http404("Pièce jointe introuvable.")
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Pièce jointe introuvable.") from None
    enregistrer_acces(request.user, piece.demande, nature=AccesDemande.Nature.PIECE_JOINTE, objet=piece.nom_original)
    response = FileResponse(fichier, as_attachment=True, filename=piece.nom_original, content_type=piece.type_mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
