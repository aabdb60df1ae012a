"""HTML → PDF for one form of one case (WeasyPrint, A4, Liberation Serif with DejaVu Serif as fallback).

`prepare_form` reads the data (the form's builder) and picks the template version; `render_form` numbers the
document if it is numbered, renders the template and writes the PDF. The input hash covers the data, the template
version and the rule set: when it differs from a stored copy's, that copy is out of date.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from admission.documents import builders, numbering, registry
from admission.documents.registry import FormSpec, TemplateVersion
from admission.party.permissions import today
from admission.sourcing.models.candidates import Candidate

# The layout shared by every template version (closing kept with the signature, writing lines for unknown fields):
# part of every input hash, so that copies made before a layout change are made again.
LAYOUT_REVISION = 2


class FormNotApplicable(Exception):
    """The form has no data for this case yet (no vote, no decision step…) or does not apply to its state."""


@dataclass(frozen=True)
class PreparedForm:
    spec: FormSpec
    version: TemplateVersion
    data: dict[str, Any]
    input_hash: str
    printed_code: str


@dataclass(frozen=True)
class RenderedForm:
    prepared: PreparedForm
    html: str
    pdf: bytes
    pages: int
    # Where the signer signs (page index, and the signer's space in CSS pixels: x1, y1, x2, y2; page width and
    # height), for the visible digital signature of a body's resolution or decision; None on other forms.
    signer_space: tuple[int, tuple[float, float, float, float], tuple[float, float]] | None = None
    compact: bool = False  # laid out with tighter spacing (see `closing_carried_over`)


def data_hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def pinned_version(candidate: Candidate, spec: FormSpec) -> TemplateVersion:
    """The version a case keeps for a form: that of its first generated copy, else the one in force today."""
    first = builders._remembered(("pinned", candidate.pk), lambda: _first_versions(candidate)).get(spec.code)
    if first:
        try:
            return spec.version(first)
        except KeyError:
            pass
    return spec.version_on(today())


def _first_versions(candidate: Candidate) -> dict[str, str]:
    """Form code → template version of the case's first generated copy of it (one query for all forms)."""
    from admission.documents.models import DocumentStatus, GeneratedDocument

    first: dict[str, str] = {}
    rows = (
        GeneratedDocument.objects.filter(candidate=candidate, status=DocumentStatus.DONE)
        .order_by("created_at", "pk")
        .values_list("form_code", "template_version")
    )
    for code, version in rows:
        first.setdefault(code, version)
    return first


def prepare_form(candidate: Candidate, code: str, *, check_state: bool = True) -> PreparedForm:
    spec = registry.get(code)
    if check_state and candidate.state not in spec.states:
        raise FormNotApplicable(f"{spec.code} does not apply to a case in state {candidate.state}.")
    version = pinned_version(candidate, spec)
    # Within one rendering (memo) a form's data is read once, however many forms cite it.
    data = builders._remembered(
        ("data", candidate.pk, spec.code, version.version), lambda: spec.builder(candidate, version.version)
    )
    if data is None:
        raise FormNotApplicable(f"{spec.code}: the data this form needs is not recorded yet.")
    payload = {
        "form": spec.code,
        "version": version.version,
        "rule_set": candidate.rule_set.code,
        "layout": LAYOUT_REVISION,
        "data": data,
    }
    return PreparedForm(spec, version, data, data_hash(payload), registry.printed_code(spec, data))


def form_html(
    candidate: Candidate,
    prepared: PreparedForm,
    *,
    allocate_number: bool = True,
    embedded: bool = False,
    part_id: str = "",
    part_title: str = "",
    compact: bool = False,
) -> str:
    """The form's HTML: a whole document, or (`embedded`) one section of the complete dossier's document.
    `compact` lays it out with tighter spacing (see `closing_carried_over`)."""
    number = ""
    if prepared.spec.numbered and "numbering" in prepared.data:
        number = numbering.number_line(
            candidate=candidate,
            form_code=prepared.printed_code,
            numbering=prepared.data["numbering"],
            allocate=allocate_number,
        )
    context = {
        "d": prepared.data,
        "number": number,
        "code": prepared.printed_code,
        "title": prepared.spec.title,
        "draft": prepared.spec.draft,
        "version": prepared.version.version,
        "margins": page_margins(),
        "embedded": embedded,
        "part_id": part_id,
        "part_title": part_title,
        "compact": compact,
        "closing_id": closing_id(part_id),
    }
    return render_to_string(prepared.version.template, context)


def closing_id(part_id: str = "") -> str:
    """The id of a form's closing block (last paragraph and signature), unique within the dossier's document."""
    return f"{part_id}-closing" if part_id else "closing"


def closing_carried_over(document: Any, part_id: str = "") -> bool:
    """Whether a form's closing block begins at the top of a page: it did not fit under the text before it and was
    carried over whole (the signature never stands alone, `.closing` in _styles.css). Laid out compact, the form may
    then keep it on the page before. A form's own first page always starts with its code and header, so a closing
    at the top of a page is one that was carried over."""
    prefix = closing_id(part_id)
    limit = _top_margin_px() + 12  # a few points of tolerance for the paragraph's own top
    for page in document.pages:
        for anchor, (_x, y, *_rest) in page.anchors.items():
            if (anchor == prefix or anchor.startswith(prefix + "-")) and y <= limit:
                return True
    return False


def _top_margin_px() -> float:
    """The forms' top page margin in CSS pixels (96 per inch), read from DOCUMENTS_PAGE_MARGINS ("20mm …")."""
    first = page_margins().split()[0]
    try:
        millimetres = float(first.removesuffix("mm")) if first.endswith("mm") else 25.0
    except ValueError:
        millimetres = 25.0
    return millimetres * 96 / 25.4


def page_margins() -> str:
    return str(getattr(settings, "DOCUMENTS_PAGE_MARGINS", "20mm 15mm 20mm 30mm"))


_local = threading.local()


def font_config() -> FontConfiguration:
    """One FontConfiguration per thread, reused by every rendering: fontconfig's set of fonts is read once."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def html_to_document(html: str) -> Any:
    """The laid-out WeasyPrint document (pages, anchors), to write as PDF."""
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=font_config())


def write_pdf(document: Any, **options: Any) -> bytes:
    pdf: bytes = document.write_pdf(**options)
    return pdf


def html_to_pdf(html: str) -> bytes:
    return html_to_pdf_and_pages(html)[0]


def html_to_pdf_and_pages(html: str) -> tuple[bytes, int]:
    document = html_to_document(html)
    return write_pdf(document), len(document.pages)


# Forms that cite a cell resolution by its number: 7–9-KNĐ cite 6-KNĐ; 14–16-KNĐ cite 13-KNĐ (and 16 also 15-KNĐ).
CITES: dict[str, tuple[str, ...]] = {
    "7-KNĐ": ("6-KNĐ",),
    "8-KNĐ": ("6-KNĐ",),
    "9-KNĐ": ("6-KNĐ",),
    "14-KNĐ": ("13-KNĐ",),
    "15-KNĐ": ("13-KNĐ",),
    "16-KNĐ": ("13-KNĐ", "15-KNĐ"),
}


def number_cited_resolution(candidate: Candidate, code: str) -> None:
    """Give the resolutions a form cites their numbers first, if they have none yet."""
    from admission.documents.models import DocumentNumber

    cites = CITES.get(registry.ALIASES.get(code, code), ())
    if not cites:
        return
    numbered = set(
        DocumentNumber.objects.filter(candidate=candidate, form_code__in=cites).values_list("form_code", flat=True)
    )
    for cited in cites:
        if cited in numbered:
            continue
        try:
            prepared = prepare_form(candidate, cited, check_state=False)
        except FormNotApplicable:
            continue
        numbering.number_line(candidate=candidate, form_code=cited, numbering=prepared.data["numbering"], allocate=True)


def render_form(candidate: Candidate, code: str, *, check_state: bool = True) -> RenderedForm:
    """One form of one case, as a PDF. When its closing block had to be carried over to a page of its own, the form
    is laid out once more with tighter spacing, and that layout is kept if it saves the page."""
    with builders.memo():
        number_cited_resolution(candidate, code)
        prepared = prepare_form(candidate, code, check_state=check_state)
        html = form_html(candidate, prepared)
    document = html_to_document(html)
    compact = False
    if closing_carried_over(document):
        with builders.memo():
            compact_html = form_html(candidate, prepared, compact=True)
        tighter = html_to_document(compact_html)
        if len(tighter.pages) < len(document.pages):
            html, document, compact = compact_html, tighter, True
    pdf = write_pdf(document)
    return RenderedForm(prepared, html, pdf, len(document.pages), signer_space(document), compact)


def signer_space(document: Any, anchor: str = "sig-space") -> tuple[int, Any, tuple[float, float]] | None:
    """The page and rectangle of the signer's space (`id="sig-space"` in the templates of 6, 8, 9, 13, 15, 16)."""
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            return index, tuple(page.anchors[anchor]), (page.width, page.height)
    return None


def applicable_forms(candidate: Candidate, *, codes: Collection[str] | None = None) -> list[PreparedForm]:
    """The forms that apply to the case at its stage and whose data exists, in the dossier's order (only `codes`
    when given)."""
    prepared = []
    with builders.memo():
        for spec in registry.FORMS:
            if codes is not None and spec.code not in codes:
                continue
            try:
                prepared.append(prepare_form(candidate, spec.code))
            except FormNotApplicable:
                continue
    return prepared
