from django.urls import path

from admission.api import candidates, views

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
    path("courses/", candidates.CourseListApi.as_view(), name="api-course-list"),
    path("courses/<int:pk>/", candidates.CourseDetailApi.as_view(), name="api-course-detail"),
    path("plans/", candidates.PlanListApi.as_view(), name="api-plan-list"),
    path("plans/<int:pk>/", candidates.PlanDetailApi.as_view(), name="api-plan-detail"),
]
