"""Checks for uploaded scans: PDF, JPEG or PNG by their content (not their name), and a size limit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}


def validate_scan(upload: UploadedFile) -> str:
    """Return the detected type, or raise with a message naming what is wrong."""
    limit = int(getattr(settings, "SCAN_MAX_BYTES", 10 * 1024 * 1024))
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size).1f MB); the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise ValidationError(_("Only PDF, JPEG or PNG scans are accepted."))
