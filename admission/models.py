"""The registry of the domain's models: each part of the process defines its own, and importing them here registers
them under the one `admission` app label. One label and one migration history keep the tables, content types,
permissions (and the engine's stored task permissions) exactly as they were before the parts had folders of their
own. Code imports a model from its part (`admission.party.models.orgs`), never from here."""

from admission.audit import models as audit
from admission.decisions.models import decisions, meetings, send_backs, snapshots
from admission.dossier import models as dossier
from admission.party.models import delegations, earlier, guests, orgs, people, restructuring, roles, users
from admission.probation import models as probation
from admission.reports import models as reports
from admission.rules.models import calendar, rulesets
from admission.sourcing.models import candidates, consents, plans, training

__all__ = [
    "audit",
    "calendar",
    "candidates",
    "consents",
    "decisions",
    "delegations",
    "dossier",
    "earlier",
    "guests",
    "meetings",
    "orgs",
    "people",
    "plans",
    "probation",
    "reports",
    "restructuring",
    "roles",
    "rulesets",
    "send_backs",
    "snapshots",
    "training",
    "users",
]
