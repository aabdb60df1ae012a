"""Generated files the store no longer holds (a database-only restore of a file-system store, a lost disk): the
copy is marked failed, so that no list calls it up to date and the next request makes it again, and whoever asked
for it is told so in a sentence instead of an error page. The request that finds it missing asks for the new copy
at once (through `services.document_request`, as any request does)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from admission.core.files import names_present
from admission.documents import services
from admission.documents.generation import mark_failed
from admission.documents.models import DocumentStatus, GeneratedDocument
from admission.sourcing.models.candidates import Candidate


def lost_message() -> str:
    return _("The file was not found in the file store; it is made again on the next request.")


def lost_documents_forget(candidate: Candidate) -> int:
    """Mark failed every finished copy of the case whose file is gone (one query on the database store). Returns
    how many. The case is locked first, then its documents are written: the one lock order of the documents."""
    done = list(GeneratedDocument.objects.filter(candidate=candidate, status=DocumentStatus.DONE))
    if not done:
        return 0
    present = names_present(default_storage, (document.file.name or "" for document in done))
    lost = [document for document in done if (document.file.name or "") not in present]
    if lost:
        with transaction.atomic():
            services.lock_case(candidate.pk)
            for document in lost:
                mark_failed(document, lost_message())
    return len(lost)


def document_remake(*, document: GeneratedDocument, by: Any) -> tuple[GeneratedDocument | None, str]:
    """The file of a finished copy is gone: mark it failed and ask for a new copy. Returns the new copy (None when
    the form cannot be made now) and the sentence that tells the reader what happens. The lost copy is marked failed
    under the case's lock (the one lock order of the documents) whether or not a new copy can be made."""
    with transaction.atomic():
        services.lock_case(document.candidate_id)
        mark_failed(document, lost_message())
    try:
        remade = services.document_request(candidate=document.candidate, form_code=document.form_code, by=by)
    except ValidationError as exc:
        return None, _(
            "The file of this document was not found in the file store, and it cannot be made again now: %(reason)s"
        ) % {"reason": " ".join(exc.messages)}
    return remade, _(
        "The file of this document was not found in the file store. It is being made again: download it from the "
        "list of documents in a minute or two."
    )
