"""`{% case_tasks candidate as tasks %}`: the open steps of a case, for pages of the domain app.

The domain app never imports viewflow; its templates ask this tag what is waiting, for whom and by when.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from viewflow.workflow.models import Process

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.rules.calendar import working_calendar
from workflows import services, step_page
from workflows.steps import STEPS, task_due_on, task_title

register = template.Library()


@dataclass(frozen=True)
class OpenStep:
    title: str
    description: str
    due_on: datetime.date | None
    working_days_left: int | None  # negative when overdue
    url: str | None  # the step's page, for those who act for the body whose turn it is
    acting_org: Any
    marked_by: Any  # a colleague who said "I am working on this", while it lasts

    @property
    def can_act(self) -> bool:
        return self.url is not None

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def days_overdue(self) -> int:
        return -(self.working_days_left or 0)


@register.simple_tag(takes_context=True)
def case_tasks(context: dict[str, Any], candidate: Any) -> list[OpenStep]:
    """The open steps of the case: what, by whom, by when (with working days left or overdue), and a link to the
    step's page for the user who acts for that body. Opening it claims nothing (`workflows.step_page`)."""
    user = context["request"].user
    try:
        tasks = services.open_tasks(candidate)
    except Process.DoesNotExist:  # a case without a process (imported, or opened before the flow existed)
        return []
    today = permissions.today()
    calendar = working_calendar()
    orgs = {
        org.pk: org
        for org in PartyOrg.objects.filter(
            pk__in=[t.owner_permission_obj_pk for t in tasks if t.owner_permission_obj_pk]
        )
    }
    steps = []
    for task in tasks:
        node = task.flow_task
        spec = STEPS.get(node.name)
        org = orgs.get(int(task.owner_permission_obj_pk)) if task.owner_permission_obj_pk else None
        can_act = bool(org is not None and spec is not None and permissions.can_act_for_org(user, org))
        due = task_due_on(task)
        mark = step_page.active_mark(task)
        steps.append(
            OpenStep(
                title=task_title(task),
                description=str(spec.description if spec else ""),
                due_on=due,
                working_days_left=calendar.working_days_between(today, due) if due else None,
                url=reverse("admission:candidates:step", args=[candidate.pk, node.name]) if can_act else None,
                acting_org=org,
                marked_by=mark.marked_by if mark else None,
            )
        )
    return steps


@register.simple_tag(takes_context=True)
def send_back_panel(context: dict[str, Any], candidate: Any) -> dict[str, Any]:
    """`{% send_back_panel candidate as panel %}`: where the user may send the case back now, its form, and the
    case's earlier moves back (`workflows.send_back_views`)."""
    from workflows.send_back_views import send_back_panel as panel

    return panel(candidate, context["request"].user)
