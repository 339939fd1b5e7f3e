from pilotage.models.plan import Action, Axe, Indicateur  # noqa: F401
