"""Reading generated PDFs in tests: text (pypdf, NFC), page sizes, embedded fonts."""

from __future__ import annotations

import io
import re
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


# The first line of every signature block the forms print (forms.md §1.6).
SIGNATURE_MARKERS = (
    "T/M CHI BỘ",
    "T/M ĐẢNG ỦY",
    "T/M BAN THƯỜNG VỤ",
    "TM. BAN CHẤP HÀNH",
    "GIÁM ĐỐC",
    "NGƯỜI LÀM ĐƠN",
    "NGƯỜI KHAI",
    "ĐẢNG VIÊN GIỚI THIỆU",
    "NGƯỜI TỰ KIỂM ĐIỂM",
    "ĐẢNG VIÊN ĐƯỢC PHÂN CÔNG GIÚP ĐỠ",
)
_FOOTER = re.compile(r"Hồ sơ \S+ · tra cứu tình trạng: quét mã QR|Trang \d+/\d+")
_PLACE_DATE = re.compile(r"[\w\s.-]{0,40}, ngày \S+ tháng \S+ năm \S+\s*$")


def lone_signature_pages(pdf: bytes) -> list[int]:
    """The pages (1-based) on which a signature block stands without any of the document's text before it: what
    precedes its first line on that page, less "Nơi nhận" and the place and date above the signer, is no more than
    the page number."""
    lone = []
    for number, content in enumerate(page_texts(pdf), start=1):
        content = _FOOTER.sub(" ", content)  # the complete dossier's footer on every page
        found = [content.find(m) for m in SIGNATURE_MARKERS if m in content]
        if not found:
            continue
        before = content[: min(found)]
        if "Nơi nhận:" in before:
            before = before[: before.find("Nơi nhận:")]
        before = _PLACE_DATE.sub("", before)
        body = re.sub(r"^\s*(Mẫu \S+)?\s*\d*\s*", "", before).strip()
        if len(body) < 40:
            lone.append(number)
    return lone
