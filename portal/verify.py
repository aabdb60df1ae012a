"""The public verification page (/tra-cuu/xac-minh/): anyone holding a PDF issued by a party body uploads it and
learns who signed it, when, for which body, whether it was altered since, and whether the certificate is trusted
(`admission.documents.signing.verify`). Linked from the status lookup, which the dossier's QR code opens.

Public, so bounded like the lookup: at most lookup.LIMIT_PER_CLIENT checks per client address in lookup.WINDOW
(counted by `lookup.reserve_attempt`, in the lookup's table under a keyed hash of the address, never the address
itself), and a file of at most SIGNING_VERIFY_MAX_BYTES, refused from its announced length before it is read; at
most SIGNING_VERIFY_MAX_SIGNATURES signatures and SIGNING_VERIFY_MAX_ATTACHMENTS attached PDFs are checked. The
upload is checked in memory and not kept.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from admission.core.network import client_address
from admission.documents.signing.verify import verify_pdf
from portal import lookup


def max_bytes() -> int:
    return int(getattr(settings, "SIGNING_VERIFY_MAX_BYTES", 20 * 1024 * 1024))


class VerifyForm(forms.Form):
    tep = forms.FileField(label=_("PDF document"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))

    def clean_tep(self) -> bytes:
        upload = self.cleaned_data["tep"]
        if upload.size > max_bytes():
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes() // (1024 * 1024)})
        data: bytes = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return data


def _key(client: str) -> str:
    return salted_hmac("portal.verify", client).hexdigest()


def check_allowed(*, client: str, now: datetime | None = None) -> datetime | None:
    """Count one check for the client address (as the lookup counts its attempts, under its lock per address);
    return when it may check again if it is over the limit."""
    now = now or timezone.now()
    until, _reserved = lookup.reserve_attempt(client=client, keys=[(_key(client), lookup.LIMIT_PER_CLIENT)], now=now)
    if until is None:
        lookup.prune(now=now)
    return until


def _page(request: HttpRequest, status: int = 200, **context: object) -> TemplateResponse:
    context.setdefault("form", VerifyForm())
    context.update(
        {
            "max_mb": max_bytes() // (1024 * 1024),
            "limit": lookup.LIMIT_PER_CLIENT,
            "window_minutes": int(lookup.WINDOW.total_seconds() // 60),
        }
    )
    return TemplateResponse(request, "portal/verify.html", context, status=status)


# No CSRF token, as for the lookup: there is nothing of the visitor's to forge, and the CSRF check would read the
# whole multipart body before the view could refuse an oversized upload from its announced length.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request: HttpRequest) -> TemplateResponse:
    if request.method != "POST":
        return _page(request)
    announced = int(request.META.get("CONTENT_LENGTH") or 0)
    if announced > max_bytes() + 64 * 1024:  # refused before the body is read
        return _page(request, 413, too_large=True)
    until = check_allowed(client=client_address(request))
    if until is not None:
        return _page(request, 429, blocked_until=timezone.localtime(until))
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, 422, form=form)
    upload = request.FILES.get("tep")
    name = str(getattr(upload, "name", "") or "")[:120]
    return _page(request, report=verify_pdf(form.cleaned_data["tep"]), file_name=name)
