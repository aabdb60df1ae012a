"""Demo probationers in the Nà Sa cell at several points of their year, relative to today.

Runs after `demo.province.seed_demo` (same users and cells); the `seed_demo_cases` command calls it. Each member is
first walked through the whole admission by the real domain services (nomination, sympathiser list, helpers,
course certificate, the complete dossier 1–5-KNĐ of `demo.dossier`, the cell's meeting, vote and resolution 6-KNĐ,
the chain to the decision 9-KNĐ, its receipt and the ceremony), dated so that the probation ends where the member's
stage needs it. (Not through the flows: a flow's step checks the dossier's validity on the day it runs, and these
admissions happened a year ago.) From the ceremony on, everything goes through the probation services, so the
probation, its helpers, the recognition dossier (10–12-KNĐ), votes, chain (13–16-KNĐ) and dates are exactly what a
secretary's actions would produce. Every demo member's complete dossier thus holds the papers a real one would.
Besides the year's milestones, one probationer waits at each of the other points of the probation flow: the
recognition chain's committee, the receiving cell after a transfer, the committee deciding a proposed removal, and
the committee deciding a case the cell voted on three times without reaching the threshold either way. Their flows
are started afterwards (`demo.admission_cases.probation_flows_start`), and the flow's router puts each one's task
where its records say the work stands. Idempotent: a person who already has a probation is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from admission.decisions.models.meetings import Meeting, MeetingPurpose
from admission.decisions.services.decisions import case_propose, chain_step_complete, decision_received
from admission.decisions.services.decisions import next_step as next_admission_step
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.party import hierarchy
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import MemberExemption, Membership
from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import today
from admission.party.services.people import person_get_or_create
from admission.probation.models import Probation, RemovalReason
from admission.probation.services import (
    VoteOutcome,
    ceremony_hold,
    course_certificate_record,
    helper_comment_record,
    next_step,
    opinions_record,
    probation_deadlines,
    probation_open_recognition,
    recognition_step_complete,
    recognition_vote_record,
    removal_propose,
    self_review_record,
    transfer_out,
)
from admission.rules import compute as rules
from admission.rules.models.rulesets import VoteBody
from admission.rules.reference import citizen_id_prefix
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services.candidates import (
    candidate_list_as_sympathiser,
    candidate_nominate,
    candidate_open_dossier,
    mentor_assign,
)
from admission.sourcing.services.training import certificate_record_external
from demo import province as demo
from demo.admission_cases import _weekday
from demo.dossier import fill_dossier

# Days from the first dossier record to the cell's resolution: the demo cells were founded on 01/07/2025 (the
# reform), and the earliest demo probationer's resolution falls two months later.
LEAD_DAYS = 45
MEETING_PLACE = "Nhà văn hóa thôn Nà Sa"


@dataclass(frozen=True)
class DemoProbationer:
    full_name: str
    dob: date
    sex: str
    suffix: int  # last six digits of the fake citizen ID (reserved 9983xx range)
    ethnicity: str
    ends_in_days: int  # probation ends this many days from today (negative: already ended)
    # running | dossier | open | overdue | recognised | chain | transferred | removal | escalated
    stage: str


PROBATIONERS = (
    DemoProbationer("Lý Thị Hồng", date(2002, 4, 11), "female", 998301, "09", 300, "running"),
    DemoProbationer("Hoàng Văn Đức", date(1997, 10, 3), "male", 998302, "02", 88, "running"),
    DemoProbationer("Nông Thị Yến", date(2000, 6, 19), "female", 998303, "02", 12, "dossier"),
    DemoProbationer("Vi Văn Hải", date(1995, 1, 25), "male", 998304, "02", -7, "open"),  # ended last week
    DemoProbationer("Triệu Văn Long", date(1993, 8, 8), "male", 998305, "09", -70, "overdue"),
    DemoProbationer("La Thị Nga", date(1999, 12, 30), "female", 998306, "27", -60, "recognised"),
    # The cell recognised her two weeks ago: the commune's decision (16-KNĐ) is waiting.
    DemoProbationer("Lục Thị Hạnh", date(2001, 9, 14), "female", 998307, "02", -24, "chain"),
    # Married and moved to khu phố Lý Thường Kiệt (xã Quảng Hà) twelve days ago: that cell has not received her yet.
    DemoProbationer("Bàn Thị Nhung", date(1998, 5, 2), "female", 998308, "09", 130, "transferred"),
    # Away for work without telling the cell, three months without attending: the cell proposes the removal.
    DemoProbationer("Chíu Văn Phong", date(1996, 12, 20), "male", 998309, "15", 200, "removal"),
    # Three recognition votes since his probation ended, none reaching two thirds either way: reported to the commune.
    DemoProbationer("Lương Văn Kiên", date(1994, 7, 7), "male", 998310, "02", -66, "escalated"),
    # Her probation ends today, her dossier ready: the next timer sweep opens the recognition.
    DemoProbationer("Vi Thị Thu Trang", date(2001, 11, 26), "female", 998311, "02", 0, "dossier"),
)
# Where the transferred probationer went (a cell of the demo with a secretary's login, so her receipt can be done).
TRANSFER_TO = demo.LY_THUONG_KIET


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _actor(org: PartyOrg, on: date) -> Any:
    role = Role.objects.filter(org=org).active_on(on).exclude(kind=RoleKind.ADMINISTRATOR).first()
    if role is None:
        raise LookupError(f"No demo login acts for {org}.")
    return role.user


def _admitted(spec: DemoProbationer, cell: PartyOrg, secretary: Any, ceremony_on: date) -> Candidate:
    """Nomination to ceremony through the domain services: the cell's resolution three weeks before the ceremony,
    the dossier in the LEAD_DAYS before it, the decision ten days after the resolution."""
    resolution = _weekday(ceremony_on - timedelta(days=22))
    start = resolution - timedelta(days=LEAD_DAYS)
    nominated_on = max(start - timedelta(days=25), cell.valid_from or start)
    person, _created = person_get_or_create(
        citizen_id=citizen_id_prefix(province_code=demo.BIRTH_PROVINCE, date_of_birth=spec.dob, sex=spec.sex)
        + f"{spec.suffix:06d}",
        full_name=spec.full_name,
        date_of_birth=spec.dob,
        sex=spec.sex,
        ethnicity=spec.ethnicity,
        employer_sector="village",
        occupation="agriculture",
        youth_union_member=True,
        residence="Thôn Nà Sa, xã Hoành Mô, tỉnh Quảng Ninh",
    )
    case = candidate_nominate(
        person=person,
        cell=cell,
        nominated_by="youth_union",
        nominating_body="Ban Chấp hành Đoàn xã Hoành Mô",
        nominated_on=nominated_on,
        by=secretary,
    )
    listed_on = nominated_on + timedelta(days=5)
    case = candidate_list_as_sympathiser(candidate=case, meeting_on=listed_on, by=secretary)
    for member in Membership.objects.filter(cell=cell).official_on(listed_on)[:1]:
        mentor_assign(candidate=case, member=member, assigned_on=listed_on, by=secretary)
    certificate_record_external(
        candidate=case,
        number=f"{person.pk}/GCN-TTCT",
        issued_on=listed_on + timedelta(days=10),
        issuer="Trung tâm Chính trị",
        by=secretary,
    )
    case = candidate_open_dossier(candidate=case, by=secretary)
    case = fill_dossier(case, by=secretary, start=start)
    present = {m.pk for m in Membership.objects.filter(cell=cell).active_on(resolution)}
    away = {e.membership_id for e in MemberExemption.objects.filter(membership__cell=cell) if e.covers(resolution)}
    meeting = cell_meeting_record(
        cell=cell,
        held_on=resolution,
        purpose=MeetingPurpose.ADMISSION,
        present=present - away,
        absence_reasons={},
        place="Nhà văn hóa thôn Nà Sa",
        by=secretary,
    )
    official = meeting.attendance.filter(present=True, official=True).count()
    vote = vote_record(
        meeting=meeting, candidate=case, votes_for=min(official, meeting.denominator), by=secretary, votes_against=0
    )
    case = case_propose(candidate=case, vote=vote, by=secretary)
    decided_on = _weekday(resolution + timedelta(days=10))
    while (step := next_admission_step(case)) is not None:
        actor = _actor(step.org, decided_on)
        chain_step_complete(
            step=step,
            by=actor,
            on=decided_on,
            document_number=f"{spec.suffix % 1000}-QĐ/ĐU" if step.kind == hierarchy.StepKind.DECISION else "",
        )
    case = Candidate.objects.get(pk=case.pk)
    decision_received(candidate=case, on=decided_on + timedelta(days=2), by=secretary)
    ceremony_hold(
        candidate=case,
        held_on=ceremony_on,
        decision_read_by="Bí thư chi bộ",
        mentors=list(Membership.objects.filter(cell=cell).official_on(ceremony_on)[:1]),
        place="Nhà văn hóa thôn Nà Sa",
        by=secretary,
    )
    return Candidate.objects.get(pk=case.pk)


def recognition_dossier_fill(probation: Probation, by: Any, on: date) -> None:
    """The recognition dossier (the new-member course certificate, 10-, 11- and 12-KNĐ), written on `on`; the upgrade
    drill (tests/admission/upgrade_advance.py) completes a waiting probationer's dossier with it too."""
    course_certificate_record(
        probation=probation,
        number=f"{probation.pk}/CN-ĐVM",
        issued_on=probation.starts_on + timedelta(days=90),
        issuer="Trung tâm Chính trị xã Hoành Mô",
        by=by,
    )
    self_review_record(
        probation=probation,
        written_on=on,
        strengths="Chấp hành tốt chủ trương của Đảng, hoàn thành tốt nhiệm vụ được giao.",
        weaknesses="Kinh nghiệm công tác quần chúng còn ít.",
        remedies="Tích cực học tập, tham gia sinh hoạt đầy đủ.",
        by=by,
    )
    helper = probation.helpers().filter(ended_on__isnull=True).first()
    if helper is not None:
        helper_comment_record(
            probation=probation,
            mentor=helper,
            written_on=on,
            assessment="Có lập trường tư tưởng vững vàng, đạo đức lối sống trong sáng.",
            recommends_recognition=True,
            by=by,
        )
    opinions_record(
        probation=probation,
        compiled_on=on,
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu ở nơi cư trú, đề nghị công nhận đảng viên chính thức.",
        organisations=[{"name": "Chi đoàn thôn Nà Sa", "met_on": on.isoformat(), "strengths": "Nhiệt tình"}],
        by=by,
    )


def _recognise_late(probation: Probation, secretary: Any, now: date) -> None:
    """A recognition decided late: the cell met after its deadline, the decision came later still; the official
    date stays the end of probation."""
    meeting_on = min(probation.ends_on + timedelta(days=50), now)
    meeting = _recognition_meeting(probation, secretary, meeting_on)
    officials = meeting.official_members - meeting.temporarily_transferred
    recognition_vote_record(
        probation=probation,
        meeting=meeting,
        votes_for=officials,
        votes_against=0,
        late_reason="Chi bộ sinh hoạt chậm do mùa vụ",
        by=secretary,
    )
    day = min(meeting_on + timedelta(days=30), now)
    while (step := next_step(probation)) is not None:
        actor = _actor(step.org, day)
        vote = None
        if step.vote_body in (VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE):
            committee = committee_meeting_record(
                org=step.org,
                body=step.vote_body,
                held_on=day,
                purpose=MeetingPurpose.RECOGNITION,
                members_total=9,
                present=9,
                by=actor,
            )
            vote = vote_record(meeting=committee, candidate=probation.candidate, votes_for=9, votes_against=0, by=actor)
        recognition_step_complete(
            step=step,
            by=actor,
            on=day,
            vote=vote,
            document_number=f"{probation.pk}-QĐ/ĐU" if step.kind == hierarchy.StepKind.DECISION else "",
            late_reason="Chờ bổ sung hồ sơ",
        )


def _recognition_meeting(probation: Probation, secretary: Any, held_on: date, place: str = "") -> Meeting:
    """The cell's recognition meeting (13-KNĐ): every member of the cell on the roster, present."""
    cell = probation.candidate.cell
    present = set(Membership.objects.filter(cell=cell).active_on(held_on).values_list("pk", flat=True))
    return cell_meeting_record(
        cell=cell,
        held_on=held_on,
        purpose=MeetingPurpose.RECOGNITION,
        present=present,
        absence_reasons={},
        place=place,
        by=secretary,
    )


def _recognised_by_cell(probation: Probation, secretary: Any) -> None:
    """The cell recognises the member ten days after probation ended; the chain then waits for the committee."""
    held_on = _weekday(probation.ends_on + timedelta(days=10))
    meeting = _recognition_meeting(probation, secretary, held_on, MEETING_PLACE)
    result = recognition_vote_record(
        probation=probation,
        meeting=meeting,
        votes_for=meeting.official_members - meeting.temporarily_transferred,
        votes_against=0,
        by=secretary,
    )
    if result.outcome != VoteOutcome.RECOGNISE or next_step(result.probation) is None:
        raise LookupError(f"{probation.candidate.person.full_name}: the recognition chain is not waiting")


def _voted_three_times(probation: Probation, secretary: Any, now: date) -> None:
    """Three monthly recognition meetings after probation ended, each divided (half for, a third against, the rest
    blank): the third reports the case to the competent committee. The later meetings are past the cell's deadline,
    with the reason."""
    cell_due = probation_deadlines(probation.candidate).cell_due
    for month in range(3):
        held_on = min(_weekday(probation.ends_on + timedelta(days=5 + 28 * month)), now)
        meeting = _recognition_meeting(probation, secretary, held_on, MEETING_PLACE)
        officials = meeting.official_members - meeting.temporarily_transferred
        result = recognition_vote_record(
            probation=probation,
            meeting=meeting,
            votes_for=officials // 2 - month % 2,
            votes_against=officials // 3,
            late_reason="Chi bộ chưa thống nhất, chờ xác minh thêm ý kiến của chi hội nơi cư trú"
            if held_on > cell_due
            else "",
            by=secretary,
        )
        if result.outcome != VoteOutcome.INCONCLUSIVE:
            raise LookupError(f"{probation.candidate.person.full_name}: vote {month + 1} reached the threshold")
    if not Probation.objects.get(pk=probation.pk).escalated_on:
        raise LookupError(f"{probation.candidate.person.full_name}: three votes did not report the case")


def _transferred(probation: Probation, secretary: Any, now: date) -> None:
    """The member married and moved to another commune's cell; the receiving cell has not recorded her yet."""
    transfer_out(
        probation=probation,
        moved_on=_weekday(now - timedelta(days=12)),
        former_cell_comment=(
            "Trong thời gian dự bị ở chi bộ thôn Nà Sa, đồng chí chấp hành tốt chủ trương của Đảng, tham gia sinh "
            "hoạt đầy đủ, hoàn thành tốt nhiệm vụ được giao; chuyển sinh hoạt do kết hôn, về cư trú tại khu phố "
            "Lý Thường Kiệt, xã Quảng Hà."
        ),
        to_cell=PartyOrg.objects.get(code=TRANSFER_TO),
        by=secretary,
    )


def _removal_proposed(probation: Probation, secretary: Any, now: date) -> None:
    removal_propose(
        probation=probation,
        reason_code=RemovalReason.ABANDONED_ACTIVITY,
        reason=(
            "Đi làm ăn xa không báo cáo chi bộ, bỏ sinh hoạt chi bộ ba tháng liền không có lý do chính đáng; "
            "chi bộ đã gặp gia đình và nhắn tin nhưng đồng chí không liên hệ lại."
        ),
        proposed_on=_weekday(now - timedelta(days=9)),
        by=secretary,
    )


@transaction.atomic
def seed_probationers(*, cell_code: str = demo.NA_SA) -> int:
    """Create the demo probationers that do not exist yet; returns how many were created."""
    cell = PartyOrg.objects.get(code=cell_code)
    secretary = _user("bithu.nasa")
    now = today()
    created = 0
    for spec in PROBATIONERS:
        ours = Q(candidate__cell=cell) | Q(transfers__from_cell=cell)  # still here, or moved from here
        if Probation.objects.filter(ours, candidate__person__full_name=spec.full_name).exists():
            continue
        ends_on = now + timedelta(days=spec.ends_in_days)
        ceremony_on = rules.add_months(ends_on, -12)
        case = _admitted(spec, cell, secretary, ceremony_on)
        probation = Probation.objects.get(candidate=case)
        if spec.stage in ("dossier", "open", "recognised", "chain", "escalated"):
            recognition_dossier_fill(probation, secretary, min(ends_on - timedelta(days=10), now))
        if spec.stage in ("open", "overdue", "recognised", "chain", "escalated"):
            probation_open_recognition(probation=probation, on=ends_on)
        if spec.stage == "recognised":
            _recognise_late(probation, secretary, now)
        elif spec.stage == "chain":
            _recognised_by_cell(probation, secretary)
        elif spec.stage == "escalated":
            _voted_three_times(probation, secretary, now)
        elif spec.stage == "transferred":
            _transferred(probation, secretary, now)
        elif spec.stage == "removal":
            _removal_proposed(probation, secretary, now)
        created += 1
    return created
