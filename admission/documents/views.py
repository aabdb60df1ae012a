"""The documents page of a case: the forms that apply at its stage, a button to generate each (in the background),
progress polling, and logged downloads. Out of the user's units → 404 everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from admission.core.files import missing_file_response, open_or_none
from admission.documents import lost, services
from admission.documents.models import DocumentStatus, GeneratedDocument


def _status(request: HttpRequest, document: GeneratedDocument) -> dict[str, object]:
    done = document.status == "done"
    return {
        "id": document.pk,
        "form": document.form_code,
        "status": document.status,
        "status_label": document.get_status_display(),
        "progress": document.progress,
        "error": document.error,
        "download_url": reverse(
            "admission:candidates:document_download", kwargs={"pk": document.candidate_id, "doc_pk": document.pk}
        )
        if done
        else "",
    }


@login_required
@require_safe
def documents_page(request: HttpRequest, pk: int) -> TemplateResponse:
    candidate = services.case_get_for_documents(user=request.user, pk=pk)
    lost.lost_documents_forget(candidate)  # a copy whose file is gone is not "up to date"
    context = {
        "candidate": candidate,
        "rows": services.form_rows(candidate),
        "history": services.documents_of(candidate).order_by("-created_at", "-pk")[:50],
    }
    return TemplateResponse(request, "admission/documents/documents.html", context)


@login_required
@require_POST
def document_generate(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = services.case_get_for_documents(user=request.user, pk=pk)
    try:
        document = services.document_request(
            candidate=candidate, form_code=request.POST.get("form", ""), by=request.user
        )
    except ValidationError as exc:
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"detail": " ".join(exc.messages)}, status=422)
        messages.error(request, " ".join(exc.messages))
        return redirect("admission:candidates:documents", pk=candidate.pk)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse(_status(request, document), status=202)
    messages.info(request, _("The document is being generated."))
    return redirect("admission:candidates:documents", pk=candidate.pk)


@login_required
@require_safe
def document_status(request: HttpRequest, pk: int, doc_pk: int) -> JsonResponse:
    candidate = services.case_get_for_documents(user=request.user, pk=pk)
    document = services.document_get_for_user(user=request.user, candidate=candidate, pk=doc_pk)
    return JsonResponse(_status(request, document))


@login_required
@require_safe
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponseBase:
    candidate = services.case_get_for_documents(user=request.user, pk=pk)
    document = services.document_get_for_user(user=request.user, candidate=candidate, pk=doc_pk)
    handle = open_or_none(document.file) if document.status == DocumentStatus.DONE else None
    if document.status == DocumentStatus.DONE and handle is None:  # the record names a file the store lost
        _remade, message = lost.document_remake(document=document, by=request.user)
        return missing_file_response(
            request, message, back_url=reverse("admission:candidates:documents", kwargs={"pk": candidate.pk})
        )
    services.document_download(document=document, by=request.user)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.download_name(document),
        content_type="application/pdf",
    )
