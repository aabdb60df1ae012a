"""The background job that makes a generated document, and what it shares with the requests.

The job writes the PDF under a temporary name and moves it into place in one step, so a worker killed midway
leaves no broken file. `tasks.generate_document` runs it; `services` queues it and uses `is_dead`, `mark_failed`
and `remove_temporaries` too (this module sits below both, so the job's entry point need not import the requests).

A job holds a lease: it records a heartbeat (`heartbeat_at`) when it is queued and when a worker claims it, and a
small thread beats every DOCUMENTS_HEARTBEAT_SECONDS while it renders. A running job whose heartbeat is older than
DOCUMENTS_LEASE_SECONDS, or a queued one older than DOCUMENTS_QUEUED_SECONDS, is dead: the next request for it, or
`documents_retry_stale`, queues it again (`services`). Each claim counts an attempt, and a job writes its heartbeat,
its failure and its result only while the attempt it claimed is still the document's current one: a worker taken
for dead that wakes up later changes nothing and deletes the file it made.

Lock order, everywhere documents and cases are locked together: the case row first (`Candidate`, FOR UPDATE OF the
case only), then its document rows (FOR UPDATE OF the documents only, by primary key), never the other way round.
The worker's claim locks its one document row and nothing else (no join to the case: the model's default ordering
goes through the case, so every locking query here orders by pk and names `of=("self",)`); its later writes are
single-row updates outside any transaction. Requests and the retry command lock the case first (`services`).
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import threading
import time
import uuid
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from admission.documents import dossier
from admission.documents.models import DOSSIER_CODE, DocumentStatus, GeneratedDocument, form_slug
from admission.documents.render import render_form
from admission.documents.signing.issue import issuing_org_id, sign_rendered
from admission.sourcing.models.candidates import Candidate

logger = logging.getLogger(__name__)

ACTIVE = (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
GENERATED_DIR = "generated"


def heartbeat_seconds() -> float:
    return float(settings.DOCUMENTS_HEARTBEAT_SECONDS)  # bounded and defaulted in config/settings/base.py


def lease_seconds() -> float:
    return float(settings.DOCUMENTS_LEASE_SECONDS)  # bounded and defaulted in config/settings/base.py


def queued_seconds() -> float:
    return float(settings.DOCUMENTS_QUEUED_SECONDS)  # bounded and defaulted in config/settings/base.py


def max_attempts() -> int:
    return int(settings.DOCUMENTS_MAX_ATTEMPTS)  # bounded and defaulted in config/settings/base.py


def is_dead(document: GeneratedDocument, *, now: datetime | None = None) -> bool:
    """Whether an unfinished job has lost its worker: running with a heartbeat older than the lease, or queued for
    longer than DOCUMENTS_QUEUED_SECONDS. Exactly the limit is still alive."""
    now = now or timezone.now()
    if document.status == DocumentStatus.RUNNING:
        beat = document.heartbeat_at or document.started_at
        return beat is None or now - beat > timedelta(seconds=lease_seconds())
    if document.status == DocumentStatus.QUEUED:
        since = document.heartbeat_at or document.created_at
        return since is not None and now - since > timedelta(seconds=queued_seconds())
    return False


def locked_documents() -> QuerySet[GeneratedDocument]:
    """Document rows to lock: FOR UPDATE OF the documents only, in primary-key order (see the lock order above)."""
    return GeneratedDocument.objects.select_for_update(of=("self",)).order_by("pk")


def mark_failed(document: GeneratedDocument, message: str, *, attempt: int | None = None) -> bool:
    """Record a failure; with `attempt`, only if that attempt is still the document's current, unfinished one."""
    rows = GeneratedDocument.objects.filter(pk=document.pk)
    if attempt is not None:
        rows = rows.filter(attempts=attempt, status__in=ACTIVE)
    return bool(rows.update(status=DocumentStatus.FAILED, error=message, finished_at=timezone.now()))


# ------------------------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------------------------


def _temporary_marker(document_id: int) -> str:
    """What every temporary file of a document's job has in its name, so a later attempt finds and removes them."""
    return f".job{document_id}-"


def store_atomically(name: str, content: bytes, *, document_id: int | None = None) -> str:
    """Write `content` so that `name` either does not exist or holds the whole file: on a file system, into a temporary
    file beside it and then os.replace (atomic within one file system); elsewhere one whole upload."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        name = storage.get_available_name(name)
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        marker = _temporary_marker(document_id) if document_id is not None else "."
        temporary = f"{path}{marker}{uuid.uuid4().hex}.part"
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


def remove_temporaries(document: GeneratedDocument) -> int:
    """Remove what earlier attempts of this document's job left half-written (a worker killed while writing).
    Only a file-system storage has temporary files."""
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        return 0
    folder = storage.path(f"{GENERATED_DIR}/{document.candidate_id}")
    removed = 0
    for path in glob.glob(os.path.join(glob.escape(folder), f"*{_temporary_marker(document.pk)}*.part")):
        try:
            os.remove(path)
            removed += 1
        except FileNotFoundError:  # removed meanwhile by another sweep
            continue
    return removed


def remove_orphaned_temporaries(*, older_than: float | None = None) -> int:
    """Remove the temporary `.part` files under generated/ last written more than `older_than` seconds ago (the
    lease by default: a live job writes its file in well under a second). Only on a file-system storage."""
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        return 0
    cutoff = time.time() - (lease_seconds() if older_than is None else older_than)
    removed = 0
    for folder, _dirs, files in os.walk(storage.path(GENERATED_DIR)):
        for filename in files:
            if not filename.endswith(".part"):
                continue
            path = os.path.join(folder, filename)
            try:
                if os.stat(path).st_mtime < cutoff:
                    os.remove(path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


# ------------------------------------------------------------------------------------------------------------------
# The job
# ------------------------------------------------------------------------------------------------------------------


class Heartbeat:
    """While a job renders, a daemon thread records its heartbeat every DOCUMENTS_HEARTBEAT_SECONDS, through its own
    database connection (closed when it stops). It stops when the job ends, or once the attempt is no longer the
    document's current one. Inside a transaction (the immediate backend running a job on commit in tests) no thread
    starts: another connection would not see the rows being made."""

    def __init__(self, document_id: int, attempt: int) -> None:
        self.document_id = document_id
        self.attempt = attempt
        self.every = heartbeat_seconds()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._run, name=f"documents-heartbeat-{self.document_id}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.every + 10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    current = GeneratedDocument.objects.filter(
                        pk=self.document_id, attempts=self.attempt, status=DocumentStatus.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:  # the database is away for a moment: the lease allows for a missed beat
                    logger.warning("Heartbeat of document job %s failed", self.document_id, exc_info=True)
                    continue
                if not current:
                    return
        finally:
            connections.close_all()  # this thread's own connections


def _progress(pk: int, attempt: int) -> Any:
    def report(percent: int) -> None:
        GeneratedDocument.objects.filter(pk=pk, attempts=attempt, status=DocumentStatus.RUNNING).update(
            progress=min(max(percent, 1), 99), heartbeat_at=timezone.now()
        )

    return report


def _claim(document_id: int) -> GeneratedDocument | None:
    """Mark the job running, unless it is finished or alive in another worker. Locks the document row only."""
    with transaction.atomic():
        document = locked_documents().filter(pk=document_id).first()
        if document is None or document.status not in ACTIVE:
            return None  # done, or failed (a job taken for dead and given up; a new request makes a new one)
        if document.status == DocumentStatus.RUNNING and not is_dead(document):
            return None
        now = timezone.now()
        document.status = DocumentStatus.RUNNING
        document.started_at = now
        document.heartbeat_at = now
        document.attempts += 1
        document.progress = 5
        document.error = ""
        document.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "progress", "error"])
        return document


def document_generate(*, document_id: int) -> GeneratedDocument | None:
    """Run one job (the worker calls this through `tasks.generate_document`)."""
    document = _claim(document_id)
    if document is None:
        return None
    attempt = document.attempts
    remove_temporaries(document)  # what an earlier attempt, killed while writing, left behind
    candidate = Candidate.objects.select_related("cell", "person", "rule_set").get(pk=document.candidate_id)
    signature: dict[str, Any] = {}
    with Heartbeat(document.pk, attempt):
        try:
            if document.form_code == DOSSIER_CODE:
                pdf, pages, key = dossier.render_dossier(candidate, progress=_progress(document.pk, attempt))
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
            _progress(document.pk, attempt)(95)
            checksum = hashlib.sha256(pdf).hexdigest()
            name = store_atomically(
                f"{GENERATED_DIR}/{candidate.pk}/{form_slug(document.form_code)}-{document.pk}-{checksum[:12]}.pdf",
                pdf,
                document_id=document.pk,
            )
        except Exception as exc:
            logger.exception("Generating %s for %s failed", document.form_code, candidate.code)
            if mark_failed(document, f"{type(exc).__name__}: {exc}"[:2000], attempt=attempt):
                remove_temporaries(document)  # still this attempt's document: nothing else is writing for it
            document.refresh_from_db()
            return document
    # Written only if this attempt is still the current one: queued again meanwhile but not yet started again, this
    # copy serves (the queued run will find it done); started again by another worker, that run's copy will.
    finished = GeneratedDocument.objects.filter(pk=document.pk, attempts=attempt, status__in=ACTIVE).update(
        status=DocumentStatus.DONE,
        file=name,
        checksum=checksum,
        pages=pages,
        input_hash=key,  # the data as it was when the job ran
        progress=100,
        heartbeat_at=timezone.now(),
        finished_at=timezone.now(),
        **signature,
    )
    if not finished:
        logger.warning("Document job %s (attempt %s) was superseded; its file is dropped", document.pk, attempt)
        if not GeneratedDocument.objects.filter(file=name).exists():
            default_storage.delete(name)
    document.refresh_from_db()
    return document
