"""One function per form: the case's data, as plain strings and numbers, in the shape its template reads.

A builder returns None while the data its form needs does not exist yet (no vote, no decision step…), which is
also how the registry tells whether a form applies to a case. Builders only read; the number of a numbered form is
given later, at rendering (`services.number_for`), so that looking at the list of forms never uses up a number.
Everything returned is JSON-serialisable: its hash tells whether a generated file is still up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, TypeVar

from django.conf import settings

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.meetings import Meeting, MeetingPurpose, Vote
from admission.documents import formatting as fmt
from admission.dossier.checklist import dossier_checklist
from admission.party import hierarchy
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import today
from admission.probation.models import Probation, RecognitionStep
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.training import AwarenessCertificate

Data = dict[str, Any]

# Fixed sentences of the annex (pledge, legal bases, closing commitments). forms.md: the official wording is to be
# entered from the annex of the guidance in force; these defaults only say what each sentence is for. Override any
# of them per template version with settings.DOCUMENTS_FIXED_TEXT = {"<version key>": {"<key>": "…"}}.
FIXED_TEXT: dict[str, str] = {
    "pledge_1": (
        "Tôi xin hứa tuyệt đối trung thành với mục đích, lý tưởng của Đảng, phấn đấu hoàn thành tốt nhiệm vụ được "
        "giao, xứng đáng là đảng viên của Đảng."
    ),
    "lead_in_1": (
        "Qua học tập Điều lệ Đảng và được chi bộ, tổ chức đoàn thể bồi dưỡng, giáo dục, tôi đã nhận thức được:"
    ),
    "cv_pledge": (
        "Tôi xin cam đoan đã khai đầy đủ, rõ ràng, trung thực và chịu trách nhiệm trước Đảng về những nội dung đã khai."
    ),
    "intro_closing": "Tôi xin chịu trách nhiệm trước Đảng về sự giới thiệu của mình.",
    "yu_basis": "Căn cứ Điều 4, Điều lệ Đảng Cộng sản Việt Nam về việc Ban Chấp hành Đoàn cơ sở giới thiệu đoàn viên "
    "ưu tú vào Đảng;",
    "tu_basis": "Căn cứ Điều 4, Điều lệ Đảng Cộng sản Việt Nam về việc Ban Chấp hành Công đoàn cơ sở giới thiệu đoàn "
    "viên công đoàn vào Đảng;",
    "mass_org_closing": "Ban Chấp hành chịu trách nhiệm về việc giới thiệu và tiếp tục giáo dục, giúp đỡ đoàn viên "
    "trở thành đảng viên chính thức.",
    "decision_basis_charter": "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "decision_probation": "Thời gian dự bị mười hai tháng, kể từ ngày chi bộ tổ chức lễ kết nạp.",
    "decision_execution": "Chi bộ, cấp ủy cơ sở, Ban Tổ chức và đồng chí có tên tại Điều 1 thi hành Quyết định này.",
    # 10–16-KNĐ (probation and recognition).
    "self_review_lead_in": "Căn cứ tiêu chuẩn đảng viên và quá trình rèn luyện, phấn đấu trong thời gian dự bị, tôi tự "
    "kiểm điểm như sau:",
    "self_review_request": "Đối chiếu với tiêu chuẩn đảng viên, tôi tự nhận thấy đủ điều kiện trở thành đảng viên "
    "chính thức; đề nghị chi bộ xem xét, báo cáo cấp ủy cấp trên công nhận tôi là đảng viên chính thức.",
    "self_review_promise": "Tôi xin hứa tiếp tục phấn đấu, rèn luyện, hoàn thành tốt nhiệm vụ của người đảng viên.",
    "helper_closing": "Tôi xin chịu trách nhiệm trước Đảng về lời nhận xét của mình.",
    "recognition_basis": "Căn cứ Điều 5, Điều lệ Đảng Cộng sản Việt Nam,",
    "recognition_execution": "Chi bộ, cấp ủy cơ sở, Ban Tổ chức và đồng chí có tên tại Điều 1 thi hành Quyết định này.",
}


def fixed_text(version_key: str) -> dict[str, str]:
    overrides = getattr(settings, "DOCUMENTS_FIXED_TEXT", {}).get(version_key, {})
    return {key: fmt.nfc(value) for key, value in {**FIXED_TEXT, **overrides}.items()}


# ------------------------------------------------------------------------------------------------------------------
# One rendering's memo: the same org's ancestors, the same case's chain are read once while the forms of one
# dossier (or one listing) are built, not once per form. Outside `memo()` nothing is remembered.
# ------------------------------------------------------------------------------------------------------------------

_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("documents_memo", default=None)
T = TypeVar("T")


@contextmanager
def memo() -> Iterator[None]:
    if _MEMO.get() is not None:  # already inside one: share it
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def _remembered(key: Any, compute: Callable[[], T]) -> T:
    cache = _MEMO.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    result: T = cache[key]
    return result


def _parent_on(org: PartyOrg, day: date) -> PartyOrg | None:
    """`hierarchy.parent_on`, with each org's dated links read once per memo (the forms' dates all differ)."""
    links = _remembered(
        ("links", org.pk), lambda: list(org.parent_links.select_related("parent").order_by("-valid_from"))
    )
    return next((link.parent for link in links if link.covers(day)), None)


def ancestors_on(org: PartyOrg, day: date) -> list[PartyOrg]:
    """`hierarchy.ancestors_on`, remembered within a memo."""
    if _MEMO.get() is None:
        return hierarchy.ancestors_on(org, day)

    def compute() -> list[PartyOrg]:
        chain: list[PartyOrg] = []
        current = _parent_on(org, day)
        while current is not None:
            if current in chain or len(chain) > 20:
                return hierarchy.ancestors_on(org, day)  # a loop: let the hierarchy say so
            chain.append(current)
            current = _parent_on(current, day)
        return chain

    return list(_remembered(("ancestors", org.pk, day), compute))


# ------------------------------------------------------------------------------------------------------------------
# Shared pieces
# ------------------------------------------------------------------------------------------------------------------


def _label(choices: Any, value: str) -> str:
    return fmt.nfc(dict(choices).get(value, value))


def person_block(person: Person) -> Data:
    from admission.rules import reference

    return {
        "name": fmt.nfc(person.full_name),
        "name_caps": fmt.caps(person.full_name),
        "dob": fmt.dmy(person.date_of_birth),
        "dob_spelled": fmt.spelled(person.date_of_birth),
        "sex": "Nam" if person.sex == "male" else "Nữ",
        "ethnicity": _label(reference.ETHNICITY_CHOICES, person.ethnicity),
        "religion": _label(reference.RELIGIONS, person.religion),
        "education": _label(reference.EDUCATION_LEVELS, person.education),
        "professional": _label(reference.PROFESSIONAL_LEVELS, person.professional_level),
        "occupation": _label(reference.OCCUPATION_CLASSES, person.occupation),
        "workplace": fmt.nfc(person.workplace),
        "hometown": fmt.nfc(person.hometown),
        "residence": fmt.nfc(person.residence),
    }


def header_block(org: PartyOrg, day: date | None) -> Data:
    """Left: superior body / issuing body (bold) / "*"; right: "ĐẢNG CỘNG SẢN VIỆT NAM" / place and date."""
    ancestors = ancestors_on(org, day or today())
    superior = ancestors[0] if ancestors else None
    return {
        "superior": fmt.caps(superior.name) if superior else "",
        "issuer": fmt.caps(fmt.body_name(org)),
        "place_date": fmt.place_and_date(fmt.place_of(org, ancestors), day),
        "place": fmt.place_of(org, ancestors),
    }


def secretary_name(org: PartyOrg, day: date) -> str:
    """The cell's secretary on the day (the signer of T/M CHI BỘ), when the roles say who it is."""
    role = (
        Role.objects.filter(org=org, kind=RoleKind.CELL_SECRETARY)
        .active_on(day)
        .select_related("user__person")
        .order_by("-starts_on")
        .first()
    )
    if role is None:
        return ""
    person = getattr(role.user, "person", None)
    return fmt.nfc(person.full_name if person else role.user.get_full_name())


def first_committee_above(org: PartyOrg, day: date) -> PartyOrg | None:
    for ancestor in ancestors_on(org, day):
        if ancestor.kind != OrgKind.PARTIAL_COMMITTEE:
            return ancestor
    return None


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


def _vote_block(vote: Vote) -> Data:
    meeting: Meeting = vote.meeting
    absent = list(meeting.attendance.filter(present=False).values_list("name", "official", "absence_reason"))
    present_official = meeting.attendance.filter(present=True, official=True).count()
    present_probationary = meeting.attendance.filter(present=True, official=False).count()
    return {
        "held_on": fmt.dmy(meeting.held_on),
        "held_on_spelled": fmt.spelled(meeting.held_on),
        "place": fmt.nfc(meeting.place),
        "members_total": meeting.members_total,
        "official": meeting.official_members,
        "probationary": meeting.probationary_members,
        "present": meeting.present,
        "present_official": present_official,
        "present_probationary": present_probationary,
        "absent": meeting.members_total - meeting.present,
        "absent_official": meeting.official_members - present_official,
        "absent_probationary": meeting.probationary_members - present_probationary,
        "absence_reasons": [
            {"name": fmt.nfc(name), "reason": fmt.nfc(reason)} for name, _official, reason in absent if reason
        ],
        "for": vote.votes_for,
        "against": vote.votes_against,
        "denominator": vote.denominator,
        "for_percent": fmt.percent(vote.votes_for, vote.denominator),
        "against_percent": fmt.percent(vote.votes_against, vote.denominator),
        "passed": vote.passed,
    }


def _numbering(org: PartyOrg, doc_type: str, day: date | None, entered: str = "") -> Data:
    """What the renderer needs to print "Số …": the number entered with the step, or a request for the next one."""
    return {
        "org_id": org.pk,
        "doc_type": doc_type,
        "period": str((day or today()).year),
        "entered": fmt.nfc(entered),
        "symbol": fmt.symbol(org),
    }


def _base(candidate: Candidate, version_key: str) -> Data:
    return {
        "case_code": candidate.code,
        "rule_set": candidate.rule_set.code,
        "person": person_block(candidate.person),
        "cell": fmt.nfc(candidate.cell.name),
        "text": fixed_text(version_key),
    }


# ------------------------------------------------------------------------------------------------------------------
# The forms
# ------------------------------------------------------------------------------------------------------------------


def certificate_of(candidate: Candidate) -> AwarenessCertificate | None:
    return candidate.current_certificate() or (
        AwarenessCertificate.objects.filter(person=candidate.person).order_by("-issued_on").first()
    )


def build_cn_ntvd(candidate: Candidate, version_key: str) -> Data | None:
    """CN-NTVĐ: the awareness-course certificate, from the recorded certificate and, when the course ran here, its
    course and result. Issued by a political centre (GIÁM ĐỐC) or by a committee (T/M BAN THƯỜNG VỤ)."""
    cert = certificate_of(candidate)
    if cert is None:
        return None
    enrollment = cert.enrollment
    course = enrollment.course if enrollment else None
    issuer = fmt.nfc(cert.issuer)
    by_centre = issuer.lower().startswith(("trung tâm", "ttct"))
    superior = ""
    if course is not None:
        superior = fmt.caps(course.organiser.name if by_centre else _superior_name(course.organiser, cert.issued_on))
    cell_chain = [candidate.cell, *ancestors_on(candidate.cell, cert.issued_on)]
    place = fmt.place_of(candidate.cell, cell_chain[1:])
    return {
        **_base(candidate, version_key),
        "superior": superior,
        "issuer": fmt.caps(issuer),
        "issuer_name": issuer,
        "number": fmt.nfc(cert.number),
        "by_centre": by_centre,
        "cell_chain": ", ".join(fmt.nfc(o.name) for o in cell_chain[:-1] or cell_chain),
        "course_from": fmt.spelled(course.starts_on) if course else "",
        "course_to": fmt.spelled(course.ends_on) if course else "",
        "result": fmt.nfc(enrollment.result_note) if enrollment else "",
        "place_date": fmt.place_and_date(place, cert.issued_on),
        "date": fmt.dmy(cert.issued_on),
    }


def _superior_name(org: PartyOrg, day: date) -> str:
    ancestors = ancestors_on(org, day)
    return ancestors[0].name if ancestors else ""


def _addressees(candidate: Candidate, day: date) -> Data:
    committee = first_committee_above(candidate.cell, day)
    return {
        "cell_committee": f"Chi ủy {fmt.nfc(candidate.cell.name)}",
        "committee": fmt.body_name(committee) if committee else "",
    }


def build_1_knd(candidate: Candidate, version_key: str) -> Data | None:
    """1-KNĐ, a prefilled draft the applicant copies by hand and signs; the signed scan is the record."""
    application = getattr(candidate, "application", None)
    curriculum = getattr(candidate, "curriculum", None)
    day = application.written_on if application else None
    place = header_block(candidate.cell, day)["place"]
    return {
        **_base(candidate, version_key),
        **_addressees(candidate, day or today()),
        "yu_joined": fmt.spelled(curriculum.youth_union_joined_on)
        if curriculum and curriculum.youth_union_joined_on
        else "",
        "yu_place": fmt.nfc(curriculum.youth_union_joined_at) if curriculum else "",
        "sympathiser_on": fmt.spelled(candidate.sympathiser_meeting_on) if candidate.sympathiser_meeting_on else "",
        "place_date": fmt.place_and_date(place, day),
        "date": fmt.dmy(day),
    }


def build_2_knd(candidate: Candidate, version_key: str) -> Data | None:
    """2-KNĐ, the CV as declared, a draft to copy into the printed booklet (the booklet is handwritten)."""
    cv = getattr(candidate, "curriculum", None)
    if cv is None:
        return None
    place = header_block(candidate.cell, cv.declared_on)["place"]
    return {
        **_base(candidate, version_key),
        "name_in_use": fmt.caps(cv.name_in_use),
        "birth_name": fmt.caps(cv.birth_name or cv.name_in_use),
        "alias": fmt.nfc(cv.alias),
        "hometown": fmt.nfc(cv.hometown),
        "permanent": fmt.nfc(cv.permanent_residence),
        "temporary": fmt.nfc(cv.temporary_residence),
        "yu": (
            f"{fmt.spelled(cv.youth_union_joined_on)}, tại {fmt.nfc(cv.youth_union_joined_at)}"
            if cv.youth_union_joined_on
            else ""
        ),
        "work_history": [
            {"from": fmt.nfc(r.get("from", "")), "to": fmt.nfc(r.get("to", "")), "what": fmt.nfc(r.get("what", ""))}
            for r in cv.work_history
        ],
        "relatives": [
            {
                "relation": fmt.nfc(r.get_relation_display()),
                "name": fmt.nfc(r.full_name),
                "birth_year": r.birth_year,
                "hometown": fmt.nfc(r.hometown),
                "residence": fmt.nfc(r.residence),
                "occupation": fmt.nfc(r.occupation),
                "political_history": fmt.nfc(r.political_history),
                "party_member": r.is_party_member,
            }
            for r in cv.relatives.all()
        ],
        "self_assessment": fmt.nfc(cv.self_assessment),
        "place_date": fmt.place_and_date(place, cv.pledge_on or cv.declared_on),
        "cell_comment": fmt.nfc(cv.cell_comment),
        "cell_commented_on": fmt.dmy(cv.cell_commented_on),
        "certification": fmt.nfc(cv.committee_certification),
        "certified_on": fmt.dmy(cv.committee_certified_on),
        "date": fmt.dmy(cv.declared_on),
    }


def _member_block(member: Membership) -> Data:
    return {
        **person_block(member.person),
        "admitted_on": fmt.spelled(member.admitted_on),
        "official_on": fmt.spelled(member.official_on) if member.official_on else "",
        "cell": fmt.nfc(member.cell.name),
    }


def build_3_knd(candidate: Candidate, version_key: str) -> Data | None:
    """3-KNĐ, one sheet per current introducer (a replaced introduction is history, not part of the dossier)."""
    introductions = list(
        candidate.introductions.filter(replaced_by__isnull=True).select_related(
            "introducer__person", "introducer__cell"
        )
    )
    if not introductions:
        return None
    sheets = []
    for intro in introductions:
        place = header_block(intro.introducer.cell, intro.written_on)["place"]
        sheets.append(
            {
                "introducer": _member_block(intro.introducer),
                "together_from": fmt.spelled(intro.worked_together_from),
                "place_date": fmt.place_and_date(place, intro.written_on),
                "date": fmt.dmy(intro.written_on),
            }
        )
    return {**_base(candidate, version_key), "sheets": sheets, "date": sheets[-1]["date"]}


def build_4_knd(candidate: Candidate, version_key: str) -> Data | None:
    """4-KNĐ (Youth Union) or 4A-KNĐ (trade union): the executive committee's resolution, as recorded."""
    resolution = getattr(candidate, "mass_org_resolution", None)
    if resolution is None:
        return None
    place = header_block(candidate.cell, resolution.adopted_on)["place"]
    youth = resolution.kind == "youth_union"
    return {
        **_base(candidate, version_key),
        **_addressees(candidate, resolution.adopted_on),
        "youth": youth,
        "body": fmt.nfc(resolution.body_name),
        "body_caps": fmt.caps(resolution.body_name),
        "number": fmt.nfc(resolution.number),
        "adopted_on": fmt.spelled(resolution.adopted_on),
        "place_date": fmt.place_and_date(place, resolution.adopted_on),
        "date": fmt.dmy(resolution.adopted_on),
    }


def build_5_knd(candidate: Candidate, version_key: str) -> Data | None:
    """5-KNĐ: the cell committee's compilation of the mass organisations' and the residence cell's opinions."""
    summary = getattr(candidate, "opinion_summary", None)
    if summary is None:
        return None
    return {
        **_base(candidate, version_key),
        "header": header_block(candidate.cell, summary.compiled_on),
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
        "signer": secretary_name(candidate.cell, summary.compiled_on),
        "date": fmt.dmy(summary.compiled_on),
    }


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


# ------------------------------------------------------------------------------------------------------------------
# Probation and recognition: 10–16-KNĐ (admission/models/probation.py)
# ------------------------------------------------------------------------------------------------------------------


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
