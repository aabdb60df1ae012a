"""The background job that makes a generated document, and what it shares with the requests.

The job writes the PDF under a temporary name and moves it into place in one step, so a worker killed midway
leaves no broken file; a job found queued or running for longer than DOCUMENTS_STALE_AFTER_SECONDS is taken for
interrupted and run again. `tasks.generate_document` runs it; `services` queues it and uses `is_stale`,
`mark_failed` too (this module sits below both, so the job's entry point need not import the requests).
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.utils import timezone

from admission.documents import dossier
from admission.documents.models import DOSSIER_CODE, DocumentStatus, GeneratedDocument, form_slug
from admission.documents.render import render_form
from admission.documents.signing.issue import issuing_org_id, sign_rendered
from admission.sourcing.models.candidates import Candidate

logger = logging.getLogger(__name__)


def is_stale(document: GeneratedDocument) -> bool:
    limit = timedelta(seconds=getattr(settings, "DOCUMENTS_STALE_AFTER_SECONDS", 600))
    since = document.started_at if document.status == DocumentStatus.RUNNING else document.created_at
    return since is not None and timezone.now() - since > limit


def mark_failed(document: GeneratedDocument, message: str) -> None:
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error=message, finished_at=timezone.now()
    )


def store_atomically(name: str, content: bytes) -> str:
    """Write `content` so that `name` either does not exist or holds the whole file: on a file system, into a temporary
    file beside it and then os.replace (atomic within one file system); elsewhere one whole upload."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        name = storage.get_available_name(name)
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{uuid.uuid4().hex}.part"
        try:
            with open(temporary, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
        return name
    return storage.save(name, ContentFile(content))


def _progress(pk: int) -> Any:
    def report(percent: int) -> None:
        GeneratedDocument.objects.filter(pk=pk).update(progress=min(max(percent, 1), 99))

    return report


def _claim(document_id: int) -> GeneratedDocument | None:
    """Mark the job running, unless it is done or alive in another worker."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.DONE:
            return None
        if document.status == DocumentStatus.RUNNING and not is_stale(document):
            return None
        document.status = DocumentStatus.RUNNING
        document.started_at = timezone.now()
        document.attempts += 1
        document.progress = 5
        document.error = ""
        document.save(update_fields=["status", "started_at", "attempts", "progress", "error"])
        return document


def document_generate(*, document_id: int) -> GeneratedDocument | None:
    """Run one job (the worker calls this through `tasks.generate_document`)."""
    document = _claim(document_id)
    if document is None:
        return None
    candidate = Candidate.objects.select_related("cell", "person", "rule_set").get(pk=document.candidate_id)
    signature: dict[str, Any] = {}
    try:
        if document.form_code == DOSSIER_CODE:
            pdf, pages, key = dossier.render_dossier(candidate, progress=_progress(document.pk))
        else:
            rendered = render_form(candidate, document.form_code)
            pdf, pages, key = rendered.pdf, rendered.pages, rendered.prepared.input_hash
            signature["compact"] = rendered.compact
            # A body's resolution or decision is signed for the body that issues it, when it has a signer.
            signed = sign_rendered(candidate, rendered)
            if signed is not None:
                pdf = signed.pdf
                signature = {
                    "signed_at": signed.signed_at,
                    "signed_by": signed.signed_by[:255],
                    "signed_for_id": issuing_org_id(rendered),
                    "signature_level": signed.level,
                }
        GeneratedDocument.objects.filter(pk=document.pk).update(progress=95)
        checksum = hashlib.sha256(pdf).hexdigest()
        name = store_atomically(
            f"generated/{candidate.pk}/{form_slug(document.form_code)}-{document.pk}-{checksum[:12]}.pdf", pdf
        )
    except Exception as exc:
        logger.exception("Generating %s for %s failed", document.form_code, candidate.code)
        mark_failed(document, f"{type(exc).__name__}: {exc}"[:2000])
        document.refresh_from_db()
        return document
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.DONE,
        file=name,
        checksum=checksum,
        pages=pages,
        input_hash=key,  # the data as it was when the job ran
        progress=100,
        finished_at=timezone.now(),
        **signature,
    )
    document.refresh_from_db()
    return document
