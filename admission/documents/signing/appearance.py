"""The visible signature: a framed block in the signer's space of the form (between "BÍ THƯ" and the name), in the
party-document style: who signed for which body, and when, in Liberation Serif like the form around it.

pyHanko draws a signature field's appearance from a stamp style; its text stamps need a shaping library for
Vietnamese, so the block is laid out by WeasyPrint instead (the same fonts as the form) and pyHanko places that
one-page PDF as the field's appearance. The time shown is the signing time pyHanko records in the signature.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import StaticContentStamp, StaticStampStyle, TextStampStyle

from admission.documents.render import html_to_pdf

# How pyHanko passes the signing time to the style (parsed back below): ISO 8601 with the offset.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


class _PdfBytesPage(content.ImportedPdfPage):
    """A page of a PDF held in memory, imported as a form XObject (pyHanko's own class reads a file)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name="", page_ix=0)
        self.data = data

    def render(self) -> bytes:
        writer: BasePdfFileWriter = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Import" + uuid.uuid4().hex
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode() + b" Do"


@dataclass(frozen=True)
class PartyStampStyle(TextStampStyle):
    """The signature block of a body's document: drawn by WeasyPrint at the field's size."""

    body: str = ""
    signer: str = ""
    timestamp_format: str = TIME_FORMAT

    def create_stamp(self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]) -> Any:
        signed_at = local_time(datetime.fromisoformat(text_params["ts"]))
        pdf = appearance_pdf(
            body=self.body, signer=self.signer or text_params.get("signer", ""), signed_at=signed_at, box=box
        )
        style = StaticStampStyle(background=_PdfBytesPage(pdf), border_width=0)
        return StaticContentStamp(writer=writer, style=style, box=box)


def appearance_pdf(*, body: str, signer: str, signed_at: datetime, box: layout.BoxConstraints) -> bytes:
    """The block as a one-page PDF of exactly the field's size (points)."""
    context = {
        "width": box.width,
        "height": box.height,
        "body": body,
        "signer": signer,
        "signed_at": signed_at.strftime("%d/%m/%Y %H:%M:%S"),
        "offset": signed_at.strftime("%z")[:3] + ":" + signed_at.strftime("%z")[3:],
    }
    return html_to_pdf(render_to_string("admission/pdf/_signature_stamp.html", context))
