from django.urls import path

from admission.api import candidates, dossier, views

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
    path("courses/", candidates.CourseListApi.as_view(), name="api-course-list"),
    path("courses/<int:pk>/", candidates.CourseDetailApi.as_view(), name="api-course-detail"),
    path("plans/", candidates.PlanListApi.as_view(), name="api-plan-list"),
    path("plans/<int:pk>/", candidates.PlanDetailApi.as_view(), name="api-plan-detail"),
]
