"""Probation and recognition, 10–16-KNĐ (admission/probation/models.py): the self-review, the helpers' comments,
the compiled opinions, and the recognition chain's resolutions, appraisal and decision.
"""

from __future__ import annotations

from datetime import date

from admission.decisions.models.decisions import StepStatus
from admission.documents import formatting as fmt
from admission.documents.builders.memo import _remembered
from admission.documents.builders.shared import (
    Data,
    _base,
    _member_block,
    _numbering,
    _vote_block,
    first_committee_above,
    header_block,
    secretary_name,
)
from admission.party import hierarchy
from admission.party.permissions import today
from admission.probation.models import Probation, RecognitionStep
from admission.sourcing.models.candidates import Candidate


def probation_of(candidate: Candidate) -> Probation | None:
    def read() -> Probation | None:
        return (
            Probation.objects.select_related("membership__cell", "ceremony__membership__cell")
            .filter(candidate=candidate)
            .first()
        )

    return _remembered(("probation", candidate.pk), read)


def _recognition_steps(probation: Probation) -> list[RecognitionStep]:
    """Every step of every recognition chain of the probation, latest round first."""
    return list(
        _remembered(
            ("recognition", probation.pk),
            lambda: list(probation.steps.select_related("org", "vote__meeting").order_by("-round", "-order", "-pk")),
        )
    )


def _recognition_step(probation: Probation, kind: str) -> RecognitionStep | None:
    """The latest step of that kind the recognition chain has done (a later round replaces an earlier one)."""
    return next((s for s in _recognition_steps(probation) if s.kind == kind and s.status == StepStatus.DONE), None)


def _recognition_next(probation: Probation, step: RecognitionStep) -> RecognitionStep | None:
    following = [
        s
        for s in _recognition_steps(probation)
        if s.round == step.round and s.order > step.order and s.status not in (StepStatus.REFUSED, StepStatus.SENT_BACK)
    ]
    return min(following, key=lambda s: s.order) if following else None


def _probation_block(candidate: Candidate, probation: Probation) -> Data:
    """What the recognition forms repeat: admission date and cell, probation from … to … (the official date)."""
    admitted_in = probation.ceremony.membership.cell
    return {
        "admitted_on": fmt.spelled(probation.membership.admitted_on),
        "admitted_on_dmy": fmt.dmy(probation.membership.admitted_on),
        "admitted_cell": fmt.nfc(admitted_in.name),
        "current_cell": fmt.nfc(probation.membership.cell.name),
        "starts_on": fmt.spelled(probation.starts_on),
        "ends_on": fmt.spelled(probation.ends_on),
        "ends_on_dmy": fmt.dmy(probation.ends_on),
        "months": probation.months,
        "readmission": candidate.is_readmission,
    }


def _recognition_addressees(probation: Probation, day: date) -> Data:
    cell = probation.membership.cell
    committee = first_committee_above(cell, day)
    return {
        "cell_committee": f"Chi ủy {fmt.nfc(cell.name)}",
        "committee": fmt.body_name(committee) if committee else "",
    }


def _residences(candidate: Candidate) -> Data:
    cv = getattr(candidate, "curriculum", None)
    return {
        "permanent": fmt.nfc(cv.permanent_residence if cv and cv.permanent_residence else candidate.person.residence),
        "temporary": fmt.nfc(cv.temporary_residence) if cv else "",
    }


def build_10_knd(candidate: Candidate, version_key: str) -> Data | None:
    """10-KNĐ: the probationer's self-review, as recorded (typed, then signed by the member)."""
    probation = probation_of(candidate)
    review = getattr(probation, "self_review", None) if probation else None
    if probation is None or review is None:
        return None
    cell = probation.membership.cell
    place = header_block(cell, review.written_on)["place"]
    return {
        **_base(candidate, version_key),
        **_recognition_addressees(probation, review.written_on),
        **_residences(candidate),
        "probation": _probation_block(candidate, probation),
        "strengths": fmt.nfc(review.strengths),
        "weaknesses": fmt.nfc(review.weaknesses),
        "remedies": fmt.nfc(review.remedies),
        "place_date": fmt.place_and_date(place, review.written_on),
        "date": fmt.dmy(review.written_on),
    }


def build_11_knd(candidate: Candidate, version_key: str) -> Data | None:
    """11-KNĐ: one sheet per helper's comment (each helper writes and signs their own)."""
    probation = probation_of(candidate)
    if probation is None:
        return None
    comments = list(
        probation.helper_comments.select_related("mentor__member__person", "mentor__member__cell").order_by(
            "written_on", "pk"
        )
    )
    if not comments:
        return None
    sheets = []
    for comment in comments:
        helper = comment.mentor.member
        place = header_block(helper.cell, comment.written_on)["place"]
        sheets.append(
            {
                "helper": {
                    **_member_block(helper),
                    "admitted_on_dmy": fmt.dmy(helper.admitted_on),
                    "official_on_dmy": fmt.dmy(helper.official_on),
                },
                "assigned_on": fmt.spelled(comment.mentor.assigned_on),
                "assessment": fmt.nfc(comment.assessment),
                "recommends": comment.recommends_recognition,
                "place_date": fmt.place_and_date(place, comment.written_on),
                "date": fmt.dmy(comment.written_on),
            }
        )
    return {
        **_base(candidate, version_key),
        **_recognition_addressees(probation, comments[-1].written_on),
        "probation": _probation_block(candidate, probation),
        "sheets": sheets,
        "date": sheets[-1]["date"],
    }


def build_12_knd(candidate: Candidate, version_key: str) -> Data | None:
    """12-KNĐ: the cell committee's compilation of the opinions on the probationer."""
    probation = probation_of(candidate)
    summary = getattr(probation, "opinions", None) if probation else None
    if probation is None or summary is None:
        return None
    cell = probation.membership.cell
    return {
        **_base(candidate, version_key),
        "header": header_block(cell, summary.compiled_on),
        "probation": _probation_block(candidate, probation),
        "current_cell": fmt.nfc(cell.name),
        "organisations": [
            {
                "name": fmt.nfc(o.get("name", "")),
                "met_on": fmt.dmy(date.fromisoformat(o["met_on"])) if o.get("met_on") else "",
                "participants": o.get("participants") or "",
                "strengths": fmt.nfc(o.get("strengths", "")),
                "weaknesses": fmt.nfc(o.get("weaknesses", "")),
            }
            for o in summary.organisations
        ],
        "residence_cell": fmt.nfc(summary.residence_cell),
        "residence_opinion": fmt.nfc(summary.residence_opinion),
        "synthesis": fmt.nfc(summary.synthesis),
        "signer": secretary_name(cell, summary.compiled_on),
        "date": fmt.dmy(summary.compiled_on),
    }


def _recognition_resolution_ref(candidate: Candidate, probation: Probation) -> Data:
    """The cell's 13-KNĐ as 14–16-KNĐ cite it: its number (entered, or given here) and date."""
    from admission.documents.models import DocumentNumber

    step = _recognition_step(probation, hierarchy.StepKind.CELL_RESOLUTION)
    if step is None:
        return {"number": "", "date": ""}
    number = step.document_number
    if not number:
        given = DocumentNumber.objects.filter(candidate=candidate, form_code="13-KNĐ").first()
        number = f"{given.number:02d}-NQ/{fmt.symbol(step.org)}" if given else ""
    return {"number": fmt.nfc(number), "date": fmt.spelled(step.document_date or step.done_on)}


def build_13_knd(candidate: Candidate, version_key: str) -> Data | None:
    """13-KNĐ: the cell's resolution proposing recognition, from its recognition meeting and vote."""
    probation = probation_of(candidate)
    step = _recognition_step(probation, hierarchy.StepKind.CELL_RESOLUTION) if probation else None
    if probation is None or step is None or step.vote is None:
        return None
    day = step.vote.meeting.held_on
    following = _recognition_next(probation, step)
    target = following.org if following else first_committee_above(step.org, day)
    return {
        **_base(candidate, version_key),
        "cell": fmt.nfc(step.org.name),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "NQ", day, step.document_number),
        "probation": _probation_block(candidate, probation),
        "vote": _vote_block(step.vote),
        "target": fmt.body_name(target) if target else "",
        "signer": secretary_name(step.org, day),
        "date": fmt.dmy(day),
    }


def build_14_knd(candidate: Candidate, version_key: str) -> Data | None:
    """14-KNĐ: the partial committee's appraisal of the cell's 13-KNĐ, with the recognition dossier it checked."""
    probation = probation_of(candidate)
    step = _recognition_step(probation, hierarchy.StepKind.APPRAISAL) if probation else None
    if probation is None or step is None:
        return None
    day = step.document_date
    following = _recognition_next(probation, step)
    resolution = _recognition_resolution_ref(candidate, probation)
    items = []
    certificate = getattr(probation, "certificate", None)
    if certificate is not None:
        items.append(
            {
                "title": f"Giấy chứng nhận học lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới số "
                f"{fmt.nfc(certificate.number)}",
                "form": "",
                "date": fmt.dmy(certificate.issued_on),
            }
        )
    review = getattr(probation, "self_review", None)
    if review is not None:
        items.append(
            {"title": "Bản tự kiểm điểm của đảng viên dự bị", "form": "10-KNĐ", "date": fmt.dmy(review.written_on)}
        )
    for comment in probation.helper_comments.select_related("mentor__member__person").order_by("written_on", "pk"):
        items.append(
            {
                "title": f"Bản nhận xét của đảng viên giúp đỡ {fmt.nfc(comment.mentor.member.person.full_name)}",
                "form": "11-KNĐ",
                "date": fmt.dmy(comment.written_on),
            }
        )
    opinions = getattr(probation, "opinions", None)
    if opinions is not None:
        items.append({"title": "Tổng hợp ý kiến nhận xét", "form": "12-KNĐ", "date": fmt.dmy(opinions.compiled_on)})
    cell_step = _recognition_step(probation, hierarchy.StepKind.CELL_RESOLUTION)
    if cell_step is not None:
        items.append(
            {
                "title": "Nghị quyết của chi bộ đề nghị công nhận đảng viên chính thức"
                + (f" số {resolution['number']}" if resolution["number"] else ""),
                "form": "13-KNĐ",
                "date": fmt.dmy(cell_step.document_date),
            }
        )
    return {
        **_base(candidate, version_key),
        "cell": fmt.nfc(probation.membership.cell.name),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "BC", day, step.document_number),
        "probation": _probation_block(candidate, probation),
        "recipient": fmt.body_name(following.org) if following else "",
        "body": fmt.body_name(step.org),
        "resolution": resolution,
        "items": items,
        "note": fmt.nfc(step.note),
        "date": fmt.dmy(day),
    }


def build_15_knd(candidate: Candidate, version_key: str) -> Data | None:
    """15-KNĐ: the grassroots committee's resolution proposing recognition, from its recorded vote."""
    probation = probation_of(candidate)
    step = _recognition_step(probation, hierarchy.StepKind.COMMITTEE_RESOLUTION) if probation else None
    if probation is None or step is None or step.vote is None:
        return None
    day = step.document_date or step.vote.meeting.held_on
    following = _recognition_next(probation, step)
    return {
        **_base(candidate, version_key),
        "cell": fmt.nfc(probation.membership.cell.name),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "NQ", day, step.document_number),
        "probation": _probation_block(candidate, probation),
        "vote": _vote_block(step.vote),
        "body": fmt.body_name(step.org),
        "resolution": _recognition_resolution_ref(candidate, probation),
        "target": fmt.body_name(following.org) if following else "",
        "date": fmt.dmy(day),
    }


def build_16_knd(candidate: Candidate, version_key: str) -> Data | None:
    """16-KNĐ: the decision recognising the member as official from the day probation ended (Charter Art. 5.3),
    whatever the decision's own date; its number is the one entered with the decision."""
    from admission.documents.models import DocumentNumber

    probation = probation_of(candidate)
    step = _recognition_step(probation, hierarchy.StepKind.DECISION) if probation else None
    if probation is None or step is None:
        return None
    day = step.document_date
    authorised = step.deciding_body == "authorised_grassroots_committee"
    body = fmt.body_name(step.org)
    proposals = []
    resolution = _recognition_resolution_ref(candidate, probation)
    if resolution["date"]:
        proposals.append(
            f"Xét đề nghị của {fmt.nfc(probation.membership.cell.name)}"
            + (f" tại Nghị quyết số {resolution['number']}" if resolution["number"] else "")
            + f", {resolution['date']}"
        )
    committee = _recognition_step(probation, hierarchy.StepKind.COMMITTEE_RESOLUTION)
    if committee is not None and committee.round == step.round:
        number = committee.document_number
        if not number:
            given = DocumentNumber.objects.filter(candidate=candidate, form_code="15-KNĐ").first()
            number = f"{given.number:02d}-NQ/{fmt.symbol(committee.org)}" if given else ""
        proposals.append(
            f"Xét đề nghị của {fmt.body_name(committee.org)}"
            + (f" tại Nghị quyết số {fmt.nfc(number)}" if number else "")
            + f", {fmt.spelled(committee.document_date)}"
        )
    escalated = step.order == 1  # decided by the superior committee after the cell's votes reached no conclusion
    return {
        **_base(candidate, version_key),
        "header": header_block(step.org, day),
        "numbering": _numbering(step.org, "QĐ", day, step.document_number),
        "probation": _probation_block(candidate, probation),
        "authorised": authorised,
        "escalated": escalated,
        "deciding_line": fmt.caps(body if authorised else f"Ban Thường vụ {body}"),
        "authority": "T/M ĐẢNG ỦY" if authorised else "T/M BAN THƯỜNG VỤ",
        "proposals": proposals,
        "cell_body": fmt.nfc(probation.membership.cell.name),
        "cell_committee": fmt.body_name(
            first_committee_above(probation.membership.cell, day or today()) or probation.membership.cell
        ),
        "date": fmt.dmy(day),
    }
