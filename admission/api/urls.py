from django.urls import path

from admission.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-token"),
    path("orgs/", views.OrgListApi.as_view(), name="api-org-list"),
    path("orgs/<int:pk>/", views.OrgDetailApi.as_view(), name="api-org-detail"),
    path("people/", views.PersonListApi.as_view(), name="api-person-list"),
    path("people/<int:pk>/", views.PersonDetailApi.as_view(), name="api-person-detail"),
    path("members/", views.MemberListApi.as_view(), name="api-member-list"),
    path("me/roles/", views.MyRolesApi.as_view(), name="api-my-roles"),
]
