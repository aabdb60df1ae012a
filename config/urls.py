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

from admission.views import home, orgs, people
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
            permission=lambda user: user.is_authenticated,
            viewsets=[HomeViewset(app_name="home"), OrgViewset(app_name="orgs"), MemberViewset(app_name="members")],
        ),
    ],
)

urlpatterns = [
    path("", RedirectView.as_view(url="/app/admission/home/", permanent=False), name="home"),
    path("accounts/", AuthViewset(with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("admission.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("app/", site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
