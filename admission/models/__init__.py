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
from .decisions import Ceremony, ChainStepRecord, Consent, ConsentKind, StepStatus
from .dossier import (
    Application,
    BackgroundCheck,
    CheckMethod,
    CheckResult,
    Curriculum,
    Introduction,
    MassOrgKind,
    MassOrgResolution,
    OpinionSummary,
    Relation,
    Relative,
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
    "Application",
    "Attendance",
    "AwarenessCertificate",
    "AwarenessCourse",
    "BackgroundCheck",
    "CalendarOverride",
    "Candidate",
    "CandidateState",
    "Ceremony",
    "ChainStepRecord",
    "CheckMethod",
    "CheckResult",
    "Consent",
    "ConsentKind",
    "Curriculum",
    "DeadlineRule",
    "DecidingBody",
    "DocumentValidityRule",
    "EducationException",
    "Enrollment",
    "EnrollmentState",
    "ExemptionKind",
    "Introduction",
    "LeavingReason",
    "MassOrgKind",
    "MassOrgResolution",
    "Meeting",
    "MeetingPurpose",
    "MemberExemption",
    "Membership",
    "MembershipStatus",
    "Mentor",
    "NominationSource",
    "OpinionSummary",
    "OrgKind",
    "OrgParentLink",
    "PartyOrg",
    "Person",
    "PlanCategory",
    "PlanTarget",
    "Relation",
    "Relative",
    "ReviewNote",
    "Role",
    "RoleKind",
    "RuleSet",
    "RuleSetStatus",
    "Sex",
    "SourcingPlan",
    "StepStatus",
    "User",
    "Vote",
    "VoteRule",
]
