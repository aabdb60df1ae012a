from django.urls import include, path

from admission.decisions import api as admission
from admission.dossier import api as dossier
from admission.imports import api as imports
from admission.party import api as views
from admission.probation import api as probation
from admission.reports import api as reports
from admission.sourcing import api as candidates

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-token"),
    path("orgs/", views.OrgListApi.as_view(), name="api-org-list"),
    path("orgs/<int:pk>/", views.OrgDetailApi.as_view(), name="api-org-detail"),
    path("people/", views.PersonListApi.as_view(), name="api-person-list"),
    path("people/<int:pk>/", views.PersonDetailApi.as_view(), name="api-person-detail"),
    path("members/", views.MemberListApi.as_view(), name="api-member-list"),
    path("me/roles/", views.MyRolesApi.as_view(), name="api-my-roles"),
    path("candidates/", candidates.CandidateListApi.as_view(), name="api-candidate-list"),
    path("candidates/<int:pk>/", candidates.CandidateDetailApi.as_view(), name="api-candidate-detail"),
    path(
        "candidates/<int:pk>/eligibility/",
        candidates.CandidateEligibilityApi.as_view(),
        name="api-candidate-eligibility",
    ),
    path("candidates/<int:pk>/review-notes/", candidates.ReviewNoteCreateApi.as_view(), name="api-review-note-create"),
    path("candidates/<int:pk>/close/", candidates.CandidateCloseApi.as_view(), name="api-candidate-close"),
    path("candidates/<int:pk>/mentors/<int:mentor_pk>/end/", candidates.MentorEndApi.as_view(), name="api-mentor-end"),
    path("candidates/<int:pk>/dossier/", dossier.DossierApi.as_view(), name="api-dossier"),
    path(
        "candidates/<int:pk>/dossier/application/",
        dossier.ApplicationRecordApi.as_view(),
        name="api-dossier-application",
    ),
    path("candidates/<int:pk>/dossier/curriculum/", dossier.CurriculumRecordApi.as_view(), name="api-dossier-cv"),
    path("candidates/<int:pk>/dossier/curriculum/seal/", dossier.CurriculumSealApi.as_view(), name="api-dossier-seal"),
    path(
        "candidates/<int:pk>/dossier/curriculum/certification/",
        dossier.CurriculumCertifyApi.as_view(),
        name="api-dossier-certification",
    ),
    path(
        "candidates/<int:pk>/dossier/verifications/<int:check_pk>/request/",
        dossier.CheckRequestApi.as_view(),
        name="api-dossier-check-request",
    ),
    path(
        "candidates/<int:pk>/dossier/verifications/<int:check_pk>/reply/",
        dossier.CheckReplyApi.as_view(),
        name="api-dossier-check-reply",
    ),
    path(
        "candidates/<int:pk>/dossier/introductions/",
        dossier.IntroductionAddApi.as_view(),
        name="api-dossier-introduction-add",
    ),
    path(
        "candidates/<int:pk>/dossier/introductions/<int:introduction_pk>/replace/",
        dossier.IntroductionReplaceApi.as_view(),
        name="api-dossier-introduction-replace",
    ),
    path(
        "candidates/<int:pk>/dossier/mass-org-resolution/",
        dossier.MassOrgResolutionRecordApi.as_view(),
        name="api-dossier-mass-org-resolution",
    ),
    path("candidates/<int:pk>/dossier/opinions/", dossier.OpinionsRecordApi.as_view(), name="api-dossier-opinions"),
    path("candidates/<int:pk>/admission/", admission.AdmissionOverviewApi.as_view(), name="api-admission"),
    path("candidates/<int:pk>/consents/", admission.ConsentRecordApi.as_view(), name="api-consent-record"),
    path("probations/", probation.ProbationListApi.as_view(), name="api-probation-list"),
    path("candidates/<int:pk>/probation/", probation.ProbationDetailApi.as_view(), name="api-probation"),
    path(
        "candidates/<int:pk>/probation/helpers/<int:mentor_pk>/replace/",
        probation.ProbationHelperReplaceApi.as_view(),
        name="api-probation-helper-replace",
    ),
    path(
        "candidates/<int:pk>/probation/certificate/",
        probation.ProbationCertificateRecordApi.as_view(),
        name="api-probation-certificate",
    ),
    path(
        "candidates/<int:pk>/probation/disciplines/",
        probation.ProbationDisciplineRecordApi.as_view(),
        name="api-probation-discipline",
    ),
    path(
        "candidates/<int:pk>/probation/self-review/",
        probation.ProbationSelfReviewRecordApi.as_view(),
        name="api-probation-self-review",
    ),
    path(
        "candidates/<int:pk>/probation/helper-comments/",
        probation.ProbationHelperCommentRecordApi.as_view(),
        name="api-probation-helper-comment",
    ),
    path(
        "candidates/<int:pk>/probation/opinions/",
        probation.ProbationOpinionsRecordApi.as_view(),
        name="api-probation-opinions",
    ),
    path(
        "candidates/<int:pk>/probation/votes/", probation.RecognitionVoteRecordApi.as_view(), name="api-probation-vote"
    ),
    path(
        "candidates/<int:pk>/probation/steps/<int:step_pk>/complete/",
        probation.RecognitionStepCompleteApi.as_view(),
        name="api-probation-step-complete",
    ),
    path(
        "candidates/<int:pk>/probation/steps/<int:step_pk>/refuse/",
        probation.RecognitionStepRefuseApi.as_view(),
        name="api-probation-step-refuse",
    ),
    path(
        "candidates/<int:pk>/probation/extend/",
        probation.RecognitionDecisionExtendApi.as_view(),
        name="api-probation-extend",
    ),
    path("candidates/<int:pk>/probation/removal/", probation.RemovalProposeApi.as_view(), name="api-probation-removal"),
    path(
        "candidates/<int:pk>/probation/removals/<int:removal_pk>/decide/",
        probation.RemovalDecideApi.as_view(),
        name="api-probation-removal-decide",
    ),
    path(
        "candidates/<int:pk>/probation/escalation/decide/",
        probation.EscalationDecideApi.as_view(),
        name="api-probation-escalation-decide",
    ),
    path(
        "candidates/<int:pk>/probation/transfer/",
        probation.ProbationTransferOutApi.as_view(),
        name="api-probation-transfer",
    ),
    path("probation-transfers/", probation.ProbationTransferListApi.as_view(), name="api-probation-transfer-list"),
    path(
        "probation-transfers/<int:pk>/receive/",
        probation.ProbationTransferReceiveApi.as_view(),
        name="api-probation-transfer-receive",
    ),
    path("courses/", candidates.CourseListApi.as_view(), name="api-course-list"),
    path("courses/<int:pk>/", candidates.CourseDetailApi.as_view(), name="api-course-detail"),
    path("plans/", candidates.PlanListApi.as_view(), name="api-plan-list"),
    path("plans/<int:pk>/", candidates.PlanDetailApi.as_view(), name="api-plan-detail"),
    path("reports/admissions/", reports.ReportAdmissionsApi.as_view(), name="api-report-admissions"),
    path("imports/<str:kind>/", imports.ImportRunApi.as_view(), name="api-import-run"),
    path("", include("admission.documents.api")),
]
