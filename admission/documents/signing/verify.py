"""What the digital signatures of a PDF say (the public verification page, /tra-cuu/xac-minh/).

For each signature: who signed (the certificate's holder and organisation), when (the time the signer recorded,
and a timestamp authority's time when there is one), whether the document was altered since (the signed bytes'
digest, the signature's own validity, and what later revisions changed: only validation data and timestamps are
allowed), and whether the certificate is trusted: a chain to a root in SIGNING_DIR/trust, valid now, not revoked by
a known revocation list. A complete dossier carries the signed originals of its resolutions and decisions as
attachments; each attached PDF is checked the same way. An anonymous upload is bounded: at most
SIGNING_VERIFY_MAX_SIGNATURES signatures and SIGNING_VERIFY_MAX_ATTACHMENTS attached PDFs are checked, and the report
says how many were not (`VerificationReport.not_checked`).

Nothing is fetched over the network and nothing is stored: the page reads the upload in memory and forgets it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pypdf import PdfReader

from admission.documents.signing.appearance import local_time
from admission.documents.signing.credentials import validation_context

logger = logging.getLogger(__name__)

# The verdict of one signature, worst first: the page shows the first that applies.
ALTERED, REVOKED, EXPIRED, UNTRUSTED, VALID = "altered", "revoked", "expired", "untrusted", "valid"
_EXPIRY = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}
_ALLOWED_LATER = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str  # the certificate's common name: the body (or the person) it was issued to
    organisation: str
    issuer: str  # the certification authority
    serial: str
    valid_from: datetime
    valid_to: datetime
    signed_at: datetime | None  # as the signer's software recorded it
    timestamp_at: datetime | None  # from a timestamp authority, when there is one
    reason: str
    location: str
    intact: bool  # the signed bytes are the ones signed, and the signature itself is sound
    later_changes: str  # "none", "additions" (form fields, annotations, further signatures) or "content"
    trusted: bool
    expired: bool
    revoked: bool

    @property
    def verdict(self) -> str:
        if not self.intact or self.later_changes == "content":
            return ALTERED
        if self.revoked:
            return REVOKED
        if self.expired:
            return EXPIRED
        if not self.trusted:
            return UNTRUSTED
        return VALID


@dataclass(frozen=True)
class AttachmentCheck:
    name: str
    report: VerificationReport


@dataclass(frozen=True)
class VerificationReport:
    readable: bool
    signatures: list[SignatureCheck] = field(default_factory=list)
    attachments: list[AttachmentCheck] = field(default_factory=list)
    # Past the limits of one upload (SIGNING_VERIFY_MAX_SIGNATURES, SIGNING_VERIFY_MAX_ATTACHMENTS): left unchecked.
    unchecked_signatures: int = 0
    unchecked_attachments: int = 0

    @property
    def not_checked(self) -> list[str]:
        """What was left unchecked, in words (the verdict is over what was checked)."""
        notes = []
        signatures = self.unchecked_signatures + sum(a.report.unchecked_signatures for a in self.attachments)
        if signatures:
            notes.append(
                ngettext(
                    "%(n)d more signature was not checked: at most %(max)d are checked in one upload.",
                    "%(n)d more signatures were not checked: at most %(max)d are checked in one upload.",
                    signatures,
                )
                % {"n": signatures, "max": max_signatures()}
            )
        if self.unchecked_attachments:
            notes.append(
                ngettext(
                    "%(n)d more attached PDF was not checked: at most %(max)d are checked.",
                    "%(n)d more attached PDFs were not checked: at most %(max)d are checked.",
                    self.unchecked_attachments,
                )
                % {"n": self.unchecked_attachments, "max": max_attachments()}
            )
        return notes

    @property
    def verdict(self) -> str:
        """The worst verdict over the signatures (and over the signed attachments), or "unsigned"/"unreadable"; at
        best "untrusted" when some were left unchecked (see `not_checked`)."""
        if not self.readable:
            return "unreadable"
        verdicts = [s.verdict for s in self.signatures] + [
            a.report.verdict for a in self.attachments if a.report.signatures or a.report.unchecked_signatures
        ]
        if self.incomplete:
            # What was not checked cannot be vouched for: never "valid", never "unsigned".
            verdicts.append(UNTRUSTED)
        if not verdicts:
            return "unsigned"
        order = (ALTERED, REVOKED, EXPIRED, UNTRUSTED, VALID)
        return min(verdicts, key=order.index)

    @property
    def incomplete(self) -> bool:
        return bool(
            self.unchecked_signatures
            or self.unchecked_attachments
            or any(a.report.unchecked_signatures for a in self.attachments)
        )


def _name_part(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _later_changes(status: PdfSignatureStatus) -> str:
    level = status.modification_level
    if level in _ALLOWED_LATER:
        return "none"
    if level in (ModificationLevel.FORM_FILLING, ModificationLevel.ANNOTATIONS):
        return "additions"
    return "content"


def _check(embedded: object, now: datetime) -> SignatureCheck:
    status: PdfSignatureStatus = validate_pdf_signature(
        embedded,  # type: ignore[arg-type]
        signer_validation_context=validation_context(),
        ts_validation_context=validation_context(),
    )
    cert = status.signing_cert
    valid_from, valid_to = cert.not_valid_before, cert.not_valid_after
    signed_at = status.signer_reported_dt
    timestamp = status.timestamp_validity
    timestamp_at = timestamp.timestamp if timestamp is not None and timestamp.trusted else None
    # Expired: the certificate's validity had ended when it signed, or has ended since with no trusted timestamp
    # proving the signature older than that.
    proven = timestamp_at or None
    expired = status.trust_problem_indic in _EXPIRY or (now > valid_to and (proven is None or proven > valid_to))
    if signed_at is not None and (signed_at > valid_to or signed_at < valid_from):
        expired = True
    sig_object = getattr(embedded, "sig_object", {}) or {}
    return SignatureCheck(
        field=str(getattr(embedded, "field_name", "") or ""),
        signer=_name_part(cert.subject, "common_name"),
        organisation=_name_part(cert.subject, "organization_name"),
        issuer=_name_part(cert.issuer, "common_name"),
        serial=format(cert.serial_number, "X"),
        valid_from=local_time(valid_from),
        valid_to=local_time(valid_to),
        signed_at=local_time(signed_at) if signed_at else None,
        timestamp_at=local_time(timestamp_at) if timestamp_at else None,
        reason=str(sig_object.get("/Reason", "") or ""),
        location=str(sig_object.get("/Location", "") or ""),
        intact=bool(status.intact and status.valid),
        later_changes=_later_changes(status),
        trusted=status.trusted,
        expired=expired,
        revoked=status.revoked,
    )


def _attached_pdfs(data: bytes) -> list[tuple[str, bytes]]:
    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
    except Exception:  # an unreadable attachment table is no reason to refuse the document itself
        return []
    return [
        (name, content)
        for name, contents in sorted(attachments.items())
        for content in contents
        if content.startswith(b"%PDF-")
    ]


def max_signatures() -> int:
    return int(getattr(settings, "SIGNING_VERIFY_MAX_SIGNATURES", 20))


def max_attachments() -> int:
    return int(getattr(settings, "SIGNING_VERIFY_MAX_ATTACHMENTS", 40))


def verify_pdf(data: bytes, *, attachments: bool = True) -> VerificationReport:
    """Check the signatures of the PDF and of the signed PDFs attached to it, within the limits of one upload: at
    most SIGNING_VERIFY_MAX_SIGNATURES signatures over the document and its attachments together (the document's
    own first), and at most SIGNING_VERIFY_MAX_ATTACHMENTS attached PDFs; the rest is reported as not checked."""
    return _verify(data, budget=[max_signatures()], attachments=attachments)


def _verify(data: bytes, *, budget: list[int], attachments: bool) -> VerificationReport:
    """`budget` holds the signatures that may still be checked, shared by the document and its attachments."""
    now = timezone.now()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:  # malformed upload: say so, never a server error
        logger.info("Unreadable PDF uploaded for verification: %s", exc)
        return VerificationReport(readable=False)
    checked, unchecked = embedded[: max(budget[0], 0)], len(embedded) - max(budget[0], 0)
    budget[0] -= len(checked)
    checks = []
    for signature in checked:
        try:
            checks.append(_check(signature, now))
        except Exception as exc:  # a signature too broken to evaluate counts as altered
            logger.info("Unverifiable signature: %s", exc)
            checks.append(_broken(signature))
    found = _attached_pdfs(data) if attachments else []
    attached = [
        AttachmentCheck(name, _verify(content, budget=budget, attachments=False))
        for name, content in found[: max_attachments()]
    ]
    return VerificationReport(
        readable=True,
        signatures=checks,
        attachments=attached,
        unchecked_signatures=max(unchecked, 0),
        unchecked_attachments=max(len(found) - max_attachments(), 0),
    )


def _broken(signature: object) -> SignatureCheck:
    epoch = timezone.now()
    return SignatureCheck(
        field=str(getattr(signature, "field_name", "") or ""),
        signer="",
        organisation="",
        issuer="",
        serial="",
        valid_from=epoch,
        valid_to=epoch,
        signed_at=None,
        timestamp_at=None,
        reason="",
        location="",
        intact=False,
        later_changes="content",
        trusted=False,
        expired=False,
        revoked=False,
    )
