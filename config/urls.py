"""URLs: the viewflow Site (Material frontend) for people, the REST API for programs, the admin for administrators."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Application, AppMenuMixin, Site, Viewset

from admission.views import candidates, home, orgs, people, plans, training
from workflows.flows import SourcingFlow
from workflows.viewsets import ScopedFlowAppViewset


class OrgViewset(AppMenuMixin, Viewset):
    title = _("Party organisations")
    icon = "account_tree"
    index_path = path("", orgs.org_list, name="index")
    detail_path = path("<int:pk>/", orgs.org_detail, name="detail")


class MemberViewset(AppMenuMixin, Viewset):
    title = _("Party members")
    icon = "groups"
    index_path = path("", people.member_list, name="index")
    detail_path = path("person/<int:pk>/", people.person_detail, name="person")


class CandidateViewset(AppMenuMixin, Viewset):
    title = _("Candidate cases")
    icon = "person_search"
    index_path = path("", candidates.candidate_list, name="index")
    detail_path = path("<int:pk>/", candidates.candidate_detail, name="detail")
    review_note_path = path("<int:pk>/review-notes/", candidates.candidate_review_note, name="review_note")
    close_path = path("<int:pk>/close/", candidates.candidate_close, name="close")


class CourseViewset(AppMenuMixin, Viewset):
    title = _("Awareness courses")
    icon = "school"
    index_path = path("", training.course_list, name="index")
    add_path = path("new/", training.course_add, name="add")
    detail_path = path("<int:pk>/", training.course_detail, name="detail")


class PlanViewset(AppMenuMixin, Viewset):
    title = _("Sourcing plans")
    icon = "flag"
    index_path = path("", plans.plan_list, name="index")
    add_path = path("new/", plans.plan_add, name="add")
    detail_path = path("<int:pk>/", plans.plan_detail, name="detail")
    edit_path = path("<int:pk>/edit/", plans.plan_edit, name="edit")


class HomeViewset(AppMenuMixin, Viewset):
    title = _("My work")
    icon = "home"
    index_path = path("", home.home, name="index")


site = Site(
    title=_("Party admission"),
    primary_color="#b71c1c",
    secondary_color="#f9a825",
    viewsets=[
        ScopedFlowAppViewset(SourcingFlow, icon="school"),
        Application(
            title=_("Party admission"),
            icon="how_to_reg",
            app_name="admission",
            viewsets=[
                HomeViewset(app_name="home"),
                CandidateViewset(app_name="candidates"),
                CourseViewset(app_name="courses"),
                PlanViewset(app_name="plans"),
                OrgViewset(app_name="orgs"),
                MemberViewset(app_name="members"),
            ],
        ),
    ],
)

urlpatterns = [
    path("", RedirectView.as_view(url="/app/admission/home/", permanent=False), name="home"),
    path("accounts/", AuthViewset(with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("admission.api.urls")),
    path("api/v1/", include("workflows.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("app/", site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
