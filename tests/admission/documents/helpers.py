"""Reading generated PDFs in tests: text (pypdf, NFC), page sizes, embedded fonts."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader

A4 = (595.28, 841.89)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """All the text, NFC, with runs of white space made single spaces (lines wrap where the layout says)."""
    raw = "\n".join(page.extract_text() or "" for page in reader(pdf).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(unicodedata.normalize("NFC", p.extract_text() or "").split()) for p in reader(pdf).pages]


def is_a4(pdf: bytes) -> bool:
    return all(
        abs(float(p.mediabox.width) - A4[0]) < 1 and abs(float(p.mediabox.height) - A4[1]) < 1
        for p in reader(pdf).pages
    )


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font used, by base name, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found
