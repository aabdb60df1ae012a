"""Signing a body's document as it is issued.

A resolution or decision (6-, 8-, 9-, 13-, 15-, 16-KNĐ) is issued when its step of the approval or recognition
chain is recorded as done (`services.step_done` then asks for it). If the issuing body has a signer, the generated
form is signed (`generation.document_generate` calls `sign_rendered`), so the signed original exists from that day
and the complete dossier embeds it. A body without a signer keeps signing on paper: its copies stay unsigned.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.documents import numbering
from admission.documents.render import RenderedForm
from admission.documents.signing import SIGNED_FORMS
from admission.documents.signing.credentials import signer_for
from admission.documents.signing.sign import SignedPdf, sign_pdf, signature_box
from admission.sourcing.models.candidates import Candidate

logger = logging.getLogger(__name__)


def issuing_org_id(rendered: RenderedForm) -> int | None:
    org_id: int | None = (rendered.prepared.data.get("numbering") or {}).get("org_id")
    return org_id


def wants_signature(code: str, data: dict[str, Any]) -> bool:
    """Whether a copy of this form is to be signed: a body's document, and the body has a signer."""
    return code in SIGNED_FORMS and signer_for((data.get("numbering") or {}).get("org_id")) is not None


def sign_rendered(candidate: Candidate, rendered: RenderedForm, *, required: bool = False) -> SignedPdf | None:
    """Sign a rendered form for the body that issues it; None when it is not a body's document or the body has no
    signer (an error instead, when `required`)."""
    prepared = rendered.prepared
    config = signer_for(issuing_org_id(rendered)) if prepared.spec.code in SIGNED_FORMS else None
    if config is None:
        if required:
            raise ValidationError(
                _("%(code)s: no digital signer is configured for the body that issues it.")
                % {"code": prepared.printed_code}
            )
        return None
    data = prepared.data
    number = numbering.number_line(
        candidate=candidate, form_code=prepared.printed_code, numbering=data["numbering"], allocate=False
    )
    header = data.get("header") or {}
    return sign_pdf(
        rendered.pdf,
        config=config,
        body=str(data.get("deciding_line") or header.get("issuer") or config.org.name),
        reason=f"{prepared.spec.title} ({prepared.printed_code}), {number}",
        location=str(header.get("place") or ""),
        box=signature_box(rendered.signer_space),
    )
