"""Signing a rendered form for the body that issues it (PAdES, with pyHanko).

The signature goes into an incremental update of the PDF WeasyPrint wrote, in a field laid over the signer's space
of the form (the `sig-space` anchor of 6-, 8-, 9-, 13-, 15- and 16-KNĐ), with the visible block of `appearance`.
Levels reached: PAdES B-B always; B-T when SIGNING_TSA_URL names a timestamp server (RFC 3161); the validation data
(the chain and the revocation lists) embedded when the signer's chain leads to a root of SIGNING_DIR/trust — B-LT
with a timestamp (and an archive timestamp over it, B-LTA), else "B-B+LTV". A chain the verification would not
trust is still signed, without the validation data: the issuing body's signature stands, the reader judges it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from admission.documents.models import BodySigner
from admission.documents.signing.appearance import PartyStampStyle, local_time
from admission.documents.signing.credentials import open_signer, validation_context

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKySo"
PX = 0.75  # PDF points per CSS pixel (WeasyPrint lays out in CSS pixels, 96 per inch)
MM = 72 / 25.4
STAMP_WIDTH_MM = 72


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: a page (0-based) and a rectangle in PDF points (x1, y1, x2, y2)."""

    page: int
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    signed_at: datetime
    signed_by: str  # the certificate holder (its subject's common name)
    level: str  # B-B, B-T, B-LT, B-LTA, or B-B+LTV


def signature_box(space: tuple[int, Any, tuple[float, float]] | None) -> SignatureBox | None:
    """The visible signature's rectangle in PDF points: inside the form's signer space (`RenderedForm.signer_space`,
    CSS pixels from the top left), centred and at most STAMP_WIDTH_MM wide."""
    if space is None:
        return None
    index, (x1, y1, x2, y2), (_page_width, page_height) = space
    height = page_height * PX
    width = min((x2 - x1) * PX, STAMP_WIDTH_MM * MM)
    centre = (x1 + x2) / 2 * PX
    top, bottom = height - y1 * PX, height - y2 * PX
    inset = 1.5 * MM
    return SignatureBox(index, (centre - width / 2, bottom + inset, centre + width / 2, top - inset))


def timestamper() -> TimeStamper | None:
    """The RFC 3161 timestamp server of SIGNING_TSA_URL, if one is configured."""
    url = getattr(settings, "SIGNING_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url)


def _subject_name(signer: signers.Signer) -> str:
    cert = signer.signing_cert
    if cert is None:
        return ""
    common = cert.subject.native.get("common_name")
    return str(common) if common else cert.subject.human_friendly


def _sign(
    pdf: bytes,
    signer: signers.Signer,
    *,
    body: str,
    reason: str,
    location: str,
    box: SignatureBox | None,
    tsa: TimeStamper | None,
    ltv: bool,
) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        embed_validation_info=ltv,
        use_pades_lta=ltv and tsa is not None,
        validation_context=validation_context() if ltv else None,
    )
    # Whole points: the rectangle is the signer's space, a fraction of a point either way changes nothing.
    rect = (round(box.rect[0]), round(box.rect[1]), round(box.rect[2]), round(box.rect[3])) if box else None
    spec = fields.SigFieldSpec(FIELD_NAME, on_page=box.page, box=rect) if box else fields.SigFieldSpec(FIELD_NAME)
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=tsa,
        stamp_style=PartyStampStyle(body=body, signer=_subject_name(signer)),
        new_field_spec=spec,
    )
    out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False))
    data: bytes = out.getvalue()
    return data


def sign_pdf(
    pdf: bytes, *, config: BodySigner, body: str, reason: str, location: str = "", box: SignatureBox | None = None
) -> SignedPdf:
    """Sign `pdf` with the body's credentials; the visible block goes into `box` (invisible without one)."""
    tsa = timestamper()
    with open_signer(config) as signer:
        try:
            signed = _sign(pdf, signer, body=body, reason=reason, location=location, box=box, tsa=tsa, ltv=True)
            ltv = True
        except (SigningError, PathBuildingError, PathValidationError, ValidationError) as exc:
            # The chain does not lead to a configured root (or its revocation data is missing): sign without it.
            logger.info("Signing for %s without validation data: %s", config.org, exc)
            signed = _sign(pdf, signer, body=body, reason=reason, location=location, box=box, tsa=tsa, ltv=False)
            ltv = False
        name = _subject_name(signer)
    level = ("B-LTA" if ltv else "B-T") if tsa else ("B-B+LTV" if ltv else "B-B")
    return SignedPdf(signed, _signing_time(signed), name, level)


def _signing_time(pdf: bytes) -> datetime:
    """The signing time as recorded in the signature just made."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[-1]
    moment = signature.self_reported_timestamp
    return local_time(moment) if moment else local_time(datetime.now().astimezone())
