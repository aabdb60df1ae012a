"""Demo cases at every stage of sourcing and training, built through the flow so tasks and states agree.

Runs after `demo.province.seed_demo` (same users and cells). Dates are relative to today, so the demo always shows
a believable pipeline: one case waiting at each step, with its due date in the right body's queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.permissions import today
from admission.party.services.people import person_get_or_create
from admission.rules.reference import citizen_id_prefix
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.plans import PlanCategory, PlanTarget, SourcingPlan
from admission.sourcing.models.training import AwarenessCourse
from admission.sourcing.services.training import course_create
from demo import province as demo
from workflows import services
from workflows.steps import STEPS


@dataclass(frozen=True)
class DemoCase:
    full_name: str
    dob: date
    sex: str
    suffix: int  # last six digits of the fake citizen ID (reserved 99xxxx range)
    ethnicity: str
    stage: str  # the last step done
    employer_sector: str = "village"
    occupation: str = "agriculture"
    youth_union: bool = True


# One case per stage; the candidate login (ungvien.nasa) follows the first one.
CASES = (
    DemoCase("Hoàng Thị Lan", date(2001, 3, 12), "female", 998101, "02", "nominated"),
    DemoCase("Lục Văn Phúc", date(1998, 7, 30), "male", 998102, "02", "list_sympathiser"),
    DemoCase("Triệu Thị Mai", date(2003, 1, 5), "female", 998103, "09", "assign_mentors"),
    DemoCase("Chíu Văn Sơn", date(1996, 11, 22), "male", 998104, "27", "propose_training"),
    DemoCase("Bàn Thị Hương", date(2000, 9, 9), "female", 998105, "09", "approve_attendance"),
    DemoCase("Vi Văn Cường", date(1994, 5, 17), "male", 998106, "02", "record_result"),
    DemoCase("Nông Thị Thu", date(1999, 2, 28), "female", 998107, "02", "open_dossier"),
    DemoCase("Hà Văn Quyết", date(1992, 12, 1), "male", 998108, "02", "withdrawn", youth_union=False),
)
ORDER = ("nominated", *STEPS)
# Cases whose course ends today (result recorded); the others go to the next course.
TRAINED_NOW = {c.full_name for c in CASES if c.stage in ("record_result", "open_dossier", "withdrawn")}


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _courses(organiser: PartyOrg, by: Any) -> tuple[AwarenessCourse, AwarenessCourse]:
    now = today()
    finished, _ = AwarenessCourse.objects.get_or_create(
        name="Lớp bồi dưỡng nhận thức về Đảng – đợt 2 năm 2026",
        organiser=organiser,
        defaults={
            "issuer_name": "Đảng ủy xã Hoành Mô",
            "starts_on": now - timedelta(days=4),
            "ends_on": now,
            "capacity": 40,
            "location": "Hội trường Ủy ban nhân dân xã Hoành Mô",
        },
    )
    upcoming = AwarenessCourse.objects.filter(organiser=organiser, starts_on__gt=now).first() or course_create(
        name="Lớp bồi dưỡng nhận thức về Đảng – đợt 3 năm 2026",
        organiser=organiser,
        issuer_name="Đảng ủy xã Hoành Mô",
        starts_on=now + timedelta(days=14),
        ends_on=now + timedelta(days=18),
        capacity=40,
        location="Hội trường Ủy ban nhân dân xã Hoành Mô",
        by=by,
    )
    return finished, upcoming


def _run(case: Candidate, step: str, user: Any, data: dict[str, Any]) -> None:
    services.run_step(candidate=case, node_name=step, user=user, action=lambda: STEPS[step].action(case, user, data))


@transaction.atomic
def seed_demo_cases() -> int:
    """Create the demo cases if the demo cell has none yet; returns how many were created."""
    cell = PartyOrg.objects.get(code=demo.NA_SA)
    if Candidate.objects.filter(cell=cell).exists():
        return 0
    secretary, approver, officer = _user("bithu.nasa"), _user("btv.hoanhmo"), _user("tochuc.hoanhmo")
    finished_course, upcoming_course = _courses(cell.parent or cell, officer)
    now = today()
    mentors = list(Membership.objects.filter(cell=cell).official_on(now)[:2])
    steps: dict[str, Callable[[Candidate], None]] = {
        "list_sympathiser": lambda c: _run(c, "list_sympathiser", secretary, {"meeting_on": now - timedelta(days=60)}),
        "assign_mentors": lambda c: _run(
            c, "assign_mentors", secretary, {"members": mentors, "assigned_on": now - timedelta(days=58)}
        ),
        "propose_training": lambda c: _run(
            c,
            "propose_training",
            secretary,
            {"course": finished_course if c.person.full_name in TRAINED_NOW else upcoming_course},
        ),
        "approve_attendance": lambda c: _run(
            c, "approve_attendance", approver, {"approve": True, "decided_on": now - timedelta(days=25)}
        ),
        "record_result": lambda c: _run(
            c,
            "record_result",
            officer,
            {"passed": True, "result_on": now, "certificate_number": f"{c.pk}/CN-ĐU"},
        ),
        "open_dossier": lambda c: _run(c, "open_dossier", secretary, {"confirm": True}),
    }
    for spec in CASES:
        person, _created = person_get_or_create(
            citizen_id=citizen_id_prefix(province_code=demo.BIRTH_PROVINCE, date_of_birth=spec.dob, sex=spec.sex)
            + f"{spec.suffix:06d}",
            full_name=spec.full_name,
            date_of_birth=spec.dob,
            sex=spec.sex,
            ethnicity=spec.ethnicity,
            employer_sector=spec.employer_sector,
            occupation=spec.occupation,
            youth_union_member=spec.youth_union,
            residence="Thôn Nà Sa, xã Hoành Mô, tỉnh Quảng Ninh",
        )
        if spec is CASES[0]:  # the candidate login follows this case
            Person.objects.filter(user=_user("ungvien.nasa")).exclude(pk=person.pk).update(user=None)
            Person.objects.filter(pk=person.pk).update(user=_user("ungvien.nasa"))
        case = services.case_nominate(
            person=person,
            cell=cell,
            nominated_by="youth_union",
            nominating_body="Đoàn xã Hoành Mô",
            nominated_on=now - timedelta(days=75),
            by=secretary,
        )
        last = "open_dossier" if spec.stage == "withdrawn" else spec.stage
        for step in ORDER[1 : ORDER.index(last) + 1]:
            steps[step](Candidate.objects.get(pk=case.pk))
        if spec.stage == "withdrawn":
            services.case_close(
                candidate=case,
                withdrawn=True,
                reason="Chuyển công tác ra tỉnh khác",
                on=now - timedelta(days=3),
                by=secretary,
            )
    _plan(cell.parent or cell)
    return len(CASES)


def _plan(org: PartyOrg) -> None:
    plan, _ = SourcingPlan.objects.get_or_create(org=org, year=today().year, defaults={"title": "Đề án tạo nguồn"})
    targets = {
        PlanCategory.TOTAL: 25,
        PlanCategory.ETHNIC_MINORITY: 18,
        PlanCategory.WOMEN: 10,
        PlanCategory.YOUTH_UNION: 15,
        PlanCategory.VILLAGE: 12,
    }
    for category, target in targets.items():
        PlanTarget.objects.get_or_create(plan=plan, category=category, defaults={"target": target})
