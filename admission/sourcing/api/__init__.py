"""REST API v1 for candidate cases, awareness courses and sourcing plans.

Scope: every object comes from a scoped selector, so outside the caller's units it is a 404. Inside them, a service
refusing the caller (not acting for the cell) is a 403, and a broken rule is a 400 problem whose `detail` is the
service's message, translated like the screens.

The submodules, whose public names are all importable from here (the shared plumbing, ``ServiceRefused``,
``service_errors`` and ``parse_day``, lives in ``admission.core.api``):

- ``candidates``: candidate cases (list, detail and timeline, eligibility, review notes, helpers, closing);
- ``courses``: awareness courses;
- ``plans``: sourcing plans and their progress.
"""

from __future__ import annotations

from admission.sourcing.api.candidates import (
    CandidateCloseApi,
    CandidateDetailApi,
    CandidateEligibilityApi,
    CandidateEnrollmentOutput,
    CandidateListApi,
    CandidateOutput,
    CertificateOutput,
    EligibilityRuleOutput,
    MentorEndApi,
    MentorOutput,
    ReviewNoteCreateApi,
    ReviewNoteOutput,
    RuleSetOutput,
    TimelineOutput,
)
from admission.sourcing.api.courses import CourseDetailApi, CourseEnrollmentOutput, CourseListApi, CourseOutput
from admission.sourcing.api.plans import PlanDetailApi, PlanListApi, PlanOutput, PlanProgressOutput
from admission.sourcing.api.readmission import EarlierMembershipListApi

__all__ = [
    "CandidateCloseApi",
    "CandidateDetailApi",
    "CandidateEligibilityApi",
    "CandidateEnrollmentOutput",
    "CandidateListApi",
    "CandidateOutput",
    "CertificateOutput",
    "CourseDetailApi",
    "CourseEnrollmentOutput",
    "CourseListApi",
    "CourseOutput",
    "EarlierMembershipListApi",
    "EligibilityRuleOutput",
    "MentorEndApi",
    "MentorOutput",
    "PlanDetailApi",
    "PlanListApi",
    "PlanOutput",
    "PlanProgressOutput",
    "ReviewNoteCreateApi",
    "ReviewNoteOutput",
    "RuleSetOutput",
    "TimelineOutput",
]
