"""Demo probationers in the Nà Sa cell at several points of their year, relative to today.

Runs after `demo.province.seed_demo` (same users and cells); `demo.sourcing_cases.seed_demo_cases` calls it. The
admission half of each case (nomination to decision) is written directly as its end state, an admitted case with
its decision; from the ceremony on, everything goes through the services, so the probation, its helpers, dossier,
votes, chain and dates are exactly what a secretary's actions would produce. Idempotent: a person who already has
a probation is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.meetings import MeetingPurpose
from admission.decisions.services.meetings import cell_meeting_record, committee_meeting_record, vote_record
from admission.decisions.services.snapshots import snapshot_take
from admission.party import hierarchy
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import today
from admission.party.services.people import person_get_or_create
from admission.probation.models import Probation
from admission.probation.services import (
    ceremony_hold,
    course_certificate_record,
    helper_comment_record,
    next_step,
    opinions_record,
    probation_open_recognition,
    recognition_step_complete,
    recognition_vote_record,
    self_review_record,
)
from admission.rules import compute as rules
from admission.rules.models.rulesets import RuleSet, VoteBody
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.services.candidates import _next_code
from demo import province as demo


@dataclass(frozen=True)
class DemoProbationer:
    full_name: str
    dob: date
    sex: str
    suffix: int  # last six digits of the fake citizen ID (reserved 9983xx range)
    ethnicity: str
    ends_in_days: int  # probation ends this many days from today (negative: already ended)
    stage: str  # running | dossier | open | overdue | recognised


PROBATIONERS = (
    DemoProbationer("Lý Thị Hồng", date(2002, 4, 11), "female", 998301, "09", 300, "running"),
    DemoProbationer("Hoàng Văn Đức", date(1997, 10, 3), "male", 998302, "02", 88, "running"),
    DemoProbationer("Nông Thị Yến", date(2000, 6, 19), "female", 998303, "02", 12, "dossier"),
    DemoProbationer("Vi Văn Hải", date(1995, 1, 25), "male", 998304, "02", -7, "open"),  # ended last week
    DemoProbationer("Triệu Văn Long", date(1993, 8, 8), "male", 998305, "09", -70, "overdue"),
    DemoProbationer("La Thị Nga", date(1999, 12, 30), "female", 998306, "27", -100, "recognised"),
)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _actor(org: PartyOrg, on: date) -> Any:
    role = Role.objects.filter(org=org).active_on(on).exclude(kind=RoleKind.ADMINISTRATOR).first()
    if role is None:
        raise LookupError(f"No demo login acts for {org}.")
    return role.user


def _admitted_case(spec: DemoProbationer, cell: PartyOrg, decided_on: date, decider: PartyOrg) -> Candidate:
    sex_digit = (spec.dob.year // 100 - 19) * 2 + (spec.sex == "female")
    person, _created = person_get_or_create(
        citizen_id=f"{demo.BIRTH_PROVINCE}{sex_digit:d}{spec.dob.year % 100:02d}{spec.suffix:06d}",
        full_name=spec.full_name,
        date_of_birth=spec.dob,
        sex=spec.sex,
        ethnicity=spec.ethnicity,
        employer_sector="village",
        occupation="agriculture",
        residence="Thôn Nà Sa, xã Hoành Mô, tỉnh Quảng Ninh",
    )
    opened = decided_on - timedelta(days=240)
    case = Candidate.objects.create(
        code=_next_code(opened.year),
        person=person,
        cell=cell,
        rule_set=RuleSet.in_force_on(opened),
        state=CandidateState.ADMITTED,
        opened_on=opened,
        nominated_by="youth_union",
        nominating_body="Đoàn xã Hoành Mô",
        nominated_on=opened,
    )
    ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind=hierarchy.StepKind.DECISION,
        org=decider,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number=f"{spec.suffix % 1000}-QĐ/ĐU",
        document_date=decided_on,
        received_on=decided_on,
        done_on=decided_on,
    )
    snapshot_take(candidate=case, decided_on=decided_on)  # what the reports count, as it stood that day
    return case


def _dossier(probation: Probation, by: Any, on: date) -> None:
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
    cell = probation.candidate.cell
    meeting_on = min(probation.ends_on + timedelta(days=50), now)
    present = set(Membership.objects.filter(cell=cell).active_on(meeting_on).values_list("pk", flat=True))
    meeting = cell_meeting_record(
        cell=cell,
        held_on=meeting_on,
        purpose=MeetingPurpose.RECOGNITION,
        present=present,
        absence_reasons={},
        by=secretary,
    )
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


@transaction.atomic
def seed_probationers(*, cell_code: str = demo.NA_SA) -> int:
    """Create the demo probationers that do not exist yet; returns how many were created."""
    cell = PartyOrg.objects.get(code=cell_code)
    secretary = _user("bithu.nasa")
    now = today()
    created = 0
    for spec in PROBATIONERS:
        if Probation.objects.filter(candidate__person__full_name=spec.full_name, candidate__cell=cell).exists():
            continue
        ends_on = now + timedelta(days=spec.ends_in_days)
        ceremony_on = rules.add_months(ends_on, -12)
        decided_on = ceremony_on - timedelta(days=12)
        decider = hierarchy.approval_chain(cell, decided_on)[-1].org
        case = _admitted_case(spec, cell, decided_on, decider)
        mentors = list(Membership.objects.filter(cell=cell).official_on(ceremony_on)[:1])
        ceremony = ceremony_hold(
            candidate=case,
            held_on=ceremony_on,
            decision_read_by="Bí thư chi bộ",
            mentors=mentors,
            place="Nhà văn hóa thôn Nà Sa",
            by=secretary,
        )
        probation = Probation.objects.get(pk=ceremony.probation.pk)
        if spec.stage in ("dossier", "open", "recognised"):
            _dossier(probation, secretary, min(ends_on - timedelta(days=10), now))
        if spec.stage in ("open", "overdue", "recognised"):
            probation_open_recognition(probation=probation, on=ends_on)
        if spec.stage == "recognised":
            _recognise_late(probation, secretary, now)
        created += 1
    return created
