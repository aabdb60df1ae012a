"""Pages: the candidate's own case (/ho-so-cua-toi/), the public lookup (/tra-cuu/), and the cell's PIN page with
the printable receipt (/ma-tra-cuu/<case>/)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from admission.audit import selectors as audit_selectors
from admission.core.files import missing_file_response, open_or_none
from admission.core.network import client_address
from admission.documents import lost
from admission.documents import services as documents
from admission.documents.dossier import lookup_url
from admission.documents.models import DocumentStatus
from admission.party import permissions
from admission.sourcing.models.candidates import Candidate
from portal import lookup, selectors
from portal.forms import LookupForm
from portal.models import LookupPin
from portal.services import pin_issue

# ------------------------------------------------------------------------------------------------------------------
# The candidate
# ------------------------------------------------------------------------------------------------------------------


def _case_page(request: HttpRequest, candidate: Candidate | None, cases: list[Candidate]) -> TemplateResponse:
    if candidate is not None:
        lost.lost_documents_forget(candidate)  # a paper whose file is gone is offered again, not as ready
    context = {
        "progress": selectors.case_progress(candidate) if candidate else None,
        "others": [c for c in cases if candidate is None or c.pk != candidate.pk],
        # The personal data protection law: the person may know who read their data.
        "reads": list(audit_selectors.reads_of_own_data(user=request.user)[:100]) if cases else None,
    }
    return TemplateResponse(request, "portal/my_case.html", context)


@login_required
@require_safe
def my_cases(request: HttpRequest) -> TemplateResponse:
    """The latest case of the person linked to the login (most people have one), with links to earlier attempts."""
    cases = list(selectors.case_list_for_candidate(user=request.user))
    return _case_page(request, cases[0] if cases else None, cases)


@login_required
@require_safe
def my_case(request: HttpRequest, pk: int) -> TemplateResponse:
    candidate = selectors.case_get_for_candidate(user=request.user, pk=pk)
    return _case_page(request, candidate, list(selectors.case_list_for_candidate(user=request.user)))


@login_required
@require_safe
def my_document(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponseBase:
    """The candidate downloads their own 1-KNĐ / 2-KNĐ drafts and course certificate, logged like any download.
    A paper whose file the store lost is made again, and the candidate is told so."""
    candidate = selectors.case_get_for_candidate(user=request.user, pk=pk)
    document = selectors.portal_document_get(candidate=candidate, pk=doc_pk)
    handle = open_or_none(document.file)
    if handle is None:
        remade, _message = lost.document_remake(document=document, by=request.user)
        message = (
            _(
                "Your paper was not found in the file store. It is being prepared again: it appears on your page "
                "in a minute or two."
            )
            if remade is not None
            else _("Your paper was not found in the file store and cannot be prepared again now.")
        )
        return missing_file_response(request, message, back_url=reverse("portal:my_case", kwargs={"pk": candidate.pk}))
    documents.document_download(document=document, by=request.user, via="portal")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=documents.download_name(document),
        content_type="application/pdf",
    )


@login_required
@require_POST
def my_document_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate asks for a fresh copy of one of their own forms (say the 1-KNĐ draft to copy by hand); it is
    made in the background like any generated document and appears on the page when ready."""
    candidate = selectors.case_get_for_candidate(user=request.user, pk=pk)
    form_code = request.POST.get("form", "")
    if form_code not in selectors.PORTAL_FORMS:
        raise Http404
    try:
        document = documents.document_request(candidate=candidate, form_code=form_code, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:my_case", pk=candidate.pk)
    document.refresh_from_db()  # a worker (or the immediate backend) may have finished it already
    if document.status == DocumentStatus.DONE:
        messages.success(request, _("Your paper is ready: download it below."))
    else:
        messages.info(request, _("Your paper is being prepared: it appears here in a minute or two."))
    return redirect("portal:my_case", pk=candidate.pk)


# ------------------------------------------------------------------------------------------------------------------
# The public lookup
# ------------------------------------------------------------------------------------------------------------------


def _lookup_page(request: HttpRequest, status: int = 200, **context: Any) -> TemplateResponse:
    context.setdefault("form", LookupForm())
    context.update({"window_minutes": int(lookup.WINDOW.total_seconds() // 60), "limit": lookup.LIMIT_PER_CODE})
    return TemplateResponse(request, "portal/lookup.html", context, status=status)


# No login and no session: the form carries no CSRF token (there is nothing of the visitor's to forge), so that a
# wrong answer for any code renders the very same bytes.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def lookup_page(request: HttpRequest) -> TemplateResponse:
    if request.method != "POST":
        code = lookup.normalise_code(request.GET.get("ma", ""))[:30]
        return _lookup_page(request, form=LookupForm(initial={"ma": code}))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, 422, form=form)
    result = lookup.lookup(
        client=client_address(request),
        code=form.cleaned_data["ma"],
        pin=form.cleaned_data["pin"],
        date_of_birth=form.cleaned_data["ngay_sinh"],
    )
    if result.blocked_until is not None:
        return _lookup_page(request, 429, blocked_until=timezone.localtime(result.blocked_until))
    if result.candidate is None:
        # Nothing of what was typed is echoed: an unknown code and a wrong answer give the same page.
        return _lookup_page(request, 422, failed=True)
    position = selectors.case_position(result.candidate)
    return _lookup_page(request, code=result.candidate.code, position=position)


# ------------------------------------------------------------------------------------------------------------------
# The cell: the PIN and the receipt
# ------------------------------------------------------------------------------------------------------------------


def _case_in_units(user: Any, pk: int) -> Candidate:
    """A case of a cell in the user's units (the candidate's own login does not issue PINs): else 404."""
    try:
        return Candidate.objects.select_related("person", "cell").get(
            permissions.scope_q(user, field="cell__path"), pk=pk
        )
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc


def qr_data_uri(text: str) -> str:
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pin_page(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _case_in_units(request.user, pk)
    context: dict[str, Any] = {
        "candidate": candidate,
        "pin": LookupPin.objects.select_related("issued_by").filter(candidate=candidate).first(),
        "can_issue": permissions.can_act_for_org(request.user, candidate.cell),
    }
    if request.method != "POST":
        return TemplateResponse(request, "portal/pin.html", context)
    try:
        plain = pin_issue(candidate=candidate, by=request.user)  # PermissionDenied (403) unless acting for the cell
    except ValidationError as exc:
        return TemplateResponse(request, "portal/pin.html", {**context, "errors": exc.messages}, status=422)
    url = lookup_url(candidate.code)
    receipt = {"candidate": candidate, "plain_pin": plain, "url": url, "qr": qr_data_uri(url)}
    return TemplateResponse(request, "portal/receipt.html", receipt)
