"""The sourcing flow mounted in the Site, with every list and detail scoped to the user's units.

viewflow's own dashboard, process list, task list and process detail show every case of the flow to anyone who
may enter it. Here the kanban dashboard is replaced by the inbox, and the lists keep only the processes whose case
is in the user's scope (the selector `candidate_list_for_user`); the process detail goes through the flow's
`has_view_permission`, which checks the same scope, and answers 404 outside it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views

from admission.party.permissions import today
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.selectors import candidate_list_for_user
from workflows.steps import task_title


def _scoped_ids(user: Any) -> Any:
    return candidate_list_for_user(user=user).values("pk")


class ScopedProcessListView(flow_views.DashboardProcessListView):
    def get_queryset(self) -> Any:
        ct = ContentType.objects.get_for_model(Candidate)
        return (
            super()
            .get_queryset()
            .filter(artifact_content_type=ct, artifact_object_id__in=_scoped_ids(self.request.user))
        )


class ScopedTaskListView(flow_views.DashboardTaskListView):
    def get_queryset(self) -> Any:
        ct = ContentType.objects.get_for_model(Candidate)
        return (
            super()
            .get_queryset()
            .filter(process__artifact_content_type=ct, process__artifact_object_id__in=_scoped_ids(self.request.user))
        )


class ScopedProcessDetailView(flow_views.DetailProcessView):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.flow_class.instance.has_view_permission(request.user, obj=self.get_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CaseColumnsMixin:
    """Queue and inbox rows that say whose case it is, in which cell, and by when: the earliest due first."""

    request: Any
    columns = ("task_id", "candidate", "cell", "task_title", "due_on")

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("process__artifact__cell").order_by("data__due_on", "created")  # type: ignore[misc]

    def candidate(self, task: Any) -> str:
        case = task.process.artifact
        return f"{case.person.full_name} ({case.code})" if case else ""

    candidate.short_description = _("Candidate")  # type: ignore[attr-defined]

    def cell(self, task: Any) -> str:
        case = task.process.artifact
        return case.cell.name if case else ""

    cell.short_description = _("Cell")  # type: ignore[attr-defined]

    def due_on(self, task: Any) -> str:
        raw = (task.data or {}).get("due_on")
        if not raw:
            return ""
        due = date.fromisoformat(raw)
        text = f"{due:%d/%m/%Y}"
        return format_html('<strong style="color:#b71c1c">{} ⚠</strong>', text) if due < today() else text

    due_on.short_description = _("Due by")  # type: ignore[attr-defined]

    def task_title(self, task: Any) -> str:
        """A repeated node (the approval chain) names its body and form; other tasks keep the node's title."""
        return task_title(task)

    task_title.short_description = _("Task")  # type: ignore[attr-defined]


class CaseQueueListView(CaseColumnsMixin, flow_views.FlowQueueListView):
    pass


class CaseInboxListView(CaseColumnsMixin, flow_views.FlowInboxListView):
    pass


class ScopedFlowAppViewset(FlowAppViewset):
    queue_view_class = CaseQueueListView
    inbox_view_class = CaseInboxListView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView
    process_detail_view_class = ScopedProcessDetailView

    @property
    def index_path(self) -> Any:
        return path("", RedirectView.as_view(pattern_name=None, url="inbox/"), name="index")
