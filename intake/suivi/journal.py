"""The journal in the back office: what its author is told after writing an entry (who was
e-mailed, unknown names) and the « Associer … » buttons for the people mentioned without access."""

from django.template.loader import render_to_string

from catalogue.roles import nom_utilisateur
from intake import permissions
from intake.suivi.forms import AffectationForm


def boutons_association(request, demande, personnes):
    """For each mentioned person without access whom the author may invite as associated
    expert: a one-click form posting the demande's current assignment plus that person to the
    assignment action (same checks, history and emails as the assignment form)."""
    if not personnes or not permissions.peut_affecter(request.user, demande):
        return []
    invitables = AffectationForm(demande=demande).fields["experts_associes"].queryset
    invitables = set(invitables.filter(pk__in=[p.pk for p in personnes]).values_list("pk", flat=True))
    actuels = [u.pk for u in demande.experts_associes.all()]
    return [
        {
            "personne": p,
            "nom": nom_utilisateur(p),
            "experts_associes": actuels + [p.pk],
        }
        for p in personnes
        if p.pk in invitables
    ]


def message_auteur(request, demande, avis):
    """The confirmation shown to the author: who was told, unknown names, and the
    « Associer … » buttons (HTML: each button is a small POST form)."""
    boutons = boutons_association(request, demande, avis.sans_acces)
    avec_bouton = {b["personne"].pk for b in boutons}
    return render_to_string(
        "intake/admin/journal_avis.html",
        {
            "demande": demande,
            "avis": avis,
            "noms_mentionnes": [nom_utilisateur(u) for u in avis.mentionnes],
            "boutons": boutons,
            "sans_bouton": [nom_utilisateur(u) for u in avis.sans_acces if u.pk not in avec_bouton],
            "directions_associees": [d.pk for d in demande.directions_associees.all()],
        },
        request=request,
    )
