"""Shared documents: folders, upload (new document or new version), moderation, download."""

from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue import roles
from reseau import acces, documents
from reseau.forms import DepotDocumentForm, DossierForm, RefusForm
from reseau.models import DocumentPartage, Dossier
from reseau.views.base import ReseauView


class DocumentsView(ReseauView):
    template_name = "reseau/documents.html"
    page_title = "Documents partagés"

    def get(self, request, form=None, status=200):
        moderateur = acces.peut_moderer(request.user)
        dossiers = Dossier.objects.select_related("thematique").annotate(
            nombre=Count("documents", filter=Q(documents__statut=DocumentPartage.Statut.VALIDE)),
            en_attente=Count("documents", filter=Q(documents__statut=DocumentPartage.Statut.EN_ATTENTE)),
        )
        return self.render_to_response(
            self.get_context_data(
                dossiers=dossiers,
                moderateur=moderateur,
                form=(form or DossierForm()) if moderateur else None,
            ),
            status=status,
        )

    def post(self, request):
        if not acces.peut_moderer(request.user):
            return acces.refus("Action réservée aux administrateurs de la plateforme.")
        form = DossierForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        dossier = form.save()
        messages.success(request, f"Le dossier « {dossier.nom} » est créé.")
        return redirect(reverse("reseau_dossier", args=[dossier.pk]))


class DossierView(ReseauView):
    template_name = "reseau/dossier.html"

    def get_page_title(self):
        return self.dossier.nom

    def dispatch(self, request, *args, pk=None, **kwargs):
        if acces.peut_acceder(request.user):
            self.dossier = get_object_or_404(Dossier, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, form=None, refus_form=None, status=200):
        moderateur = acces.peut_moderer(request.user)
        tous = self.dossier.documents.select_related("depose_par", "remplace").order_by("titre", "-version")
        visibles = tous.filter(statut=DocumentPartage.Statut.VALIDE)
        a_moderer = tous.filter(statut=DocumentPartage.Statut.EN_ATTENTE) if moderateur else []
        mes_depots = tous.filter(depose_par=request.user).exclude(statut=DocumentPartage.Statut.VALIDE)
        return self.render_to_response(
            self.get_context_data(
                dossier=self.dossier,
                visibles=visibles,
                a_moderer=a_moderer,
                mes_depots=mes_depots,
                moderateur=moderateur,
                form=form or DepotDocumentForm(dossier=self.dossier),
                refus_form=refus_form or RefusForm(),
            ),
            status=status,
        )

    def post(self, request):
        action = request.POST.get("action", "deposer")
        if action in ("valider", "refuser"):
            if not acces.peut_moderer(request.user):
                return acces.refus("Action réservée aux administrateurs de la plateforme.")
            pk = request.POST.get("document", "")
            document = get_object_or_404(DocumentPartage, dossier=self.dossier, pk=pk if pk.isdigit() else None)
            if action == "valider":
                documents.moderer(document, par=request.user, valider=True)
                messages.success(request, f"« {document.titre} » est validé et visible des membres du réseau.")
            else:
                refus_form = RefusForm(request.POST)
                if not refus_form.is_valid():
                    messages.error(request, "Indiquez le motif du refus.")
                    return self.get(request, refus_form=refus_form, status=400)
                documents.moderer(document, par=request.user, valider=False, motif=refus_form.cleaned_data["motif"])
                messages.success(request, f"« {document.titre} » est refusé ; son auteur en est informé.")
            return redirect(reverse("reseau_dossier", args=[self.dossier.pk]))
        form = DepotDocumentForm(request.POST, request.FILES, dossier=self.dossier)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        document = documents.deposer(dossier=self.dossier, par=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"« {document.titre} » (version {document.version}) est déposé : il sera visible des membres du réseau "
            "après validation par l'administrateur de la plateforme.",
        )
        return redirect(reverse("reseau_dossier", args=[self.dossier.pk]))


class TelechargerView(View):
    """Serve a shared document to those who may see it; every download is recorded."""

    def get(self, request, pk):
        if not (acces.peut_acceder(request.user) or roles.is_editeur(request.user)):
            return acces.refus()
        document = get_object_or_404(DocumentPartage, pk=pk)
        visible = document.est_visible_par(request.user) or (
            roles.is_editeur(request.user) and document.statut == DocumentPartage.Statut.VALIDE
        )
        if not visible:
            raise Http404
        try:
            fichier = document.fichier.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        documents.enregistrer_telechargement(document, request.user)
        return FileResponse(fichier, as_attachment=True, filename=document.nom_fichier)


def peut_publier(user):
    return roles.is_editeur(user) or roles.is_administrateur(user)


class PublicationView(WagtailAdminTemplateMixin, View):
    """Editors (and administrators) publish a validated shared document on the public site."""

    template_name = "reseau/publication.html"
    page_title = "Publier des documents du réseau"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not peut_publier(request.user):
            return acces.refus("Action réservée aux éditeurs et aux administrateurs de la plateforme.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        valides = (
            DocumentPartage.objects.filter(statut=DocumentPartage.Statut.VALIDE)
            .select_related("dossier", "document_publie")
            .order_by("document_publie", "dossier__nom", "titre", "-version")
        )
        return self.render_to_response(
            self.get_context_data(documents=valides, collection=documents.nom_collection_publique())
        )

    def post(self, request):
        pk = request.POST.get("document", "")
        document = get_object_or_404(
            DocumentPartage, statut=DocumentPartage.Statut.VALIDE, pk=pk if pk.isdigit() else None
        )
        public = documents.publier(document, par=request.user)
        messages.success(request, f"« {document.titre} » est publié sur le site : {public.url}")
        return redirect(reverse("reseau_publication"))
