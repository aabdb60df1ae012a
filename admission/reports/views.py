"""Report screens: the dashboard (charts and tables), the statistical forms, and their XLSX and PDF files.

Scope: the org comes from `permissions.get_org_or_404`, so another org's report is a 404. Numbers come from
`admission.reports.statistics` (SQL aggregates); the views only pick the org and the period.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.reports.exports import report_pdf, report_xlsx
from admission.reports.forms import ReportFilterForm
from admission.reports.statistics import Period, build_dashboard, build_report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[ReportFilterForm, PartyOrg, Period, str]:
    form = ReportFilterForm.for_request(request.GET, user=request.user)
    raw_org = request.GET.get("org")
    if raw_org:
        org = permissions.get_org_or_404(request.user, raw_org)
    else:
        default = form.default_org()
        if default is None:
            raise Http404
        org = default
    return form, org, form.period_value(), form.basis_value()


def _query(form: ReportFilterForm, org: PartyOrg) -> str:
    """The filter as a query string for the page's links (forms, XLSX, PDF): the period shown, whatever was typed."""
    data = {key: str(form.data.get(key) or "") for key in form.data}
    data["org"] = str(org.pk)
    return urlencode(data)


def _filename(org: PartyOrg, period: Period, ext: str) -> str:
    return f"thong-ke-ket-nap-{org.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


@require_safe
@login_required
def report_dashboard(request: HttpRequest) -> TemplateResponse:
    form, org, period, basis = _filters(request)
    dashboard = build_dashboard(org=org, period=period, basis=basis)
    chart = {
        "months": [m for m, _now, _before in dashboard.monthly],
        "now": [now for _m, now, _before in dashboard.monthly],
        "before": [before for _m, _now, before in dashboard.monthly],
        "funnel_labels": [s.label for s in dashboard.funnel],
        "funnel": [s.cohort for s in dashboard.funnel],
    }
    context = {"form": form, "org": org, "dashboard": dashboard, "chart": chart, "query": _query(form, org)}
    return TemplateResponse(request, "admission/reports/dashboard.html", context)


@require_safe
@login_required
def report_forms(request: HttpRequest) -> TemplateResponse:
    form, org, period, basis = _filters(request)
    report = build_report(org=org, period=period, basis=basis)
    context = {"form": form, "org": org, "report": report, "query": _query(form, org)}
    return TemplateResponse(request, "admission/reports/forms.html", context)


@require_safe
@login_required
def report_xlsx_download(request: HttpRequest) -> HttpResponse:
    _form, org, period, basis = _filters(request)
    body = report_xlsx(build_report(org=org, period=period, basis=basis))
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(org, period, "xlsx")}"'
    return response


@require_safe
@login_required
def report_pdf_download(request: HttpRequest) -> HttpResponse:
    _form, org, period, basis = _filters(request)
    body = report_pdf(build_report(org=org, period=period, basis=basis))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(org, period, "pdf")}"'
    return response
