from pilotage.models.bilan import Bilan  # noqa: F401
from pilotage.models.conventions import Convention, RappelConvention  # noqa: F401
from pilotage.models.instances import Decision, Instance, Invitation, Reunion  # noqa: F401
from pilotage.models.plan import Action, Axe, Indicateur  # noqa: F401
