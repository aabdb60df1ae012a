"""Requests for generated documents and logged downloads.

A request compares the hash of the case's current data with the stored copies: an up-to-date copy is returned as
it is, a copy being made is returned to be polled, anything else queues a new `GeneratedDocument` (the old ones are
kept). The background job that makes the copy is in `generation` (run by `tasks.generate_document`). A copy whose
job is dead (its worker's heartbeat older than the lease, or queued too long: `generation.is_dead`) is queued again
at once by the request that finds it, and by `documents_retry_stale` every minute. Locks: the case row first, then
its document rows (`generation`'s docstring).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.documents import builders, dossier, registry
from admission.documents.generation import (
    ACTIVE,
    is_dead,
    locked_documents,
    mark_failed,
    max_attempts,
    remove_orphaned_temporaries,
    remove_temporaries,
)
from admission.documents.models import DOSSIER_CODE, DocumentDownload, DocumentStatus, GeneratedDocument
from admission.documents.render import FormNotApplicable, PreparedForm, applicable_forms, prepare_form
from admission.documents.signing import SIGNED_FORMS
from admission.documents.signing.credentials import signer_for
from admission.documents.signing.issue import wants_signature
from admission.documents.tasks import generate_document
from admission.party import permissions
from admission.probation.models import RecognitionStep
from admission.sourcing.models.candidates import Candidate

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------------------------------------------


def case_get_for_documents(*, user: Any, pk: int | str) -> Candidate:
    """A case whose documents the user may see: its cell lies in one of the user's units (else 404). The candidate
    themself does not download the committees' papers through this door."""
    try:
        return Candidate.objects.select_related("person", "cell", "rule_set").get(
            permissions.scope_q(user, field="cell__path"), pk=pk
        )
    except (Candidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def document_get_for_user(*, user: Any, candidate: Candidate, pk: int | str) -> GeneratedDocument:
    try:
        return GeneratedDocument.objects.get(candidate=candidate, pk=pk)
    except (GeneratedDocument.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def documents_of(candidate: Candidate) -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.filter(candidate=candidate).select_related("created_by")


@dataclass(frozen=True)
class FormRow:
    code: str
    printed_code: str
    title: str
    draft: bool
    input_hash: str
    latest: GeneratedDocument | None

    @property
    def up_to_date(self) -> bool:
        return bool(
            self.latest and self.latest.status == DocumentStatus.DONE and self.latest.input_hash == self.input_hash
        )


def _latest(candidate: Candidate, code: str) -> GeneratedDocument | None:
    return documents_of(candidate).filter(form_code=code).order_by("-created_at", "-pk").first()


def form_rows(candidate: Candidate, *, codes: Collection[str] | None = None) -> list[FormRow]:
    """Each form that applies to the case at its stage, with its latest copy; then the complete dossier (only the
    forms of `codes` when given: the candidate's page asks for three, not for every form and the dossier's plan)."""
    with builders.memo():
        rows = [_row(candidate, p) for p in applicable_forms(candidate, codes=codes)]
        parts = dossier.plan(candidate) if codes is None or DOSSIER_CODE in codes else []
    if parts:
        rows.append(
            FormRow(
                DOSSIER_CODE,
                DOSSIER_CODE,
                "Hồ sơ đề nghị kết nạp đảng viên (trọn bộ)",
                False,
                dossier.plan_hash(candidate, parts),
                _latest(candidate, DOSSIER_CODE),
            )
        )
    return rows


def _row(candidate: Candidate, prepared: PreparedForm) -> FormRow:
    spec = prepared.spec
    return FormRow(
        spec.code,
        prepared.printed_code,
        spec.title,
        spec.draft,
        prepared.input_hash,
        _latest(candidate, spec.code),
    )


# ------------------------------------------------------------------------------------------------------------------
# Requests
# ------------------------------------------------------------------------------------------------------------------


def _what(candidate: Candidate, form_code: str) -> tuple[str, str, str, bool]:
    """(code, template version, input hash, whether it is to be signed) of what a request would generate now."""
    if form_code == DOSSIER_CODE:
        parts = dossier.plan(candidate)
        if not parts:
            raise ValidationError(_("The case has no document to put in a dossier yet."))
        return DOSSIER_CODE, dossier.DOSSIER_VERSION, dossier.plan_hash(candidate, parts), False
    try:
        prepared = prepare_form(candidate, form_code)
    except KeyError as exc:
        raise ValidationError(_("Unknown form.")) from exc
    except FormNotApplicable as exc:
        raise ValidationError(
            _("Form %(code)s does not apply to this case at its current step, or its data is not recorded yet.")
            % {"code": form_code}
        ) from exc
    signed = wants_signature(prepared.spec.code, prepared.data)
    return prepared.spec.code, prepared.version.version, prepared.input_hash, signed


def _file_exists(document: GeneratedDocument) -> bool:
    return bool(document.file.name) and document.file.storage.exists(document.file.name or "")


def lock_case(pk: int) -> Candidate:
    """The case row, locked FOR UPDATE OF the case only (not its cell, person or rule set): the first lock taken by
    anything that then locks the case's documents."""
    return Candidate.objects.select_for_update(of=("self",)).select_related("cell", "person", "rule_set").get(pk=pk)


@transaction.atomic
def document_request(*, candidate: Candidate, form_code: str, by: Any) -> GeneratedDocument:
    """Ask for a form (or the complete dossier, code "HS") of a case: the up-to-date copy if there is one, the copy
    being made if its job is alive or can be queued again, else a new copy queued for the worker."""
    candidate = lock_case(candidate.pk)
    code, version, key, signed = _what(candidate, form_code)
    same = list(
        locked_documents()
        .filter(candidate=candidate, form_code=code, input_hash=key)
        .exclude(status=DocumentStatus.FAILED)
    )
    same.sort(key=lambda document: (document.created_at, document.pk), reverse=True)  # the newest first
    for existing in same:
        # An unsigned copy made before the body had a signer is made again, signed.
        if existing.status == DocumentStatus.DONE and _file_exists(existing) and (existing.signed_at or not signed):
            return existing
        if existing.status in ACTIVE and (not is_dead(existing) or _requeue(existing)):
            return existing
    now = timezone.now()
    document = GeneratedDocument.objects.create(
        candidate=candidate,
        form_code=code,
        template_version=version,
        rule_set_version=candidate.rule_set.code,
        input_hash=key,
        heartbeat_at=now,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _enqueue(document)
    return document


def _enqueue(document: GeneratedDocument) -> None:
    pk = document.pk
    transaction.on_commit(lambda: generate_document.enqueue(pk))


def close_dead_jobs(document: GeneratedDocument) -> int:
    """Close as failed the queue's rows (django-tasks-db) of this document's jobs still marked running: their worker
    died (the document's lease ran out), and nothing else ever ends them; job monitoring would show them running
    for ever. Returns how many were closed."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=generate_document.module_path, args_kwargs__args__0=document.pk
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="admission.documents.generation.WorkerDied",
        traceback="The worker stopped before finishing (its heartbeat is older than DOCUMENTS_LEASE_SECONDS).",
    )


def _requeue(document: GeneratedDocument) -> bool:
    """Queue a dead job again (the caller holds the case's and the document's locks): the same document, so whoever
    polls it sees it made. After DOCUMENTS_MAX_ATTEMPTS starts that never finished it is marked failed instead, and
    False is returned. Either way what its dead worker left half-written is removed, and the queue's record of the
    dead job is closed as failed (`close_dead_jobs`)."""
    remove_temporaries(document)
    close_dead_jobs(document)
    if document.attempts >= max_attempts():
        mark_failed(
            document,
            _("Interrupted: the job was started %(count)s times and never finished; ask for the document again.")
            % {"count": document.attempts},
        )
        logger.warning("Document job %s given up after %s attempts", document.pk, document.attempts)
        return False
    was = document.status
    document.status = DocumentStatus.QUEUED
    document.heartbeat_at = timezone.now()
    document.started_at = None
    document.progress = 0
    document.error = _("Interrupted: the worker stopped before finishing; queued again.")
    document.save(update_fields=["status", "heartbeat_at", "started_at", "progress", "error"])
    logger.warning("Document job %s (%s, %s attempt(s)) queued again", document.pk, was, document.attempts)
    _enqueue(document)
    return True


def document_requeue_if_dead(*, document_id: int) -> bool:
    """Queue one job again if it is (still) dead, under the case's lock and then the document's. True if queued."""
    candidate_id = GeneratedDocument.objects.filter(pk=document_id).values_list("candidate_id", flat=True).first()
    if candidate_id is None:
        return False
    with transaction.atomic():
        lock_case(candidate_id)
        document = locked_documents().filter(pk=document_id, status__in=ACTIVE).first()
        if document is None or not is_dead(document):
            return False  # finished, or taken up by a worker, meanwhile
        return _requeue(document)


def documents_retry_stale() -> tuple[int, int]:
    """Queue again every dead job (a worker killed or cut off midway, a job never picked up), and remove the
    temporary files left under generated/ for longer than the lease. Returns (jobs queued again, files removed)."""
    now = timezone.now()
    retried = 0
    for document in GeneratedDocument.objects.filter(status__in=ACTIVE).order_by("pk"):
        if is_dead(document, now=now) and document_requeue_if_dead(document_id=document.pk):
            retried += 1
    return retried, remove_orphaned_temporaries()


# ------------------------------------------------------------------------------------------------------------------
# Downloads
# ------------------------------------------------------------------------------------------------------------------


def document_download(*, document: GeneratedDocument, by: Any, via: str = "web") -> GeneratedDocument:
    """Log who downloads a generated file; only a finished file can be downloaded (a copy queued, being made, or
    whose worker died is not: 404, whatever its file field holds)."""
    if document.status != DocumentStatus.DONE or not _file_exists(document):
        raise Http404(_("This document is not ready: it is still being generated, or generating it failed."))
    DocumentDownload.objects.create(document=document, user=by if by.is_authenticated else None, via=via)
    return document


def download_name(document: GeneratedDocument) -> str:
    return document.download_name


def spec_title(code: str) -> str:
    if code == DOSSIER_CODE:
        return "Hồ sơ đề nghị kết nạp đảng viên (trọn bộ)"
    try:
        return registry.get(code).title
    except KeyError:
        return code


# ------------------------------------------------------------------------------------------------------------------
# Issuing: a body's resolution or decision, signed when its step is done
# ------------------------------------------------------------------------------------------------------------------


def document_issue(*, candidate_id: int, form_code: str) -> GeneratedDocument | None:
    """Generate (and sign, `signing.issue`) a body's document that was just issued; None when it does not apply."""
    candidate = Candidate.objects.select_related("cell", "person", "rule_set").get(pk=candidate_id)
    try:
        return document_request(candidate=candidate, form_code=form_code, by=None)
    except ValidationError as exc:  # the form has no data (yet): nothing to sign
        logger.info("Not issuing %s of %s: %s", form_code, candidate.code, exc)
        return None


def step_done(sender: Any, instance: ChainStepRecord | RecognitionStep, **kwargs: Any) -> None:
    """post_save of a chain or recognition step (connected in apps.py): once a step whose document a body signs is
    done, and that body has a signer, the document is issued after the transaction commits."""
    if instance.status != StepStatus.DONE or instance.form not in SIGNED_FORMS:
        return
    if signer_for(instance.org_id) is None:
        return
    candidate_id = instance.candidate_id if isinstance(instance, ChainStepRecord) else instance.probation.candidate_id
    form_code = instance.form
    transaction.on_commit(lambda: document_issue(candidate_id=candidate_id, form_code=form_code))
