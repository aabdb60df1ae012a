"""The complete dossier: one PDF with a cover, a table of contents, every form and uploaded scan in the
regulation's order (12-HD/BTCTW 2022 §II.1.1 for the admission, then the recognition papers 10–16-KNĐ), a bookmark
per document, and on every page a footer with the case code, the page number and a QR code pointing to the public
status lookup.

A document the person or another body signs (1–5-KNĐ, CN-NTVĐ) enters as its signed scan when one is stored,
otherwise as the generated copy; 6–16-KNĐ enter as generated. A resolution or decision that its body signed
digitally (6-, 8-, 9-, 13-, 15-, 16-KNĐ, `signing`) is also attached to the dossier as its signed original, byte
for byte, so that its signature stays valid inside the dossier (the pages show the same text).

How it is made, for speed (issue 6: under 2 s warm): the cover, the contents and every generated form are ONE
WeasyPrint document (each form a section on the named page "form", with its own margins and its own page numbers;
fonts laid out and subset once; the QR code one PNG drawn in the @page footer of every page; the contents' page
numbers from `target-counter`; the outline from `bookmark-label`). Image scans are pages of that same document.
A PDF scan gets one blank page per scan page in the document, and pypdf lays each scanned page onto its blank page
afterwards, under the footer: the only pages pypdf touches. An unreadable scan becomes a page saying so rather than
failing the whole dossier.
"""

from __future__ import annotations

import base64
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from pypdf import PdfReader, PdfWriter, Transformation
from weasyprint import Attachment

from admission.audit.chain import chain_head
from admission.documents import builders, registry
from admission.documents.formatting import dmy
from admission.documents.models import DocumentStatus, GeneratedDocument
from admission.documents.registry import Scan
from admission.documents.render import (
    FormNotApplicable,
    PreparedForm,
    data_hash,
    form_html,
    html_to_document,
    number_cited_resolution,
    page_margins,
    prepare_form,
    write_pdf,
)
from admission.documents.signing import SIGNED_FORMS
from admission.party.permissions import today
from admission.sourcing.models.candidates import Candidate

DOSSIER_VERSION = "2025.3"
STATUS_SCAN = "Bản chụp bản gốc đã ký"
STATUS_GENERATED = "Bản in từ hệ thống"
STATUS_DRAFT = "Bản in sẵn, chưa có bản ký"
STATUS_SIGNED = "Bản gốc ký số, đính kèm"

Progress = Callable[[int], None]

MM = 72 / 25.4  # PDF points per millimetre
# Where a PDF scan's page is laid on its blank page: the area above the footer (the "scan" page's margins).
SCAN_BOX = (10 * MM, 22 * MM, 190 * MM, 265 * MM)  # left, bottom, width, height


@dataclass
class Part:
    code: str
    title: str
    date: str
    status: str
    key: str  # what the part was made from: a form's input hash, or a scan's name and size
    scan: Scan | None = field(default=None, repr=False)
    form_code: str = ""
    prepared: PreparedForm | None = field(default=None, repr=False)
    anchor: str = ""
    html: SafeString = field(default=SafeString(""), repr=False)
    pdf_scan: bytes = field(default=b"", repr=False)  # a PDF scan, laid onto its blank pages after rendering
    slots: list[str] = field(default_factory=list)
    signed_original: GeneratedDocument | None = field(default=None, repr=False)  # attached as it was signed
    compact: bool = False  # laid out as its generated copy was (tighter spacing)


def lookup_url(code: str) -> str:
    base = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'ma': code})}"


def _scan_key(scan: Scan) -> str:
    try:
        size = scan.file.size
    except (OSError, ValueError):
        size = -1
    return f"{scan.file.name}:{size}"


def plan(candidate: Candidate) -> list[Part]:
    """The documents of the dossier, in order, with each form's prepared data but nothing rendered yet."""
    with builders.memo():
        return _plan(candidate)


def _plan(candidate: Candidate) -> list[Part]:
    parts: list[Part] = []
    prepared_forms: dict[str, PreparedForm | None] = {}
    for spec in registry.FORMS:
        try:
            prepared_forms[spec.code] = prepare_form(candidate, spec.code)
        except FormNotApplicable:
            prepared_forms[spec.code] = None
    copies = generated_copies(candidate, {p.input_hash for p in prepared_forms.values() if p is not None})
    for spec in registry.FORMS:
        prepared = prepared_forms[spec.code]
        scans = spec.scans(candidate)
        if prepared is None and not scans:
            continue
        title = f"{spec.title} (Mẫu {prepared.printed_code if prepared else spec.code})"
        # The signed original replaces the generated copy; a CV keeps its verification replies beside it.
        original_scans = [s for s in scans if not s.title.startswith("Kết quả thẩm tra")]
        if prepared is not None and not original_scans:
            status = STATUS_DRAFT if spec.draft else STATUS_GENERATED
            copy = copies.get((spec.code, prepared.input_hash))
            signed = copy if copy is not None and copy.signed_at and spec.code in SIGNED_FORMS else None
            parts.append(
                Part(
                    spec.code,
                    title,
                    prepared.data.get("date", ""),
                    STATUS_SIGNED if signed else status,
                    f"{prepared.input_hash}:{signed.checksum}" if signed else prepared.input_hash,
                    form_code=spec.code,
                    prepared=prepared,
                    signed_original=signed,
                    compact=bool(copy and copy.compact),
                )
            )
        for scan in scans:
            name = title if scan in original_scans and len(original_scans) == 1 else f"{title}: {scan.title}"
            parts.append(Part(spec.code, name, dmy(scan.date), STATUS_SCAN, _scan_key(scan), scan=scan))
    for index, part in enumerate(parts, start=1):
        part.anchor = f"part-{index}"
    return parts


def generated_copies(candidate: Candidate, hashes: set[str]) -> dict[tuple[str, str], GeneratedDocument]:
    """The case's latest finished copy of each form made from its current data (one query), a signed copy first:
    the dossier attaches a signed one as its original, and lays each form out as its copy was (`compact`)."""
    found: dict[tuple[str, str], GeneratedDocument] = {}
    rows = GeneratedDocument.objects.filter(candidate=candidate, status=DocumentStatus.DONE, input_hash__in=hashes)
    for document in rows.order_by(F("signed_at").desc(nulls_last=True), "-created_at", "-pk"):
        key = (document.form_code, document.input_hash)
        if key in found or not document.file.name or not document.file.storage.exists(document.file.name):
            continue
        found[key] = document
    return found


def attachments_of(candidate: Candidate, parts: list[Part]) -> list[Attachment]:
    """The signed originals, attached unaltered (PDF "Source" relationship), named as their download is, marked
    "ký số"."""
    attached = []
    for part in parts:
        if part.signed_original is None:
            continue
        with part.signed_original.file.open("rb") as handle:
            data = handle.read()
        attached.append(
            Attachment(
                string=data,
                name=part.signed_original.download_name.removesuffix(".pdf") + "-ky-so.pdf",
                description=f"{part.title}: bản gốc có chữ ký số",
                relationship="Source",
            )
        )
    return attached


def plan_hash(candidate: Candidate, parts: list[Part]) -> str:
    return data_hash(
        {
            "dossier": DOSSIER_VERSION,
            "case": candidate.code,
            "rule_set": candidate.rule_set.code,
            "parts": [[p.code, p.title, p.date, p.status, p.key] for p in parts],
            "replaced": [list(row.values()) for row in replaced_annex(candidate)],
        }
    )


def replaced_annex(candidate: Candidate) -> list[dict[str, Any]]:
    """Each paper replaced within the case, marked as replaced, with who replaced it, when and why, in Vietnamese
    (the printed dossier's language, whoever reads or made it): the paper's name and the summary are built here."""
    from admission.dossier.models import PaperKind, ReplacedPaper

    rows = ReplacedPaper.objects.filter(candidate=candidate).select_related("replaced_by").order_by("recorded_at", "pk")
    with translation.override("vi"):
        return [
            {
                "paper": capfirst(str(PaperKind(row.paper).label)) if row.paper in PaperKind.values else row.paper,
                "dated": dmy(row.dated) if row.dated else "",
                "summary": row.describe(),
                "replaced_on": dmy(row.replaced_on),
                "by": (row.replaced_by.get_full_name() or row.replaced_by.get_username()) if row.replaced_by else "",
                "reason": row.reason,
                "scans": len(row.scans or []),
            }
            for row in rows
        ]


# ------------------------------------------------------------------------------------------------------------------
# Scans: read once per dossier, their kind and page count remembered by checksum
# ------------------------------------------------------------------------------------------------------------------

_KINDS: OrderedDict[str, tuple[str, int]] = OrderedDict()
_KINDS_MAX = 256
_KINDS_LOCK = threading.Lock()


def _kind(data: bytes) -> tuple[str, int]:
    """("image", 0) | ("pdf", page count) | ("notice", 0) for a scan's bytes, remembered by checksum so that a PDF
    scan is parsed once per worker however many dossiers include it (the image itself is decoded by WeasyPrint)."""
    checksum = hashlib.sha256(data).hexdigest()
    with _KINDS_LOCK:
        if checksum in _KINDS:
            _KINDS.move_to_end(checksum)
            return _KINDS[checksum]
    result: tuple[str, int] = ("notice", 0)
    if data.startswith(b"%PDF-"):
        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
            if pages:
                result = ("pdf", pages)
        except Exception:
            result = ("notice", 0)
    elif data.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        result = ("image", 0)
    with _KINDS_LOCK:
        _KINDS[checksum] = result
        while len(_KINDS) > _KINDS_MAX:
            _KINDS.popitem(last=False)
    return result


def _scan_html(part: Part) -> None:
    assert part.scan is not None
    try:
        with part.scan.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        data = b""
    kind, pages = _kind(data) if data else ("notice", 0)
    context: dict[str, Any] = {"kind": kind, "anchor": part.anchor, "title": part.title}
    if kind == "image":
        mime = "png" if data.startswith(b"\x89PNG") else "jpeg"
        context["src"] = f"data:image/{mime};base64,{base64.b64encode(data).decode()}"
    elif kind == "pdf":
        part.pdf_scan = data
        part.slots = [part.anchor if i == 0 else f"{part.anchor}-{i + 1}" for i in range(pages)]
        context["slots"] = part.slots
    part.html = mark_safe(render_to_string("admission/pdf/_scan_part.html", context))


# ------------------------------------------------------------------------------------------------------------------
# The one document
# ------------------------------------------------------------------------------------------------------------------


def _qr_uri(code: str) -> str:
    # One PNG per dossier, referenced from the @page footer: one image object in the PDF, drawn on every page.
    return str(segno.make(lookup_url(code), error="m").png_data_uri(scale=8, border=0))


RECOGNITION_CODES = ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "14-KNĐ", "15-KNĐ", "16-KNĐ")


def dossier_html(candidate: Candidate, parts: list[Part]) -> str:
    """The whole dossier as one HTML document (cover, contents, every form and scan)."""
    for part in parts:
        if part.scan is not None:
            if not part.html:
                _scan_html(part)
        else:
            prepared = part.prepared or prepare_form(candidate, part.form_code)
            part.html = mark_safe(
                form_html(
                    candidate,
                    prepared,
                    embedded=True,
                    part_id=part.anchor,
                    part_title=part.title,
                    compact=part.compact,
                )
            )
    person = candidate.person
    recognition = any(p.code in RECOGNITION_CODES for p in parts)
    context = {
        "candidate": candidate,
        "person_name": person.full_name,
        "dob": dmy(person.date_of_birth),
        "cell": candidate.cell.name,
        "parts": parts,
        "made_on": dmy(today()),
        "rule_set": candidate.rule_set.code,
        "qr": _qr_uri(candidate.code),
        "margins": page_margins(),
        "heading": (
            "KẾT NẠP ĐẢNG VIÊN VÀ CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC" if recognition else "ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN"
        ),
        # Issue 13: the history chain's head on the contents page, so a printed copy proves what the history said.
        "history_head": chain_head(),
        "replaced": replaced_annex(candidate),
    }
    return render_to_string("admission/pdf/dossier.html", context)


def _use_outlines(document: Any, pdf: Any) -> None:
    pdf.catalog["PageMode"] = "/UseOutlines"


def _lay_scans(pdf: bytes, document: Any, parts: list[Part]) -> bytes:
    """Lay each page of the PDF scans onto its blank page, scaled to fit above the footer."""
    pending = [p for p in parts if p.pdf_scan]
    if not pending:
        return pdf
    page_of = {anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors}
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    left, bottom, width, height = SCAN_BOX
    for part in pending:
        for slot, source in zip(part.slots, PdfReader(io.BytesIO(part.pdf_scan)).pages, strict=False):
            if slot not in page_of:
                continue
            if source.rotation:
                source.transfer_rotation_to_content()
            box = source.mediabox
            w, h = float(box.width), float(box.height)
            scale = min(width / w, height / h) if w and h else 1.0
            dx = left + (width - w * scale) / 2 - float(box.left) * scale
            dy = bottom + (height - h * scale) / 2 - float(box.bottom) * scale
            writer.pages[page_of[slot]].merge_transformed_page(
                source, Transformation().scale(scale).translate(dx, dy), over=False
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_dossier(candidate: Candidate, *, progress: Progress | None = None) -> tuple[bytes, int, str]:
    """The complete dossier of a case: (pdf, pages, input hash)."""
    with builders.memo():
        # 7–9-KNĐ and 14–16-KNĐ cite resolutions by their numbers: give them one before the forms' data is read.
        number_cited_resolution(candidate, "9-KNĐ")
        number_cited_resolution(candidate, "16-KNĐ")
        parts = plan(candidate)
        key = plan_hash(candidate, parts)
        if progress:
            progress(10)
        html = dossier_html(candidate, parts)
    if progress:
        progress(30)
    # One layout only: a form is laid out tighter where its generated copy was (the form alone tries both and keeps
    # the tighter one when it saves a page); elsewhere its closing block carries over whole, never the signature
    # alone. A second layout of the whole dossier would double its time (issue 6: under 2 s).
    document = html_to_document(html)
    if progress:
        progress(80)
    pdf = write_pdf(document, finisher=_use_outlines, attachments=attachments_of(candidate, parts))
    pdf = _lay_scans(pdf, document, parts)
    return pdf, len(document.pages), key
