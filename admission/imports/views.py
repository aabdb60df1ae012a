"""Import and export screens: upload a spreadsheet (dry run first, then import), download templates and exports.

Imports need `act_for_org` on the target org (the form only offers those orgs, the service checks again); the
exports read the scoped selectors, so they hold only what the user may see; they carry citizen IDs, so they ask for
a reason, logged with one personal-data read per person exported (`admission.audit.access`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from admission.audit import access
from admission.audit.models import ReadKind
from admission.imports.columns import CANDIDATES, KINDS, MEMBERS
from admission.imports.engine import import_file
from admission.imports.exports import CSV_TYPE, EXPORTS, XLSX_TYPE, case_rows, export_file, roster_rows, template_file
from admission.imports.forms import ImportForm
from admission.party import permissions
from admission.party import selectors as party_selectors
from admission.sourcing import selectors as sourcing_selectors


def _download(body: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def import_page(request: HttpRequest) -> TemplateResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_file(
                    kind=form.cleaned_data["kind"],
                    target=form.cleaned_data["target"],
                    data=upload.read(),
                    filename=upload.name,
                    by=request.user,
                    dry_run="confirm" not in request.POST,
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("file", exc.messages if isinstance(exc, ValidationError) else str(exc))
        if not form.is_valid() or (result is not None and not result.ok):
            status = 422
        elif result is not None and result.imported:
            messages.success(request, _("Imported: %(n)d rows.") % {"n": result.rows})
    context = {"form": form, "result": result, "kinds": KINDS, "exports": (MEMBERS, CANDIDATES)}
    return TemplateResponse(request, "admission/imports/import.html", context, status=status)


@require_safe
@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in dict(KINDS) or fmt not in ("xlsx", "csv"):
        raise Http404
    return _download(template_file(kind, fmt), fmt, f"mau-nhap-{kind}")


@require_safe
@login_required
def export_list(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in EXPORTS or fmt not in ("xlsx", "csv"):
        raise Http404
    org = permissions.get_org_or_404(request.user, request.GET.get("org", ""))
    reason = request.GET.get("reason", "").strip()
    if not reason:
        # The exports carry citizen IDs: the personal-data log records why each one was taken.
        messages.error(request, _("Give the reason for the export: it carries citizen IDs, and the reason is logged."))
        return redirect("admission:imports:index")
    if kind == MEMBERS:
        members = party_selectors.member_list_for_user(user=request.user).filter(cell__path__startswith=org.path)
        subjects: list[tuple[int, int | None]] = [
            (person, None) for person in members.values_list("person_id", flat=True).distinct()
        ]
        rows = roster_rows(members)
    else:
        cases = sourcing_selectors.candidate_list_for_user(user=request.user).filter(cell__path__startswith=org.path)
        subjects = list(cases.values_list("person_id", "pk"))
        rows = case_rows(cases)
    access.access_record_many(request, subjects=subjects, what=ReadKind.EXPORT, reason=reason)
    return _download(export_file(kind, fmt, rows), fmt, f"{kind}-{org.code}")
