"""The vote and the decisions, 6–9-KNĐ: the cell's resolution, the partial committee's appraisal, the grassroots
committee's resolution and the admission decision, read from the case's chain of steps.
"""

from __future__ import annotations

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.meetings import MeetingPurpose, Vote
from admission.documents import formatting as fmt
from admission.documents.builders.memo import _remembered
from admission.documents.builders.shared import (
    Data,
    _base,
    _numbering,
    _vote_block,
    first_committee_above,
    header_block,
    secretary_name,
)
from admission.dossier.checklist import dossier_checklist
from admission.party import hierarchy
from admission.party.permissions import today
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import Candidate


def _chain(candidate: Candidate) -> list[ChainStepRecord]:
    return list(_remembered(("chain", candidate.pk), lambda: _read_chain(candidate)))


def _read_chain(candidate: Candidate) -> list[ChainStepRecord]:
    steps = list(
        candidate.chain_steps.exclude(status__in=[StepStatus.REFUSED, StepStatus.SENT_BACK])
        .select_related("org", "vote__meeting")
        .order_by("order")
    )
    # After a send-back the cell proposes anew: keep the last run of the chain (from the last cell resolution).
    starts = [i for i, s in enumerate(steps) if s.kind == hierarchy.StepKind.CELL_RESOLUTION]
    return steps[starts[-1] :] if starts else steps


def _step(candidate: Candidate, kind: str) -> ChainStepRecord | None:
    return next((s for s in _chain(candidate) if s.kind == kind), None)


def _step_after(candidate: Candidate, step: ChainStepRecord) -> ChainStepRecord | None:
    return next((s for s in _chain(candidate) if s.order > step.order), None)


def _cell_vote(candidate: Candidate) -> Vote | None:
    step = _step(candidate, hierarchy.StepKind.CELL_RESOLUTION)
    if step is not None and step.vote is not None:
        return step.vote
    return (
        Vote.objects.filter(candidate=candidate, meeting__body=VoteBody.CELL, meeting__purpose=MeetingPurpose.ADMISSION)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-pk")
        .first()
    )


def build_6_knd(candidate: Candidate, version_key: str) -> Data | None:
    """6-KNĐ: the cell's resolution proposing the admission, from its meeting and its vote."""
    vote = _cell_vote(candidate)
    if vote is None:
        return None
    day = vote.meeting.held_on
    step = _step(candidate, hierarchy.StepKind.CELL_RESOLUTION)
    following = _step_after(candidate, step) if step else None
    target = following.org if following else first_committee_above(candidate.cell, day)
    return {
        **_base(candidate, version_key),
        "header": header_block(candidate.cell, day),
        "numbering": _numbering(candidate.cell, "NQ", day, step.document_number if step else ""),
        "vote": _vote_block(vote),
        "target": fmt.body_name(target) if target else "",
        "signer": secretary_name(candidate.cell, day),
        "date": fmt.dmy(day),
    }


def _resolution_ref(candidate: Candidate) -> Data:
    """The cell's resolution as later documents cite it: its number (entered or given here) and date."""
    from admission.documents.models import DocumentNumber

    step = _step(candidate, hierarchy.StepKind.CELL_RESOLUTION)
    if step is None:
        return {"number": "", "date": ""}
    number = step.document_number
    if not number:
        given = DocumentNumber.objects.filter(candidate=candidate, form_code="6-KNĐ").first()
        number = f"{given.number:02d}-NQ/CB" if given else ""
    return {"number": fmt.nfc(number), "date": fmt.spelled(step.document_date or step.done_on)}


def build_7_knd(candidate: Candidate, version_key: str) -> Data | None:
    """7-KNĐ: the partial committee's appraisal of the cell's resolution, with the dossier it checked."""
    step = _step(candidate, hierarchy.StepKind.APPRAISAL)
    if step is None:
        return None
    day = step.document_date
    following = _step_after(candidate, step)
    on = day or today()
    items = [
        {"title": fmt.nfc(item.title), "form": item.form, "date": fmt.dmy(item.date), "status": item.status}
        for item in dossier_checklist(candidate, on)
    ]
    return {
        **_base(candidate, version_key),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "BC", day, step.document_number),
        "recipient": fmt.body_name(following.org) if following else "",
        "body": fmt.body_name(step.org),
        "resolution": _resolution_ref(candidate),
        "items": items,
        "note": fmt.nfc(step.note),
        "date": fmt.dmy(day),
    }


def build_8_knd(candidate: Candidate, version_key: str) -> Data | None:
    """8-KNĐ: the grassroots committee's resolution, from its recorded vote (2/3 of all committee members)."""
    step = _step(candidate, hierarchy.StepKind.COMMITTEE_RESOLUTION)
    if step is None:
        return None
    vote = step.vote or (
        Vote.objects.filter(candidate=candidate, meeting__org=step.org, meeting__body=step.vote_body, passed=True)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-pk")
        .first()
    )
    if vote is None:
        return None
    day = step.document_date or vote.meeting.held_on
    following = _step_after(candidate, step)
    return {
        **_base(candidate, version_key),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "NQ", day, step.document_number),
        "vote": _vote_block(vote),
        "body": fmt.body_name(step.org),
        "resolution": _resolution_ref(candidate),
        "target": fmt.body_name(following.org) if following else "",
        "date": fmt.dmy(day),
    }


def build_9_knd(candidate: Candidate, version_key: str) -> Data | None:
    """9-KNĐ: the admission decision of the deciding body; its number is the one entered with the decision."""
    step = _step(candidate, hierarchy.StepKind.DECISION)
    if step is None:
        return None
    day = step.document_date
    authorised = step.deciding_body == "authorised_grassroots_committee"
    body = fmt.body_name(step.org)
    proposals = []
    resolution = _resolution_ref(candidate)
    proposals.append(
        f"Xét đề nghị của {fmt.nfc(candidate.cell.name)}"
        + (f" tại Nghị quyết số {resolution['number']}" if resolution["number"] else "")
        + (f", {resolution['date']}" if resolution["date"] else "")
    )
    for other in _chain(candidate):
        if other.kind == hierarchy.StepKind.COMMITTEE_RESOLUTION and other.status == StepStatus.DONE:
            proposals.append(f"Xét đề nghị của {fmt.body_name(other.org)}, {fmt.spelled(other.document_date)}")
    return {
        **_base(candidate, version_key),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "QĐ", day, step.document_number),
        "authorised": authorised,
        "deciding_line": fmt.caps(body if authorised else f"Ban Thường vụ {body}"),
        "authority": "T/M ĐẢNG ỦY" if authorised else "T/M BAN THƯỜNG VỤ",
        "proposals": proposals,
        "cell_body": fmt.nfc(candidate.cell.name),
        "cell_committee": fmt.body_name(first_committee_above(candidate.cell, day or today()) or candidate.cell),
        "date": fmt.dmy(day),
    }
