"""The domain's data. Importing from `admission.models` gives every model."""

from .calendar import CalendarOverride
from .orgs import AdmissionAuthority, DecidingBody, OrgKind, OrgParentLink, PartyOrg
from .people import ExemptionKind, MemberExemption, Membership, MembershipStatus, Person, Sex
from .roles import Role, RoleKind
from .rulesets import DeadlineRule, DocumentValidityRule, RuleSet, RuleSetStatus, VoteRule
from .users import User

__all__ = [
    "AdmissionAuthority",
    "CalendarOverride",
    "DeadlineRule",
    "DecidingBody",
    "DocumentValidityRule",
    "ExemptionKind",
    "MemberExemption",
    "Membership",
    "MembershipStatus",
    "OrgKind",
    "OrgParentLink",
    "PartyOrg",
    "Person",
    "Role",
    "RoleKind",
    "RuleSet",
    "RuleSetStatus",
    "Sex",
    "User",
    "VoteRule",
]
