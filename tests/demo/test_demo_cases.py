"""The demo cases cover every human step of the sourcing, admission and probation flows and every chain variant of
the demo province, with the flow and the case state in agreement, and seeding twice creates nothing more."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from admission.decisions.selectors import admission_overview
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.workflows import test_admission_flow, test_sourcing_flow
from workflows import services
from workflows.steps import task_title

pytestmark = pytest.mark.django_db

EXPECTED_STATE = {
    **test_sourcing_flow.EXPECTED_STATE,
    **test_admission_flow.EXPECTED_STATE,
    "wait": CandidateState.PROBATIONARY,  # the probation's timer
    "recognition_vote": CandidateState.PROBATIONARY,
    "recognition_step": CandidateState.PROBATIONARY,
    "receive_transfer": CandidateState.PROBATIONARY,
    "decide_removal": CandidateState.PROBATIONARY,
    "decide_escalation": CandidateState.PROBATIONARY,
}


def waiting_step(case):
    """The one open step of the case, checked against its state (None when its work is finished)."""
    try:
        process = services.process_for(case)
    except Process.DoesNotExist:  # a demo member recognised through the services alone: nothing left to do
        assert case.state == CandidateState.OFFICIAL
        return None
    tasks = list(process.task_set.filter(status__in=services.OPEN_OR_WAITING))
    if process.status in (PROCESS.DONE, PROCESS.CANCELED):
        assert tasks == []
        return None
    assert len(tasks) == 1, tasks
    assert EXPECTED_STATE[tasks[0].flow_task.name] == case.state, case
    return tasks[0]


def test_the_demo_has_a_case_waiting_at_each_step_and_in_each_chain_variant_and_runs_once():
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    cases = list(Candidate.objects.select_related("cell").order_by("pk"))
    tasks = {case.person.full_name: waiting_step(case) for case in cases}
    steps = {task.flow_task.name for task in tasks.values() if task is not None}
    # Every human step of the three flows has a case waiting (the receipt of the decision: a case nominated under
    # 294-QĐ/TW, whose ceremony deadline counts from it), and probationers wait on their timer.
    assert steps == set(EXPECTED_STATE)
    states = {case.state for case in cases}
    assert {CandidateState.PROBATIONARY, CandidateState.NOT_ADMITTED, CandidateState.WITHDRAWN} <= states
    # The chain variants: each body of the demo province has a step in its queue.
    chain_titles = {task_title(task) for task in tasks.values() if task and task.flow_task.name == "chain_step"}
    for expected in (
        "(7-KNĐ): Đảng bộ bộ phận Công ty Cổ phần Cảng biển Hải Đăng Xanh",
        "(7-KNĐ): Đảng bộ Khối doanh nghiệp xã Quảng Hà",
        "(8-KNĐ): Đảng bộ Trường THPT Hoành Mô",
        "(9-KNĐ): Đảng bộ xã Hoành Mô",
        "(9-KNĐ): Đảng bộ Khu công nghiệp cảng biển Hải Hà",
        "(9-KNĐ): Đảng bộ xã Quảng Hà",
    ):
        assert any(title.endswith(expected) for title in chain_titles), (expected, chain_titles)
    overviews = [admission_overview(candidate=case) for case in cases]
    assert any(o.decision_overdue for o in overviews) and any(o.ceremony_overdue for o in overviews)
    assert any(o.missing_consents for o in overviews)
    assert cases[0].person.user.username == "ungvien.nasa"
    call_command("seed_demo_cases", stdout=io.StringIO())
    assert Candidate.objects.count() == len(cases)
