"""The statistics' read model is written in the transaction of the service that changes a fact: inside it the rows
are already the ones the facts give, and when the service's transaction is rolled back, nothing of it is left.
Walked through the real services: nomination, list, certificate, the cell's resolution, a sending back, the
decision, its receipt, the ceremony, a removal, a recognition."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from admission.decisions.services.decisions import (
    chain_step_complete,
    chain_step_send_back,
    decision_received,
    next_step,
)
from admission.party.models.people import Membership
from admission.probation.services import ceremony_hold, recognition_step_complete, removal_decide, removal_propose
from admission.probation.services import next_step as probation_step
from admission.reports.models import StageEvent, StepDuration
from admission.reports.stages import (
    DURATION_FIELDS,
    EVENT_FIELDS,
    Sources,
    calendar_of,
    deadline_rules,
    duration_rows,
    event_rows,
    facts_of,
)
from admission.reports.sync import stages_batch
from admission.rules.calendar import WorkingCalendar
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.services.candidates import candidate_list_as_sympathiser, candidate_nominate
from admission.sourcing.services.training import certificate_record_external
from tests.admission.decisions.test_decisions import at, proposed, village  # noqa: F401  (fixture)
from tests.admission.probation.helpers import cell_vote, complete_dossier, probationer
from tests.factories import PersonFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


class Rollback(Exception):
    pass


def rows() -> tuple[Counter[Any], Counter[Any]]:
    return (
        Counter(StageEvent.objects.values_list(*EVENT_FIELDS)),
        Counter(StepDuration.objects.values_list(*DURATION_FIELDS)),
    )


def expected() -> tuple[Counter[Any], Counter[Any]]:
    """The rows the facts give now, built from scratch (nothing written)."""
    sources = Sources.current()
    people = set(Candidate.objects.values_list("person_id", flat=True))
    people |= set(Membership.objects.values_list("person_id", flat=True))
    facts = facts_of(sources, sorted(people))
    durations = duration_rows(facts, deadline_rules(sources), calendar_of(sources))
    return Counter(event_rows(facts)), Counter(durations)


def rolled_back(service: Callable[[], Any]) -> tuple[Counter[Any], Counter[Any]]:
    """Run the service inside a transaction that is then rolled back; the rows seen inside it."""
    before = rows()
    with pytest.raises(Rollback), transaction.atomic():
        service()
        inside = rows()
        assert inside == expected()
        raise Rollback
    assert rows() == before == expected()
    return inside


def stage_rows(counter: Counter[Any], stage: str) -> list[Any]:
    return [row for row in counter if row[1] == stage]


def test_sourcing_services_write_their_stages_with_them(world):
    secretary = world.secretary
    person = PersonFactory(date_of_birth=D(1999, 4, 1))

    def nominate() -> Candidate:
        return candidate_nominate(
            person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=secretary
        )

    def list_(case: Candidate) -> Candidate:
        return candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 1, 20), by=secretary)

    def certify(case: Candidate) -> Any:
        return certificate_record_external(
            candidate=case, number="7/CN", issued_on=D(2026, 1, 28), issuer="ĐU xã", by=secretary
        )

    with at(D(2026, 2, 2)):
        inside = rolled_back(nominate)
        assert [row[2] for row in stage_rows(inside[0], "nominated")] == [D(2026, 1, 5)]
        case = nominate()
        inside = rolled_back(lambda: list_(case))
        assert [row[2] for row in stage_rows(inside[0], "listed")] == [D(2026, 1, 20)]
        case = list_(case)
        inside = rolled_back(lambda: certify(case))
        assert [row[2] for row in stage_rows(inside[0], "certified")] == [D(2026, 1, 28)]
        assert [row[7] for row in stage_rows(inside[0], "nominated")] == [True]  # trained
        certify(case)
    assert rows() == expected()


def test_a_decision_its_ceremony_and_a_removal_write_their_rows_in_their_own_transaction(world, village):  # noqa: F811
    cell, secretary = village
    case = proposed(world, cell, secretary)
    assert [row[8] for row in stage_rows(rows()[0], "nominated")] == [True]  # proposed

    def decide() -> Any:
        return chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 4, 1), document_number="15")

    def hold() -> Any:
        mentors = list(Membership.objects.filter(cell=cell)[:1])
        return ceremony_hold(
            candidate=case, held_on=D(2026, 4, 10), decision_read_by="Bí thư", mentors=mentors, by=secretary
        )

    with at(D(2026, 4, 1)):
        inside = rolled_back(decide)
        assert [row[9] for row in stage_rows(inside[0], "nominated")] == [True]  # admitted
        assert {row[4] for row in inside[1]} >= {"listed", "decision"}  # the admission's steps, in working days
        assert StepDuration.objects.count() == 0
        decide()
    with at(D(2026, 4, 3)):
        decision_received(candidate=case, on=D(2026, 4, 3), by=secretary)
    with at(D(2026, 4, 10)):
        inside = rolled_back(hold)
        joined = [(row[2], row[9]) for row in stage_rows(inside[0], "joined") if row[2] == D(2026, 4, 10)]
        assert joined == [(D(2026, 4, 10), True)]
        ceremony_days = [row[8] for row in inside[1] if row[4] == "ceremony"]
        assert ceremony_days == [WorkingCalendar().working_days_between(D(2026, 4, 1), D(2026, 4, 10))]
        ceremony = hold()
    with at(D(2026, 5, 4)):
        removal = removal_propose(
            probation=ceremony.probation,
            reason_code="discipline",
            reason="Vi phạm",
            proposed_on=D(2026, 5, 4),
            by=secretary,
        )

    def remove() -> Any:
        return removal_decide(
            removal=removal, approve=True, decided_on=D(2026, 5, 11), decision_number="8-QĐ", by=world.approver
        )

    with at(D(2026, 5, 11)):
        inside = rolled_back(remove)
        assert [(row[2], row[10]) for row in stage_rows(inside[0], "left")] == [(D(2026, 5, 11), False)]
        remove()
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.REMOVED
    assert rows() == expected()


def test_a_case_sent_back_keeps_its_rows_true(world, village):  # noqa: F811
    cell, secretary = village
    case = proposed(world, cell, secretary)

    def send() -> Any:
        return chain_step_send_back(step=next_step(case), reason="Bổ sung", by=world.approver, on=D(2026, 3, 20))

    with at(D(2026, 3, 20)):
        rolled_back(send)
        send()
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.DOSSIER
    assert rows() == expected()


def test_a_recognition_counts_on_its_official_date_from_its_own_transaction(world):
    probation = probationer(world)
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 20), 3)

    def recognise() -> Any:
        step = probation_step(probation)
        return recognition_step_complete(step=step, by=world.approver, on=D(2026, 8, 24), document_number="70")

    with at(D(2026, 8, 24)):
        inside = rolled_back(recognise)
        recognised = stage_rows(inside[0], "recognised")
        assert [(row[2], row[5]) for row in recognised] == [(probation.ends_on, probation.candidate_id)]
        assert [row[10] for row in stage_rows(inside[0], "nominated")] == [True]  # official
        recognise()
    assert rows() == expected()


def test_a_batch_rebuilds_once_at_its_end_still_inside_the_transaction(world, village):  # noqa: F811
    """A flow step runs in `stages_batch` (workflows.services.run_step): its saves mark the people, the block's end
    rebuilds them, before the transaction commits or rolls back."""
    cell, secretary = village
    case = proposed(world, cell, secretary)
    before = rows()
    with at(D(2026, 4, 1)), pytest.raises(Rollback), transaction.atomic():
        with stages_batch():
            chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 4, 1), document_number="15")
            assert rows() == before  # nothing yet: the decision, the case and the snapshot each marked the person
        assert rows() == expected() != before
        raise Rollback
    assert rows() == before == expected()


def test_a_cell_resolution_inserted_in_bulk_is_followed_too(world):
    from admission.core.bulk import created_in_bulk
    from admission.decisions.models.decisions import ChainStepRecord, StepStatus
    from admission.rules.models.rulesets import RuleSet

    case = Candidate.objects.create(
        code="KN-B-1",
        person=PersonFactory(),
        cell=world.village_cell,
        rule_set=RuleSet.in_force_on(D(2026, 1, 5)),
        state=CandidateState.DOSSIER,
        opened_on=D(2026, 1, 5),
        nominated_by="cell",
        nominated_on=D(2026, 1, 5),
    )
    step = ChainStepRecord(
        candidate=case, order=1, kind="cell_resolution", org=world.village_cell, form="6-KNĐ", status=StepStatus.DONE
    )
    step.done_on = D(2026, 3, 2)
    created_in_bulk(ChainStepRecord, [step])
    assert [row[2] for row in stage_rows(rows()[0], "proposed")] == [D(2026, 3, 2)]
    assert rows() == expected()
