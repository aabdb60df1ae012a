"""What every form repeats: the fixed sentences of the annex, the person, the header, the signer, the vote, the
number and the case's common fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from admission.decisions.models.meetings import Meeting, Vote
from admission.documents import formatting as fmt
from admission.documents.builders.memo import _remembered, ancestors_on
from admission.dossier.models import Curriculum
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption, Membership, Person
from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import today
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import Candidate

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


def _label(choices: Any, value: str) -> str:
    return fmt.nfc(dict(choices).get(value, value))


def person_block(person: Person, cv: Curriculum | None = None) -> Data:
    """The person as the forms print them. The CV (2-KNĐ, when there is one) declares what the person record may
    lack: the place of birth, the hometown as on the ID card and the permanent residence, so that 1-, 6- and 9-KNĐ
    print the hometown 2-KNĐ prints beside them."""
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
        "birthplace": fmt.nfc(getattr(cv, "place_of_birth", "")),
        "hometown": fmt.nfc(person.hometown or getattr(cv, "hometown", "")),
        "residence": fmt.nfc(person.residence or getattr(cv, "permanent_residence", "")),
    }


def _member_block(member: Membership) -> Data:
    return {
        **person_block(member.person),
        "admitted_on": fmt.spelled(member.admitted_on),
        "official_on": fmt.spelled(member.official_on) if member.official_on else "",
        "cell": fmt.nfc(member.cell.name),
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


def _left_out(meeting: Meeting) -> list[Data]:
    """The official members a cell's vote is not counted against, each with why (294-QĐ/TW §9.3.2 [R]): those
    temporarily transferred to another cell, and those exempted from party activities who stayed away. Read from
    the exemptions in force on the meeting's date, which is what `cell_meeting_record` counted."""
    if meeting.body != VoteBody.CELL:
        return []
    rows = list(meeting.attendance.filter(official=True, guest=False, membership__isnull=False))
    exemptions = {
        e.membership_id: e
        for e in MemberExemption.objects.filter(membership_id__in=[r.membership_id for r in rows])
        if e.covers(meeting.held_on)
    }
    out: list[Data] = []
    for row in rows:
        exemption = exemptions.get(row.membership_id) if row.membership_id is not None else None
        if exemption is None:
            continue
        if exemption.kind == ExemptionKind.TEMPORARY_TRANSFER:
            why = "đang sinh hoạt đảng tạm thời ở đảng bộ, chi bộ khác"
        elif exemption.kind == ExemptionKind.EXEMPTED and not row.present:
            why = "được miễn công tác và sinh hoạt đảng, không dự họp"
        else:
            continue
        detail = fmt.nfc(exemption.reason).strip().rstrip(".")
        out.append({"name": fmt.nfc(row.name), "reason": f"{why} ({detail})" if detail else why})
    return out


def _vote_block(vote: Vote) -> Data:
    meeting: Meeting = vote.meeting
    members = meeting.attendance.filter(guest=False)  # the cell's guests are on its roster, never in its counts
    absent = list(members.filter(present=False).values_list("name", "official", "absence_reason"))
    present_official = members.filter(present=True, official=True).count()
    present_probationary = members.filter(present=True, official=False).count()
    left_out = _left_out(meeting)
    not_counted = max(meeting.official_members - vote.denominator, 0) if meeting.body == VoteBody.CELL else 0
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
        # Who the official members' count leaves out of the denominator, named when the roster says who.
        "not_counted": not_counted,
        "left_out": left_out if len(left_out) == not_counted else [],
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


def curriculum_of(candidate: Candidate) -> Any:
    """The case's CV (2-KNĐ), read once per rendering; None before it is recorded."""
    return _remembered(("cv", candidate.pk), lambda: Curriculum.objects.filter(candidate=candidate).first())


def _base(candidate: Candidate, version_key: str) -> Data:
    return {
        "case_code": candidate.code,
        "rule_set": candidate.rule_set.code,
        "person": person_block(candidate.person, curriculum_of(candidate)),
        "cell": fmt.nfc(candidate.cell.name),
        "text": fixed_text(version_key),
    }
