"""Requests for generated documents and logged downloads.

A request compares the hash of the case's current data with the stored copies: an up-to-date copy is returned as
it is, a copy being made is returned to be polled, anything else queues a new `GeneratedDocument` (the old ones are
kept). The background job that makes the copy is in `generation` (run by `tasks.generate_document`); a job found
queued or running for longer than DOCUMENTS_STALE_AFTER_SECONDS is taken for interrupted and run again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.documents import builders, dossier, registry
from admission.documents.generation import is_stale, mark_failed
from admission.documents.models import DOSSIER_CODE, DocumentDownload, DocumentStatus, GeneratedDocument
from admission.documents.render import FormNotApplicable, PreparedForm, applicable_forms, prepare_form
from admission.documents.signing import SIGNED_FORMS
from admission.documents.signing.credentials import signer_for
from admission.documents.signing.issue import wants_signature
from admission.documents.tasks import generate_document
from admission.party import permissions
from admission.probation.models import RecognitionStep
from admission.sourcing.models.candidates import Candidate

ACTIVE = (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
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


def form_rows(candidate: Candidate) -> list[FormRow]:
    """Each form that applies to the case at its stage, with its latest copy; then the complete dossier."""
    with builders.memo():
        rows = [_row(candidate, p) for p in applicable_forms(candidate)]
        parts = dossier.plan(candidate)
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


@transaction.atomic
def document_request(*, candidate: Candidate, form_code: str, by: Any) -> GeneratedDocument:
    """Ask for a form (or the complete dossier, code "HS") of a case: the up-to-date copy if there is one, the copy
    being made if it is still alive, else a new copy queued for the worker."""
    candidate = Candidate.objects.select_for_update().select_related("cell", "person", "rule_set").get(pk=candidate.pk)
    code, version, key, signed = _what(candidate, form_code)
    same = (
        GeneratedDocument.objects.select_for_update()
        .filter(candidate=candidate, form_code=code, input_hash=key)
        .exclude(status=DocumentStatus.FAILED)
        .order_by("-created_at", "-pk")
    )
    for existing in same:
        # An unsigned copy made before the body had a signer is made again, signed.
        if existing.status == DocumentStatus.DONE and _file_exists(existing) and (existing.signed_at or not signed):
            return existing
        if existing.status in ACTIVE and not is_stale(existing):
            return existing
        if existing.status in ACTIVE:
            mark_failed(
                existing, _("Interrupted: the job was still unfinished after the time limit; it is done again.")
            )
    document = GeneratedDocument.objects.create(
        candidate=candidate,
        form_code=code,
        template_version=version,
        rule_set_version=candidate.rule_set.code,
        input_hash=key,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _enqueue(document)
    return document


def _enqueue(document: GeneratedDocument) -> None:
    pk = document.pk
    transaction.on_commit(lambda: generate_document.enqueue(pk))


def documents_retry_stale() -> int:
    """Queue again every job left queued or running past the limit (a worker restarted midway). Returns how many."""
    retried = 0
    for document in GeneratedDocument.objects.filter(status__in=ACTIVE).select_related("candidate"):
        if is_stale(document):
            mark_failed(
                document, _("Interrupted: the job was still unfinished after the time limit; it is done again.")
            )
            try:
                document_request(candidate=document.candidate, form_code=document.form_code, by=document.created_by)
            except ValidationError:
                continue
            retried += 1
    return retried


# ------------------------------------------------------------------------------------------------------------------
# Downloads
# ------------------------------------------------------------------------------------------------------------------


def document_download(*, document: GeneratedDocument, by: Any, via: str = "web") -> GeneratedDocument:
    """Log who downloads a generated file; only a finished file can be downloaded."""
    if document.status != DocumentStatus.DONE or not _file_exists(document):
        raise Http404
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
