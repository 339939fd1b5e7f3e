"""Rapport d'usage du réseau: figures, SVG charts, CSV and PDF exports."""

import csv

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from intake.statistiques.graphiques import barres, courbe
from reseau import rapport as calcul
from reseau.forms import PeriodeRapportForm
from reseau.views.base import ReseauView


def graphiques(rapport):
    sections = []
    for slug, tableau in rapport.tableaux.items():
        lignes = [(ligne[0], ligne[1]) for ligne in tableau["lignes"]]
        trace = courbe if tableau["graphique"] == "courbe" else barres
        sections.append(
            {
                **tableau,
                "slug": slug,
                "svg": trace(f"rapport-{slug}", tableau["titre"], lignes, unite=tableau["unite"]) if lignes else "",
            }
        )
    return sections


class RapportUsageView(ReseauView):
    template_name = "reseau/rapport_usage.html"
    page_title = "Rapport d'usage du réseau"
    header_icon = "table"

    def get(self, request):
        form = PeriodeRapportForm(request.GET or None)
        if request.GET and not form.is_valid():
            if request.GET.get("format"):
                return HttpResponse("Période invalide.", status=400, content_type="text/plain; charset=utf-8")
            return self.render_to_response(self.get_context_data(form=form, rapport=None), status=400)
        if not request.GET:
            form = PeriodeRapportForm({"annee": timezone.localdate().year})
            form.is_valid()
        debut, fin = form.periode()
        rapport = calcul.calculer(debut, fin)
        format_export = request.GET.get("format")
        if format_export == "csv":
            return self.csv(rapport)
        if format_export == "pdf":
            return self.pdf(rapport)
        params = request.GET.copy()
        params.pop("format", None)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                rapport=rapport,
                sections=graphiques(rapport),
                params=params.urlencode(),
            )
        )

    @staticmethod
    def nom_fichier(rapport, extension):
        return f"rapport-usage-reseau-{rapport.debut:%Y%m%d}-{rapport.fin:%Y%m%d}.{extension}"

    def csv(self, rapport):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.nom_fichier(rapport, "csv")}"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([f"Rapport d'usage du réseau du {rapport.debut:%d/%m/%Y} au {rapport.fin:%d/%m/%Y}"])
        writer.writerow(["Indicateur", "Valeur"])
        writer.writerows(rapport.indicateurs)
        for tableau in rapport.tableaux.values():
            writer.writerow([])
            writer.writerow([tableau["titre"]])
            writer.writerow(tableau["entete"])
            writer.writerows(tableau["lignes"])
        return response

    def pdf(self, rapport):
        from weasyprint import HTML

        html = render_to_string(
            "reseau/rapport_usage_pdf.html",
            {
                "rapport": rapport,
                "sections": graphiques(rapport),
                "plateforme": settings.PLATEFORME,
                "genere_le": timezone.localtime(),
            },
        )
        response = HttpResponse(
            HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.nom_fichier(rapport, "pdf")}"'
        return response
