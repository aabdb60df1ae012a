"""URLs: the viewflow Site (Material frontend) for people, the REST API for programs, the admin for administrators."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Application, AppMenuMixin, Site, Viewset

from admission.audit import views as audit_views
from admission.cases import views as candidates
from admission.core.api import problems
from admission.documents import views as documents
from admission.dossier import redo_views as dossier_redo
from admission.dossier import views as dossier
from admission.imports import views as imports
from admission.party.views import orgs, people
from admission.probation import views as probation_views
from admission.reports import views as reports
from admission.restructuring import views as restructuring
from admission.sourcing.views import plans, training
from notifications.viewsets import notifications_application
from portal.accessibility import accessibility_statement
from workflows import send_back_views, step_page, work_views
from workflows import views as flow_views
from workflows.flows import AdmissionCaseFlow, ProbationFlow, SourcingFlow
from workflows.viewsets import ScopedFlowAppViewset


class OrgViewset(AppMenuMixin, Viewset):
    title = _("Party organisations")
    icon = "account_tree"
    index_path = path("", orgs.org_list, name="index")
    detail_path = path("<int:pk>/", orgs.org_detail, name="detail")
    # Restructuring (merge, dissolve, move, rename) by the organisation board: admission/restructuring/views.py
    restructure_path = path("<int:pk>/restructure/", restructuring.restructure, name="restructure")
    restructurings_path = path("restructurings/", restructuring.restructuring_list, name="restructurings")


class MemberViewset(AppMenuMixin, Viewset):
    title = _("Party members")
    icon = "groups"
    index_path = path("", people.member_list, name="index")
    detail_path = path("person/<int:pk>/", people.person_detail, name="person")
    reads_path = path("person/<int:pk>/reads/", audit_views.person_reads, name="person_reads")


class CandidateViewset(AppMenuMixin, Viewset):
    title = _("Candidate cases")
    icon = "person_search"
    index_path = path("", candidates.candidate_list, name="index")
    detail_path = path("<int:pk>/", candidates.candidate_detail, name="detail")
    nominate_path = path("nominate/", login_required(flow_views.NominateView.as_view()), name="nominate")
    # The waiting step of a case, for everyone acting for its body (no claims): workflows/step_page.py
    step_path = path("<int:pk>/step/<str:node>/", step_page.case_step, name="step")
    step_mark_path = path("<int:pk>/step/<str:node>/mark/", step_page.case_step_mark, name="step_mark")
    review_note_path = path("<int:pk>/review-notes/", candidates.candidate_review_note, name="review_note")
    close_path = path("<int:pk>/close/", candidates.candidate_close, name="close")
    documents_path = path("<int:pk>/documents/", documents.documents_page, name="documents")
    document_generate_path = path("<int:pk>/documents/generate/", documents.document_generate, name="document_generate")
    document_status_path = path(
        "<int:pk>/documents/<int:doc_pk>/status/", documents.document_status, name="document_status"
    )
    document_download_path = path(
        "<int:pk>/documents/<int:doc_pk>/download/", documents.document_download, name="document_download"
    )
    # The admission dossier (1-KNĐ to 5-KNĐ): its page, one form per action, the scans for the units in scope.
    dossier_path = path("<int:pk>/dossier/", dossier.dossier_page, name="dossier")
    dossier_application_path = path(
        "<int:pk>/dossier/application/", dossier.application_record, name="dossier_application"
    )
    dossier_curriculum_path = path("<int:pk>/dossier/curriculum/", dossier.curriculum_record, name="dossier_curriculum")
    dossier_seal_path = path("<int:pk>/dossier/curriculum/seal/", dossier.curriculum_seal, name="dossier_seal")
    dossier_certify_path = path(
        "<int:pk>/dossier/curriculum/certification/", dossier.curriculum_certify, name="dossier_certify"
    )
    dossier_check_request_path = path(
        "<int:pk>/dossier/checks/<int:check_pk>/request/", dossier.check_request, name="dossier_check_request"
    )
    dossier_check_reply_path = path(
        "<int:pk>/dossier/checks/<int:check_pk>/reply/", dossier.check_reply, name="dossier_check_reply"
    )
    dossier_introduction_path = path(
        "<int:pk>/dossier/introductions/new/", dossier.introduction_add, name="dossier_introduction"
    )
    dossier_introduction_replace_path = path(
        "<int:pk>/dossier/introductions/<int:introduction_pk>/replace/",
        dossier.introduction_replace,
        name="dossier_introduction_replace",
    )
    dossier_mass_org_path = path(
        "<int:pk>/dossier/mass-org-resolution/", dossier.mass_org_resolution_record, name="dossier_mass_org"
    )
    dossier_opinions_path = path("<int:pk>/dossier/opinions/", dossier.opinions_record, name="dossier_opinions")
    dossier_redo_path = path("<int:pk>/dossier/redo/<str:paper>/", dossier_redo.paper_redo, name="dossier_redo")
    dossier_scan_path = path(
        "<int:pk>/dossier/scans/<str:kind>/<int:obj_pk>/", dossier.dossier_scan, name="dossier_scan"
    )
    # Probation and recognition (10–12-KNĐ, helpers, removal, transfer): admission/views/probation.py
    probation_path = path("<int:pk>/probation/", probation_views.probation_page, name="probation")
    probation_helper_path = path(
        "<int:pk>/probation/helpers/<int:mentor_pk>/replace/", probation_views.helper_replace, name="probation_helper"
    )
    probation_certificate_path = path(
        "<int:pk>/probation/certificate/", probation_views.certificate_record, name="probation_certificate"
    )
    probation_discipline_path = path(
        "<int:pk>/probation/discipline/", probation_views.discipline_record, name="probation_discipline"
    )
    probation_self_review_path = path(
        "<int:pk>/probation/self-review/", probation_views.self_review_record, name="probation_self_review"
    )
    probation_comment_path = path(
        "<int:pk>/probation/helpers/<int:mentor_pk>/comment/",
        probation_views.helper_comment_record,
        name="probation_comment",
    )
    probation_opinions_path = path(
        "<int:pk>/probation/opinions/", probation_views.opinions_record, name="probation_opinions"
    )
    probation_removal_path = path(
        "<int:pk>/probation/removal/", probation_views.removal_propose, name="probation_removal"
    )
    probation_transfer_path = path(
        "<int:pk>/probation/transfer/", probation_views.transfer_out, name="probation_transfer"
    )
    probation_extend_path = path(
        "<int:pk>/probation/decision-extension/", probation_views.decision_extend, name="probation_extend"
    )
    consent_path = path("<int:pk>/consents/", candidates.candidate_consent, name="consent")
    extend_path = path("<int:pk>/decision-extension/", flow_views.decision_extend, name="extend")
    send_back_path = path("<int:pk>/send-back/", send_back_views.case_send_back_page, name="send_back")


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


class ReportViewset(AppMenuMixin, Viewset):
    title = _("Statistics")
    icon = "bar_chart"
    index_path = path("", reports.report_dashboard, name="index")
    forms_path = path("forms/", reports.report_forms, name="forms")
    xlsx_path = path("report.xlsx", reports.report_xlsx_download, name="xlsx")
    pdf_path = path("report.pdf", reports.report_pdf_download, name="pdf")


class ImportViewset(AppMenuMixin, Viewset):
    title = _("Import and export")
    icon = "upload_file"
    index_path = path("", imports.import_page, name="index")
    template_path = path("template/<str:kind>.<str:fmt>", imports.import_template, name="template")
    export_path = path("export/<str:kind>.<str:fmt>", imports.export_list, name="export")


class HomeViewset(AppMenuMixin, Viewset):
    title = _("Work to do")
    icon = "home"
    index_path = path("", work_views.work_page, name="index")


site = Site(
    title=_("Party admission"),
    primary_color="#b71c1c",
    secondary_color="#f9a825",
    viewsets=[
        ScopedFlowAppViewset(SourcingFlow, icon="school"),
        ScopedFlowAppViewset(AdmissionCaseFlow, icon="how_to_vote"),
        ScopedFlowAppViewset(ProbationFlow, icon="hourglass_bottom"),
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
                ReportViewset(app_name="reports"),
                ImportViewset(app_name="imports"),
            ],
        ),
        notifications_application(),
    ],
)

urlpatterns = [
    path("", RedirectView.as_view(url="/app/admission/home/", permanent=False), name="home"),
    path("accounts/security/", include("admission.accounts.urls")),  # second factor, remembered browsers, tokens
    path("accounts/", AuthViewset(with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("admission.api_urls")),
    path("api/v1/", include("workflows.api_urls")),
    path("api/v1/", include("notifications.api_urls")),
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", problems.not_found),  # any other path under /api/: a JSON 404, never a page
    path("app/", site.urls),
    path("", include("portal.urls")),  # /ho-so-cua-toi/ (the candidate), /tra-cuu/ (public), /ma-tra-cuu/
    path("kha-nang-tiep-can/", accessibility_statement, name="accessibility"),  # public, linked from every page
]

handler500 = "admission.core.api.problems.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
