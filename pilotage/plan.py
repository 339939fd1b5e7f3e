"""The plan d'actions as the dashboard and the bilan show it: axes, actions, indicators with
their measured value and progress, lateness, and the summary."""

from django.db.models import Prefetch
from django.utils import timezone

from pilotage.models import Action, Axe, Indicateur


def plan_d_actions(aujourd_hui=None, decisions=None):
    """Axes with their actions and indicators, each indicator with its value and its share of
    the target, each action with its lateness; shared by the dashboard and the bilan."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    axes = Axe.objects.prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("pilote_direction__structure", "pilote_structure").prefetch_related(
                "partenaires", Prefetch("indicateurs", queryset=Indicateur.objects.order_by("ordre", "pk"))
            ),
        )
    )
    cache = {}
    resultat = []
    for axe in axes:
        actions = []
        for action in axe.actions.all():
            indicateurs = []
            for indicateur in action.indicateurs.all():
                valeur = indicateur.valeur(aujourd_hui, cache=cache)
                indicateurs.append(
                    {"indicateur": indicateur, "valeur": valeur, "progression": indicateur.progression(valeur)}
                )
            actions.append(
                {
                    "action": action,
                    "en_retard": action.est_en_retard(aujourd_hui),
                    "indicateurs": indicateurs,
                    "decisions": (decisions or {}).get(action.pk, []),
                }
            )
        avancement = round(sum(a["action"].avancement for a in actions) / len(actions)) if actions else None
        resultat.append({"axe": axe, "actions": actions, "avancement": avancement})
    return resultat


def synthese(plan):
    actions = [a for axe in plan for a in axe["actions"]]
    par_statut = {libelle: 0 for _, libelle in Action.Statut.choices}
    for a in actions:
        par_statut[a["action"].get_statut_display()] += 1
    return {
        "total": len(actions),
        "en_retard": sum(1 for a in actions if a["en_retard"]),
        "par_statut": par_statut,
        "avancement": round(sum(a["action"].avancement for a in actions) / len(actions)) if actions else None,
    }
