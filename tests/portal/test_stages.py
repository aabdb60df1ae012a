"""The plain-words stages cover every case state and every human step of the flows."""

from __future__ import annotations

from admission.sourcing.models.candidates import CandidateState
from portal import stages
from workflows import flows


def test_every_state_has_a_stage_in_plain_words() -> None:
    assert set(stages.BY_STATE) == set(CandidateState.values)
    assert all(str(stage.explanation) for stage in stages.BY_STATE.values())


def test_the_next_stage_follows_the_path_and_stops_at_its_end() -> None:
    assert stages.next_stage(CandidateState.PROPOSED).state == CandidateState.ADMITTED  # type: ignore[union-attr]
    assert stages.next_stage(CandidateState.OFFICIAL) is None
    assert stages.next_stage(CandidateState.WITHDRAWN) is None


def test_every_human_step_of_the_case_flows_is_explained() -> None:
    flow_classes = [flows.SourcingFlow, flows.AdmissionCaseFlow, flows.ProbationFlow]
    human = {
        node.name for flow_class in flow_classes for node in flow_class.instance.nodes() if node.task_type == "HUMAN"
    }
    assert human, "no human step found"
    assert human <= set(stages.TASK_TEXT), human - set(stages.TASK_TEXT)
