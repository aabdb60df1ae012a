"""The machinery of the API fuzzing run (tests/api/test_fuzz.py): the demo province as the data, the ids the fuzzer
draws path parameters and id fields from, one request per savepoint, and the tally of what came back.

Schemathesis generates each request from the OpenAPI schema (valid data, and data the schema forbids); the ids in
the path and in id fields are drawn mostly from records that exist (in the caller's units and outside them), so
the requests reach the services instead of stopping at a 404. Each request runs in a savepoint rolled back after
it, so every request meets the same province whatever ran before it.
"""

from __future__ import annotations

import itertools
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import hypothesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def id_pools() -> dict[str, list[Any]]:
    """Existing ids per kind of record (every unit's: scoping is part of what is fuzzed)."""
    from admission.decisions.models.decisions import ChainStepRecord
    from admission.decisions.models.meetings import Meeting
    from admission.documents.models import GeneratedDocument
    from admission.dossier.models import BackgroundCheck, Introduction
    from admission.imports.columns import KINDS
    from admission.party.models.delegations import Delegation
    from admission.party.models.orgs import PartyOrg
    from admission.party.models.people import Membership, Person
    from admission.probation.models import ProbationRemoval, ProbationTransfer, RecognitionStep
    from admission.sourcing.models.candidates import Candidate, Mentor
    from admission.sourcing.models.plans import SourcingPlan
    from admission.sourcing.models.training import AwarenessCourse
    from notifications.models import Notification
    from workflows.steps import STEPS

    def ids(model: Any) -> list[int]:
        return list(model.objects.order_by("pk").values_list("pk", flat=True))

    return {
        "candidate": ids(Candidate),
        "org": ids(PartyOrg),
        "person": ids(Person),
        "membership": ids(Membership),
        "course": ids(AwarenessCourse),
        "plan": ids(SourcingPlan),
        "notification": ids(Notification),
        "delegation": ids(Delegation),
        "transfer": ids(ProbationTransfer),
        "document": ids(GeneratedDocument),
        "check": ids(BackgroundCheck),
        "introduction": ids(Introduction),
        "helper": ids(Mentor),
        "removal": ids(ProbationRemoval),
        "recognition_step": ids(RecognitionStep),
        "chain_step": ids(ChainStepRecord),
        "meeting": ids(Meeting),
        "step_name": sorted(STEPS),
        "import_kind": [kind for kind, _label in KINDS],
    }


# The record a path parameter names, from the collection before it in the path (`…/documents/{document_id}/`).
SEGMENT_KINDS = {
    "candidates": "candidate",
    "orgs": "org",
    "people": "person",
    "courses": "course",
    "plans": "plan",
    "notifications": "notification",
    "delegations": "delegation",
    "probation-transfers": "transfer",
    "transfers": "transfer",
    "documents": "document",
    "checks": "check",
    "verifications": "check",
    "introductions": "introduction",
    "helpers": "helper",
    "mentors": "helper",
    "removals": "removal",
    "chain-steps": "recognition_step",
    "imports": "import_kind",
}
# Body fields holding ids, and the records they name.
BODY_KINDS = {
    "org": "org",
    "cell": "org",
    "target": "org",
    "to_cell": "org",
    "organiser": "org",
    "replacement": "membership",
    "introducer": "membership",
    "members": "membership",
    "present": "membership",
    "helpers": "membership",
    "mentors": "membership",
    "mentor": "helper",
    "meeting": "meeting",
    "course": "course",
    "step": "chain_step",
}


def path_kinds(path: str) -> dict[str, str]:
    kinds = {}
    segments = path.strip("/").split("/")
    for before, segment in itertools.pairwise(segments):
        match = re.fullmatch(r"\{(\w+)\}", segment)
        if match:
            name = match.group(1)
            if before == "steps":
                kinds[name] = "step_name" if not name.endswith(("_pk", "_id")) else "recognition_step"
            else:
                kinds[name] = SEGMENT_KINDS.get(before, "")
    return kinds


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)

    def fail(self, key: str, text: str) -> None:
        self.failures.setdefault(key, [])
        if len(self.failures[key]) < 3:
            self.failures[key].append(text)

    def report(self) -> str:
        lines = [
            f"{len(self.operations)} operations, {self.requests} requests, {len(self.failures)} kinds of failure",
            "statuses: " + ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items())),
        ]
        for key, texts in sorted(self.failures.items()):
            lines.append(f"- {key}")
            lines += [f"    {t}" for t in texts]
        return "\n".join(lines)


class ServerExceptions:
    """The exception behind each 500 (Django's got_request_exception), for the report."""

    def __init__(self) -> None:
        self.last: str | None = None

    def __call__(self, sender: Any, request: Any = None, **kwargs: Any) -> None:
        self.last = traceback.format_exc(limit=-4)


class NoConnectionClosing:
    """Each WSGI request would close the test's connection (request_started/finished → close_old_connections),
    ending its transaction; Django's test client disconnects them too."""

    def __enter__(self) -> None:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc: Any) -> None:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz_operation(
    operation: Any,
    *,
    mode: GenerationMode,
    headers: dict[str, str],
    pools: dict[str, list[Any]],
    tally: Tally,
    examples: int,
    seed: int,
    errors: ServerExceptions,
) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    tally.operations.add(label)
    kinds = path_kinds(operation.path)

    def draw_id(data: Any, kind: str, current: Any) -> Any:
        pool = pools.get(kind) or []
        if not pool:
            return current
        # Mostly a record that exists (so the request reaches the services), sometimes the generated value.
        return data.draw(st.integers(0, 9).flatmap(lambda n: st.sampled_from(pool) if n < 8 else st.just(current)))

    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.seed(seed)
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: Any) -> None:
        if _valid(case, ParameterLocation.PATH):
            for name, kind in kinds.items():
                if kind and name in (case.path_parameters or {}):
                    case.path_parameters[name] = draw_id(data, kind, case.path_parameters[name])
        if _valid(case, ParameterLocation.BODY) and isinstance(case.body, dict):
            for name, kind in BODY_KINDS.items():
                value = case.body.get(name)
                if isinstance(value, int) and not isinstance(value, bool):
                    case.body[name] = draw_id(data, kind, value)
                elif isinstance(value, list) and value and all(isinstance(v, int) for v in value):
                    case.body[name] = [draw_id(data, kind, v) for v in value]
        errors.last = None
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
        finally:
            transaction.savepoint_rollback(savepoint)
            transaction.set_rollback(False)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup, AssertionError) as exc:
            failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in failures:
                title = getattr(failure, "title", type(failure).__name__)
                key = f"{label} [{mode.value}] {title} ({response.status_code})"
                text = f"{str(failure)[:600]} — body: {str(case.body)[:200]} path: {case.path_parameters}"
                if errors.last:
                    text += "\n" + errors.last[-1500:]
                tally.fail(key, text)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        # Nothing of this operation can be made invalid (no parameter, no body): no negative request to send.


def _valid(case: Any, location: ParameterLocation) -> bool:
    """True when this part of the request was generated valid (its ids may then be replaced by real ones)."""
    component = case.meta.components.get(location) if case.meta else None
    return component is None or component.mode is GenerationMode.POSITIVE
