"""The domain's data. Importing from `admission.models` gives every model."""

from .calendar import CalendarOverride
from .candidates import (
    Candidate,
    CandidateState,
    EducationException,
    LeavingReason,
    Mentor,
    NominationSource,
    ReviewNote,
)
from .meetings import Attendance, Meeting, MeetingPurpose, Vote
from .orgs import AdmissionAuthority, DecidingBody, OrgKind, OrgParentLink, PartyOrg
from .people import ExemptionKind, MemberExemption, Membership, MembershipStatus, Person, Sex
from .plans import PlanCategory, PlanTarget, SourcingPlan
from .roles import Role, RoleKind
from .rulesets import DeadlineRule, DocumentValidityRule, RuleSet, RuleSetStatus, VoteRule
from .training import AwarenessCertificate, AwarenessCourse, Enrollment, EnrollmentState
from .users import User

__all__ = [
    "AdmissionAuthority",
    "Attendance",
    "AwarenessCertificate",
    "AwarenessCourse",
    "CalendarOverride",
    "Candidate",
    "CandidateState",
    "DeadlineRule",
    "DecidingBody",
    "DocumentValidityRule",
    "EducationException",
    "Enrollment",
    "EnrollmentState",
    "ExemptionKind",
    "LeavingReason",
    "Meeting",
    "MeetingPurpose",
    "MemberExemption",
    "Membership",
    "MembershipStatus",
    "Mentor",
    "NominationSource",
    "OrgKind",
    "OrgParentLink",
    "PartyOrg",
    "Person",
    "PlanCategory",
    "PlanTarget",
    "ReviewNote",
    "Role",
    "RoleKind",
    "RuleSet",
    "RuleSetStatus",
    "Sex",
    "SourcingPlan",
    "User",
    "Vote",
    "VoteRule",
]
