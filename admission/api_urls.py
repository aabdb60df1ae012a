"""The domain's REST API (v1), one naming scheme throughout (docs/api-changelog.md):

- collections are plural nouns (`candidates/`, `…/probation/removals/`); POST to a collection records a new item;
- a record is `<collection>/<id:<singular>_id>/` (`candidates/{candidate_id}/dossier/checks/{check_id}/`);
- a record that exists once per case is a singular noun (`…/dossier/curriculum/`, `…/probation/certificate/`);
- an action is a verb after the record it acts on (`…/close/`, `…/removals/{removal_id}/decide/`);
- the words are the screens' words (checks, helpers, decision-extension).

The old paths of the endpoints renamed in 1.1 answer 308 to the new ones for one release (`moved`).
"""

from django.urls import include, path

from admission.accounts import api as accounts
from admission.core.api import converters  # noqa: F401  (registers <id:…>)
from admission.core.api.redirects import moved
from admission.decisions import api as admission
from admission.dossier import api as dossier
from admission.imports import api as imports
from admission.party import api as party
from admission.probation import api as probation
from admission.reports import api as reports
from admission.restructuring import api as restructuring
from admission.sourcing import api as sourcing

CASE = "candidates/<id:candidate_id>/"
PROBATION = CASE + "probation/"

urlpatterns = [
    # Sign-in for programs: a token per device, listed and revoked by its owner (admission.accounts)
    path("auth/token/", accounts.TokenObtainApi.as_view(), name="api-token"),
    path("auth/tokens/", accounts.TokenListApi.as_view(), name="api-token-list"),
    path("auth/tokens/<id:token_id>/", accounts.TokenRevokeApi.as_view(), name="api-token-revoke"),
    # Orgs and people
    path("orgs/", party.OrgListApi.as_view(), name="api-org-list"),
    path("orgs/<id:org_id>/", party.OrgDetailApi.as_view(), name="api-org-detail"),
    path("orgs/<id:org_id>/guests/", party.OrgGuestListApi.as_view(), name="api-org-guest-list"),
    path("people/", party.PersonListApi.as_view(), name="api-person-list"),
    path("people/<id:person_id>/", party.PersonDetailApi.as_view(), name="api-person-detail"),
    path("members/", party.MemberListApi.as_view(), name="api-member-list"),
    path("me/roles/", party.MyRolesApi.as_view(), name="api-my-roles"),
    # Restructuring the tree: the organisation board of the province or commune (admission.restructuring)
    path("restructurings/", restructuring.RestructuringListApi.as_view(), name="api-restructuring-list"),
    path("restructurings/preview/", restructuring.RestructuringPreviewApi.as_view(), name="api-restructuring-preview"),
    path(
        "restructurings/<id:restructuring_id>/cancel/",
        restructuring.RestructuringCancelApi.as_view(),
        name="api-restructuring-cancel",
    ),
    # Cases and sourcing
    path("candidates/", sourcing.CandidateListApi.as_view(), name="api-candidate-list"),
    path(CASE, sourcing.CandidateDetailApi.as_view(), name="api-candidate-detail"),
    path(CASE + "eligibility/", sourcing.CandidateEligibilityApi.as_view(), name="api-candidate-eligibility"),
    path(
        CASE + "earlier-memberships/", sourcing.EarlierMembershipListApi.as_view(), name="api-earlier-membership-list"
    ),
    path(CASE + "review-notes/", sourcing.ReviewNoteCreateApi.as_view(), name="api-review-note-create"),
    path(CASE + "close/", sourcing.CandidateCloseApi.as_view(), name="api-candidate-close"),
    path(CASE + "helpers/<id:helper_id>/end/", sourcing.MentorEndApi.as_view(), name="api-helper-end"),
    path("courses/", sourcing.CourseListApi.as_view(), name="api-course-list"),
    path("courses/<id:course_id>/", sourcing.CourseDetailApi.as_view(), name="api-course-detail"),
    path("plans/", sourcing.PlanListApi.as_view(), name="api-plan-list"),
    path("plans/<id:plan_id>/", sourcing.PlanDetailApi.as_view(), name="api-plan-detail"),
    # The dossier (1–5-KNĐ)
    path(CASE + "dossier/", dossier.DossierApi.as_view(), name="api-dossier"),
    path(CASE + "dossier/application/", dossier.ApplicationRecordApi.as_view(), name="api-dossier-application"),
    path(CASE + "dossier/curriculum/", dossier.CurriculumRecordApi.as_view(), name="api-dossier-cv"),
    path(CASE + "dossier/curriculum/seal/", dossier.CurriculumSealApi.as_view(), name="api-dossier-seal"),
    path(
        CASE + "dossier/curriculum/certification/",
        dossier.CurriculumCertifyApi.as_view(),
        name="api-dossier-certification",
    ),
    path(
        CASE + "dossier/checks/<id:check_id>/request/",
        dossier.CheckRequestApi.as_view(),
        name="api-dossier-check-request",
    ),
    path(CASE + "dossier/checks/<id:check_id>/reply/", dossier.CheckReplyApi.as_view(), name="api-dossier-check-reply"),
    path(CASE + "dossier/introductions/", dossier.IntroductionAddApi.as_view(), name="api-dossier-introduction-add"),
    path(
        CASE + "dossier/introductions/<id:introduction_id>/replace/",
        dossier.IntroductionReplaceApi.as_view(),
        name="api-dossier-introduction-replace",
    ),
    path(
        CASE + "dossier/mass-org-resolution/",
        dossier.MassOrgResolutionRecordApi.as_view(),
        name="api-dossier-mass-org-resolution",
    ),
    path(CASE + "dossier/opinions/", dossier.OpinionsRecordApi.as_view(), name="api-dossier-opinions"),
    path(CASE + "dossier/replaced-papers/", dossier.ReplacedPapersApi.as_view(), name="api-dossier-replaced-papers"),
    # Admission: where the case stands after its dossier, the higher consents
    path(CASE + "admission/", admission.AdmissionOverviewApi.as_view(), name="api-admission"),
    path(CASE + "consents/", admission.ConsentRecordApi.as_view(), name="api-consent-record"),
    # Probation and recognition (10–16-KNĐ)
    path("probations/", probation.ProbationListApi.as_view(), name="api-probation-list"),
    path(PROBATION, probation.ProbationDetailApi.as_view(), name="api-probation"),
    path(
        PROBATION + "helpers/<id:helper_id>/replace/",
        probation.ProbationHelperReplaceApi.as_view(),
        name="api-probation-helper-replace",
    ),
    path(
        PROBATION + "certificate/", probation.ProbationCertificateRecordApi.as_view(), name="api-probation-certificate"
    ),
    path(PROBATION + "disciplines/", probation.ProbationDisciplineRecordApi.as_view(), name="api-probation-discipline"),
    path(
        PROBATION + "self-review/", probation.ProbationSelfReviewRecordApi.as_view(), name="api-probation-self-review"
    ),
    path(
        PROBATION + "helper-comments/",
        probation.ProbationHelperCommentRecordApi.as_view(),
        name="api-probation-helper-comment",
    ),
    path(PROBATION + "opinions/", probation.ProbationOpinionsRecordApi.as_view(), name="api-probation-opinions"),
    path(PROBATION + "votes/", probation.RecognitionVoteRecordApi.as_view(), name="api-probation-vote"),
    path(
        PROBATION + "chain-steps/<id:chain_step_id>/complete/",
        probation.RecognitionStepCompleteApi.as_view(),
        name="api-probation-step-complete",
    ),
    path(
        PROBATION + "chain-steps/<id:chain_step_id>/refuse/",
        probation.RecognitionStepRefuseApi.as_view(),
        name="api-probation-step-refuse",
    ),
    path(
        PROBATION + "decision-extension/",
        probation.RecognitionDecisionExtendApi.as_view(),
        name="api-probation-extension",
    ),
    path(PROBATION + "removals/", probation.RemovalProposeApi.as_view(), name="api-probation-removal"),
    path(
        PROBATION + "removals/<id:removal_id>/decide/",
        probation.RemovalDecideApi.as_view(),
        name="api-probation-removal-decide",
    ),
    path(
        PROBATION + "escalation/decide/",
        probation.EscalationDecideApi.as_view(),
        name="api-probation-escalation-decide",
    ),
    path(PROBATION + "transfers/", probation.ProbationTransferOutApi.as_view(), name="api-probation-transfer"),
    path("probation-transfers/", probation.ProbationTransferListApi.as_view(), name="api-probation-transfer-list"),
    path(
        "probation-transfers/<id:transfer_id>/receive/",
        probation.ProbationTransferReceiveApi.as_view(),
        name="api-probation-transfer-receive",
    ),
    # Reports and imports
    path("reports/admissions/", reports.ReportAdmissionsApi.as_view(), name="api-report-admissions"),
    path("imports/<str:kind>/", imports.ImportRunApi.as_view(), name="api-import-run"),
    path("", include("admission.documents.api")),
    # Renamed in 1.1: the old paths answer 308 to the new ones until 1.2.
    moved("candidates/<id:pk>/mentors/<id:mentor_pk>/end/", "api-helper-end", candidate_id="pk", helper_id="mentor_pk"),
    moved(
        "candidates/<id:pk>/dossier/verifications/<id:check_pk>/request/",
        "api-dossier-check-request",
        candidate_id="pk",
        check_id="check_pk",
    ),
    moved(
        "candidates/<id:pk>/dossier/verifications/<id:check_pk>/reply/",
        "api-dossier-check-reply",
        candidate_id="pk",
        check_id="check_pk",
    ),
    moved(
        "candidates/<id:pk>/probation/steps/<id:step_pk>/complete/",
        "api-probation-step-complete",
        candidate_id="pk",
        chain_step_id="step_pk",
    ),
    moved(
        "candidates/<id:pk>/probation/steps/<id:step_pk>/refuse/",
        "api-probation-step-refuse",
        candidate_id="pk",
        chain_step_id="step_pk",
    ),
    moved("candidates/<id:pk>/probation/extend/", "api-probation-extension", candidate_id="pk"),
    moved("candidates/<id:pk>/probation/removal/", "api-probation-removal", candidate_id="pk"),
    moved("candidates/<id:pk>/probation/transfer/", "api-probation-transfer", candidate_id="pk"),
]
