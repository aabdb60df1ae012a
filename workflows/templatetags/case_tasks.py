"""`{% case_tasks candidate as tasks %}`: the open steps of a case, for pages of the domain app.

The domain app never imports viewflow; its templates ask this tag what is waiting, for whom and by when.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from viewflow.workflow.models import Process, Task

from workflows import services
from workflows.steps import STEPS, task_title

register = template.Library()


@dataclass(frozen=True)
class OpenStep:
    title: str
    description: str
    due_on: datetime.date | None
    owner: Any
    url: str  # the execute page when the user holds the task, else the task's page
    assign_url: str | None  # POST here (with _continue) to take a free task and go straight to its form
    can_act: bool
    acting_org: Any


def _due(task: Task) -> datetime.date | None:
    raw = (task.data or {}).get("due_on")
    return datetime.date.fromisoformat(raw) if raw else None


@register.simple_tag(takes_context=True)
def case_tasks(context: dict[str, Any], candidate: Any) -> list[OpenStep]:
    user = context["request"].user
    try:
        tasks = services.open_tasks(candidate)
    except Process.DoesNotExist:  # a case without a process (imported, or opened before the flow existed)
        return []
    steps = []
    for task in tasks:
        node = task.flow_task
        spec = STEPS.get(node.name)
        holds = task.owner_id == user.pk
        can_take = task.owner_id is None and node.can_assign(user, task)
        steps.append(
            OpenStep(
                title=task_title(task),
                description=str(spec.description if spec else ""),
                due_on=_due(task),
                owner=task.owner,
                url=node.reverse("execute" if holds else "index", args=[task.process_id, task.pk]),
                assign_url=node.reverse("assign", args=[task.process_id, task.pk]) if can_take else None,
                can_act=holds or can_take,
                acting_org=task.owner_permission_obj,
            )
        )
    return steps
