"""Document numbers ("Số 05-NQ/CB"): consecutive per issuing body, document type and period (HD 36-HD/VPTW: from
01 per type within a committee term; the year stands for the term until terms are recorded).

Race-safe on PostgreSQL and SQLite alike: the sequence row is created under a unique constraint (a concurrent
creator loses and retries), then locked with SELECT … FOR UPDATE while it is incremented. A case's form keeps the
number it was given the first time.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from admission.documents.models import DocumentNumber, NumberSequence
from admission.party.models.orgs import PartyOrg
from admission.sourcing.models.candidates import Candidate


def _sequence(org: PartyOrg, doc_type: str, period: str) -> NumberSequence:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                NumberSequence.objects.get_or_create(org=org, doc_type=doc_type, period=period)
            break
        except IntegrityError:  # created meanwhile by another request: read it on the next pass
            continue
    return NumberSequence.objects.select_for_update().get(org=org, doc_type=doc_type, period=period)


@transaction.atomic
def number_for(*, candidate: Candidate, form_code: str, org: PartyOrg, doc_type: str, period: str) -> int:
    """The number of this case's form, given now if it has none yet."""
    existing = DocumentNumber.objects.filter(candidate=candidate, form_code=form_code).first()
    if existing is not None:
        return existing.number
    sequence = _sequence(org, doc_type, period)
    # Asked twice at once for the same form: the second waited on the lock and now finds the first one's number.
    existing = DocumentNumber.objects.filter(candidate=candidate, form_code=form_code).first()
    if existing is not None:
        return existing.number
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    DocumentNumber.objects.create(
        candidate=candidate, form_code=form_code, sequence=sequence, number=sequence.last_number
    )
    return sequence.last_number


def number_line(*, candidate: Candidate, form_code: str, numbering: dict[str, Any], allocate: bool) -> str:
    """The "Số …" line: the number entered with the step when there is one, else this case's number for the form
    (given now when `allocate`, left blank otherwise)."""
    from admission.documents import formatting as fmt

    org = PartyOrg.objects.get(pk=numbering["org_id"])
    if numbering.get("entered"):
        return fmt.number_text(numbering["entered"], numbering["doc_type"], org)
    existing = DocumentNumber.objects.filter(candidate=candidate, form_code=form_code).first()
    if existing is None and not allocate:
        return fmt.number_text(None, numbering["doc_type"], org)
    number = (
        existing.number
        if existing
        else number_for(
            candidate=candidate,
            form_code=form_code,
            org=org,
            doc_type=numbering["doc_type"],
            period=numbering["period"],
        )
    )
    return fmt.number_text(number, numbering["doc_type"], org)
