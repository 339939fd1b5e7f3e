"""User guides (docs/guides/*.md) shown in the back office's "Aide" menu, and the communes'
guide on the public site. The Markdown files are trusted repository files; raw HTML in them is
escaped anyway, and capture images are served only for names matching a strict pattern."""

import re
from pathlib import Path

import markdown
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDES_DIR = Path(settings.BASE_DIR) / "docs" / "guides"
CAPTURES_DIR = GUIDES_DIR / "captures"
CAPTURE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}\.png$")
CAPTURE_LINK = re.compile(r"\]\((?:captures/)?([^)\s]+\.png)\)")

# slug -> (titre, public ?)
GUIDES = {
    "deposer-une-demande": ("Déposer une demande", True),
    "traiter-une-demande": ("Traiter une demande", False),
    "mettre-a-jour-sa-page-et-ses-fiches": ("Mettre à jour sa page et ses fiches", False),
    "administrer-la-plateforme": ("Administrer la plateforme", False),
}
GUIDE_PUBLIC = "deposer-une-demande"


class _SansHtmlBrut(markdown.Extension):
    """Drop Markdown's raw-HTML support: any HTML in a guide is shown as text."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def chemin_du_guide(slug):
    if slug not in GUIDES:
        raise Http404("Guide inconnu")
    return GUIDES_DIR / f"{slug}.md"


def captures_du_guide(slug):
    """Names of the capture images a guide references (for the tests and the Makefile)."""
    return CAPTURE_LINK.findall(chemin_du_guide(slug).read_text(encoding="utf-8"))


def rendre_guide(slug, url_captures):
    """The guide as HTML (title removed: the page shows it) with image links rewritten to `url_captures`."""
    texte = chemin_du_guide(slug).read_text(encoding="utf-8")
    texte = re.sub(r"\A# .*\n", "", texte)
    texte = CAPTURE_LINK.sub(lambda m: f"]({url_captures}{m.group(1)})", texte)
    html = markdown.markdown(texte, extensions=["tables", "sane_lists", _SansHtmlBrut()], output_format="html")
    return mark_safe(html)  # noqa: S308 (raw HTML disabled above; the source is a repository file)


def servir_capture(nom):
    if not CAPTURE_NAME.match(nom):
        raise Http404("Capture inconnue")
    chemin = CAPTURES_DIR / nom
    if not chemin.is_file():
        raise Http404("Capture inconnue")
    return FileResponse(chemin.open("rb"), content_type="image/png")


class GuideAdminView(WagtailAdminTemplateMixin, View):
    """A guide inside the Wagtail admin (any user who can open the admin)."""

    template_name = "actualites/aide/guide_admin.html"
    header_icon = "help"

    def get_page_title(self):
        return GUIDES[self.kwargs["slug"]][0]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": f"Aide — {self.get_page_title()}"}]

    def get(self, request, slug):
        if slug not in GUIDES:
            raise Http404("Guide inconnu")
        url_captures = reverse("actualites_aide_capture", args=["x.png"])[: -len("x.png")]
        return self.render_to_response(self.get_context_data(contenu=rendre_guide(slug, url_captures)))


def capture_admin(request, nom):
    return servir_capture(nom)


def guide_public(request):
    """The communes' guide on the public site (communes have no account)."""
    url_captures = reverse("aide_capture_publique", args=["x.png"])[: -len("x.png")]
    titre = GUIDES[GUIDE_PUBLIC][0]
    return render(
        request,
        "actualites/aide/guide_public.html",
        {"titre": titre, "contenu": rendre_guide(GUIDE_PUBLIC, url_captures)},
    )


def capture_publique(request, nom):
    """Only the captures of the public guide are public."""
    if nom not in captures_du_guide(GUIDE_PUBLIC):
        raise Http404("Capture inconnue")
    return servir_capture(nom)
