"""The committed manifest of every flow's node names (`workflows/flow_nodes.json`), and the check that a deployment
runs before its migrations (`manage.py flows_check`).

viewflow finds a stored task's node by its name: renaming or removing a node while cases wait there strands them.
A node may leave a flow only with a retirement written in the manifest (`retired`: the node, and the migration or
the `flow.Obsolete` handling that moves its tasks). The check names:
- each node in the manifest that is gone from the code without a retirement (renamed or removed by accident);
- each node in the code that is not in the manifest (run `flows_check --write` once the change is intended);
- each stored open task whose node no longer exists in its flow (its case would be stuck).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from workflows.flows import AdmissionCaseFlow, ProbationFlow, SourcingFlow

MANIFEST = Path(__file__).with_name("flow_nodes.json")
FLOWS = (SourcingFlow, AdmissionCaseFlow, ProbationFlow)
FINISHED = (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED)


def flow_key(flow_class: Any) -> str:
    return f"{flow_class.__module__}.{flow_class.__name__}"


def current_nodes() -> dict[str, list[str]]:
    return {flow_key(flow): sorted(node.name for node in flow.instance.nodes()) for flow in FLOWS}


def manifest_read(path: Path = MANIFEST) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"flows": {}, "retired": {}}


def manifest_write(path: Path = MANIFEST) -> None:
    data = manifest_read(path)
    data["flows"] = current_nodes()
    data.setdefault("retired", {})
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


@dataclass
class CheckResult:
    removed: list[str] = field(default_factory=list)  # "Flow.node": in the manifest, gone without a retirement
    unlisted: list[str] = field(default_factory=list)  # "Flow.node": in the code, not in the manifest
    stranded: list[str] = field(default_factory=list)  # open tasks whose node is gone

    @property
    def ok(self) -> bool:
        return not (self.removed or self.unlisted or self.stranded)


def flows_check(path: Path = MANIFEST) -> CheckResult:
    data = manifest_read(path)
    listed: dict[str, list[str]] = data.get("flows", {})
    retired: dict[str, dict[str, str]] = data.get("retired", {})
    result = CheckResult()
    code = current_nodes()
    for key, names in sorted(listed.items()):
        present = set(code.get(key, []))
        for name in names:
            if name not in present and name not in retired.get(key, {}):
                result.removed.append(f"{key}.{name}")
    for key, names in sorted(code.items()):
        for name in names:
            if name not in listed.get(key, []):
                result.unlisted.append(f"{key}.{name}")
    known = {get_task_ref(node) for flow in FLOWS for node in flow.instance.nodes()}  # as viewflow stores them
    for pk, ref, case_pk in _open_task_refs():
        if ref and ref.startswith("workflows/") and ref not in known:
            result.stranded.append(f"task {pk} of case {case_pk}: {ref}")
    return result


def _open_task_refs() -> list[tuple[int, str, int | None]]:
    """The stored node reference of every open task, read raw: the model field would turn an unknown node into
    viewflow's "obsolete" stand-in."""
    tasks, processes = Task._meta.db_table, Process._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.flow_task, p.artifact_object_id FROM {tasks} t JOIN {processes} p ON p.id = t.process_id"
            " WHERE t.status NOT IN (%s, %s, %s) ORDER BY t.id",
            [str(status) for status in FINISHED],
        )
        return list(cursor.fetchall())
