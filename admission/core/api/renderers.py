"""A download's media type in content negotiation: a client may ask for the PDF it downloads (`Accept:
application/pdf`) instead of being refused 406; an error on that endpoint is still a problem in JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import renderers


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


DOWNLOAD_RENDERERS = [renderers.JSONRenderer, PDFRenderer]
