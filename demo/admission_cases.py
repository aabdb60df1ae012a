"""Demo cases at every stage of the admission flow and in every chain variant of the demo province.

Each case is nominated, trained (certificate from outside), given a complete dossier, voted on by its cell and
carried along its approval chain through the same services and flow steps a user would use, with dates in the past
relative to today: so the queues, due dates and overdue flags are the ones a real committee would see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from admission.decisions.services.decisions import next_step
from admission.dossier import services as dossier_services
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import MemberExemption, Membership
from admission.party.models.roles import Role, RoleKind
from admission.party.permissions import today
from admission.party.services.people import person_get_or_create
from admission.rules.models.rulesets import VoteBody
from admission.rules.reference import citizen_id_prefix
from admission.sourcing.models.candidates import Candidate
from demo import province as demo
from demo.dossier import fill_dossier
from workflows import services
from workflows.steps import STEPS

# Stages, in order: what was last done on the case. DECIDED: the decision issued and, where the case's rule set counts
# the ceremony deadline from its receipt, received by the cell; ISSUED: issued, the cell has not recorded its receipt.
PARTIAL, COMPLETE, VOTED, ISSUED, DECIDED, CEREMONY, REFUSED, SENT_BACK = (
    "partial",
    "complete",
    "voted",
    "issued",
    "decided",
    "ceremony",
    "refused",
    "sent_back",
)
# The last day a case could be nominated under 294-QĐ/TW, whose ceremony deadline counts from the cell's receipt of the
# decision (the `receive_decision` step); 208-QĐ/TW, in force from 26/07/2026, counts it from issuance.
LAST_DAY_UNDER_294 = date(2026, 7, 25)


@dataclass(frozen=True)
class AdmissionDemo:
    full_name: str
    dob: date
    sex: str
    suffix: int  # last six digits of the fake citizen ID (reserved 99xxxx range)
    ethnicity: str
    cell: str  # org code
    stage: str
    days_ago: int = 30  # the cell's resolution, in calendar days before today
    chain_done: int = 0  # steps of the chain done after the cell's resolution (for VOTED)
    political_review: bool = False
    youth_union: bool = True
    sector: str = "village"
    lead: int = 100  # days from the first dossier record to the cell's resolution
    nominated_by: date | None = None  # nominated on this day at the latest (a case opened under an earlier rule set)


CASES = (
    # Chi bộ thôn Nà Sa (grassroots cell): resolution → the commune's decision.
    AdmissionDemo("Lý Thị Hoa", date(2002, 4, 18), "female", 998201, "09", demo.NA_SA, PARTIAL),
    AdmissionDemo("Nông Văn Khánh", date(1997, 8, 3), "male", 998202, "02", demo.NA_SA, COMPLETE),
    AdmissionDemo("Hoàng Văn Dũng", date(1995, 1, 25), "male", 998203, "02", demo.NA_SA, VOTED, days_ago=20),
    AdmissionDemo("Lương Thị Ngọc", date(1999, 6, 11), "female", 998204, "02", demo.NA_SA, VOTED, days_ago=110),
    AdmissionDemo(
        "Phùn Văn Lộc", date(1993, 2, 7), "male", 998205, "27", demo.NA_SA, VOTED, days_ago=15, political_review=True
    ),
    AdmissionDemo("Vi Thị Thảo", date(2000, 12, 30), "female", 998206, "02", demo.NA_SA, DECIDED, days_ago=40),
    AdmissionDemo("Triệu Văn Hải", date(1996, 3, 14), "male", 998207, "09", demo.NA_SA, DECIDED, days_ago=95),
    AdmissionDemo("Đàm Thị Yến", date(1998, 10, 2), "female", 998208, "02", demo.NA_SA, CEREMONY, days_ago=70),
    AdmissionDemo("La Văn Tâm", date(1991, 7, 22), "male", 998209, "02", demo.NA_SA, REFUSED, days_ago=50),
    AdmissionDemo("Hứa Thị Dung", date(2001, 5, 9), "female", 998210, "02", demo.NA_SA, SENT_BACK, days_ago=25),
    # Chi bộ Tổ Khoa học tự nhiên (under the school's grassroots committee): 8-KNĐ, then the commune decides.
    AdmissionDemo(
        "Nguyễn Thị Phương",
        date(1994, 9, 19),
        "female",
        998211,
        "01",
        demo.SCHOOL_SCIENCE,
        VOTED,
        12,
        sector="public_service_unit",
    ),
    AdmissionDemo(
        "Trần Văn Minh",
        date(1992, 11, 8),
        "male",
        998212,
        "01",
        demo.SCHOOL_SCIENCE,
        VOTED,
        35,
        1,
        sector="public_service_unit",
    ),
    # Chi bộ Phòng Khai thác cảng (partial committee of the authorised industrial park): 7-KNĐ, then 9-KNĐ.
    AdmissionDemo(
        "Phạm Văn Long",
        date(1990, 4, 27),
        "male",
        998213,
        "01",
        demo.PORT_OPERATIONS,
        VOTED,
        10,
        sector="private_enterprise",
    ),
    # Chi bộ Công ty Dệt may (directly under the authorised industrial park): its committee votes and decides.
    AdmissionDemo(
        "Đỗ Thị Hằng",
        date(1997, 2, 16),
        "female",
        998214,
        "01",
        demo.TEXTILE_COMPANY,
        VOTED,
        18,
        sector="private_enterprise",
    ),
    # Chi bộ Công ty Lâm sản (sub-grassroots committee, 2026 model): the bloc's appraisal, then the commune.
    AdmissionDemo(
        "Bùi Văn Thành",
        date(1995, 8, 30),
        "male",
        998215,
        "01",
        demo.TIMBER_COMPANY,
        VOTED,
        14,
        sector="private_enterprise",
        lead=60,
    ),
    # Chi bộ khu phố Lý Thường Kiệt (grassroots cell, 2026 model): the commune's standing committee decides.
    AdmissionDemo("Vũ Thị Lan Anh", date(2000, 1, 21), "female", 998216, "01", demo.LY_THUONG_KIET, VOTED, 16),
    # Chi bộ thôn Nà Sa again: a case nominated under 294-QĐ/TW (before 26/07/2026), its dossier long in the making;
    # the commune's decision was issued last week and the cell has not yet recorded its receipt, from which the
    # ceremony's deadline counts.
    AdmissionDemo(
        "Nịnh Thị Huyền",
        date(2000, 3, 8),
        "female",
        998217,
        "02",
        demo.NA_SA,
        ISSUED,
        days_ago=17,
        lead=140,
        nominated_by=LAST_DAY_UNDER_294,
    ),
)


OCCUPATIONS = {
    "village": "agriculture",
    "public_service_unit": "public_service_employee",
    "private_enterprise": "enterprise_worker",
}


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _actor(org: PartyOrg, *kinds: str) -> Any:
    role = Role.objects.filter(org=org, ends_on__isnull=True, **({"kind__in": kinds} if kinds else {})).first()
    if role is None:
        raise LookupError(f"The demo has no login acting for {org}")
    return role.user


def _run(case: Candidate, step: str, user: Any, data: dict[str, Any]) -> None:
    case = Candidate.objects.get(pk=case.pk)
    services.run_step(candidate=case, node_name=step, user=user, action=lambda: STEPS[step].action(case, user, data))


def _chain_step(case: Candidate, on: date, number: int) -> None:
    step = next_step(case)
    assert step is not None
    data: dict[str, Any] = {"step": step, "outcome": "approve", "on": on, "note": ""}
    if step.vote_body in (VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE):
        data.update(members_total=9, present=8, votes_for=7, votes_against=1)
    if step.kind in ("decision", "committee_resolution"):
        data["document_number"] = f"{number}-{'QĐ' if step.kind == 'decision' else 'NQ'}/ĐU"
    _run(case, "chain_step", _actor(step.org), data)


def _create(spec: AdmissionDemo, resolution: date, ceremony_on: date | None = None) -> Candidate:
    """Walk one case from its nomination to its stage, its cell resolution on `resolution` (the ceremony, for the
    CEREMONY stage, on `ceremony_on` or two weeks after the decision)."""
    cell = PartyOrg.objects.get(code=spec.cell)
    secretary = _actor(cell, RoleKind.CELL_SECRETARY)
    person, _created = person_get_or_create(
        citizen_id=citizen_id_prefix(province_code=demo.BIRTH_PROVINCE, date_of_birth=spec.dob, sex=spec.sex)
        + f"{spec.suffix:06d}",
        full_name=spec.full_name,
        date_of_birth=spec.dob,
        sex=spec.sex,
        ethnicity=spec.ethnicity,
        employer_sector=spec.sector,
        occupation=OCCUPATIONS[spec.sector],
        youth_union_member=spec.youth_union,
        residence=f"{cell.name.removeprefix('Chi bộ ')}, tỉnh Quảng Ninh",
    )
    start = resolution - timedelta(days=spec.lead)
    nominated_on = max(start - timedelta(days=60), cell.valid_from or start)  # not before the cell was founded
    if spec.nominated_by is not None:
        nominated_on = min(nominated_on, spec.nominated_by)
    case = services.case_nominate(
        person=person,
        cell=cell,
        nominated_by="youth_union",
        nominating_body="Ban Chấp hành Đoàn cơ sở",
        nominated_on=nominated_on,
        by=secretary,
    )
    listed_on = max(start - timedelta(days=50), nominated_on + timedelta(days=1))
    mentors = list(Membership.objects.filter(cell=cell).official_on(listed_on)[:1])
    _run(case, "list_sympathiser", secretary, {"meeting_on": listed_on})
    _run(case, "assign_mentors", secretary, {"members": mentors, "assigned_on": listed_on + timedelta(days=1)})
    certificate = {
        "certificate_number": f"{person.pk}/GCN-TTCT",
        "certificate_issued_on": start - timedelta(days=20),
        "certificate_issuer": "Trung tâm Chính trị",
    }
    _run(case, "propose_training", secretary, certificate)
    _run(case, "open_dossier", secretary, {"confirm": True})
    case = Candidate.objects.get(pk=case.pk)
    if spec.political_review:
        Candidate.objects.filter(pk=case.pk).update(political_review=True)  # flagged by the verification
    if spec.stage == PARTIAL:
        dossier_services.application_record(
            candidate=case,
            written_on=today() - timedelta(days=12),
            received_on=today() - timedelta(days=11),
            by=secretary,
        )
        return case
    fill_dossier(case, by=secretary, start=start)
    _run(case, "prepare_dossier", secretary, {"confirm": True})
    if spec.stage == COMPLETE:
        return case
    # Members temporarily transferred elsewhere or exempted stay away, as they usually do.
    away = {e.membership_id for e in MemberExemption.objects.filter(membership__cell=cell) if e.covers(resolution)}
    present = [m for m in Membership.objects.filter(cell=cell).active_on(resolution) if m.pk not in away]
    officials = sum(m.status_on(resolution) == "official" for m in present)
    vote = {"held_on": resolution, "present": present, "votes_for": officials, "votes_against": 0}
    _run(case, "cell_vote", secretary, vote)
    case = Candidate.objects.get(pk=case.pk)
    if spec.stage == VOTED:
        for i in range(spec.chain_done):
            _chain_step(case, resolution + timedelta(days=7 * (i + 1)), 40 + spec.suffix % 100)
        return case
    step = next_step(case)
    assert step is not None
    later = _weekday(resolution + timedelta(days=10))
    if spec.stage in (REFUSED, SENT_BACK):
        reason = (
            "Chưa đạt tiêu chuẩn về uy tín nơi cư trú; tiếp tục bồi dưỡng, xem xét lại sau."
            if spec.stage == REFUSED
            else "Bổ sung ý kiến nhận xét của chi ủy nơi cư trú và kết quả thẩm tra lý lịch của ông nội."
        )
        outcome = "refuse" if spec.stage == REFUSED else "send_back"
        data = {"step": step, "outcome": outcome, "on": later, "note": reason}
        _run(case, "chain_step", _actor(step.org), data)
        return case
    while next_step(case) is not None:
        _chain_step(case, later, 60 + spec.suffix % 100)
    case = Candidate.objects.get(pk=case.pk)
    waiting = services.open_tasks(case)[0].flow_task.name
    if spec.stage == ISSUED:
        if waiting != "receive_decision":
            raise LookupError(f"{spec.full_name}: the case's rule set does not count the ceremony from the receipt")
        return case
    if waiting == "receive_decision":
        _run(case, "receive_decision", secretary, {"received_on": later + timedelta(days=2)})
    if spec.stage == CEREMONY:
        helpers = list(Membership.objects.filter(cell=cell).official_on(later)[:2])
        ceremony = {
            "held_on": ceremony_on or _weekday(later + timedelta(days=14)),
            "decision_read_by": "Đồng chí Bí thư Đảng ủy",
            "mentors": helpers,
            "place": f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ')}",
            "attendees": "Đại diện Đảng ủy, Ban Chấp hành Đoàn, gia đình quần chúng",
        }
        _run(case, "ceremony", secretary, ceremony)
    return case


@transaction.atomic
def seed_admission_cases() -> int:
    """Create the admission demo cases that are not there yet (by name and cell); returns how many were created."""
    created = 0
    for spec in CASES:
        if Candidate.objects.filter(person__full_name=spec.full_name, cell__code=spec.cell).exists():
            continue
        resolution = _weekday(today() - timedelta(days=spec.days_ago))
        _create(spec, resolution)
        created += 1
    return created


def probation_flows_start() -> int:
    """Give every probationer without one its probation flow (the demo probationers are written through the
    domain services, outside the flows): their timers and tasks then run like any other case's."""
    from workflows.flows import ProbationFlow
    from workflows.models import ProbationProcess

    started = 0
    with_flow = ProbationProcess.objects.filter(flow_class=ProbationFlow).values("artifact_object_id")
    for case in Candidate.objects.filter(state="probationary").exclude(pk__in=with_flow):
        ProbationFlow.start.run(candidate=case)
        started += 1
    return started
