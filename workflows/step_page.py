"""The page of a waiting step, for everyone who acts for the body whose turn it is.

Team work, not claims: opening the page takes nothing; the first valid submission wins (`services.run_step` locks
the task row and completes it in one transaction; a second submitter is told it is already done). Anyone acting
for the body may say "I am working on this" (`WorkItem.marked_by`): colleagues see it on the step and on the work
page, it ends by itself after `MARK_MINUTES`, and anyone may take it over. Nobody can block a case by walking
away. Outside the user's units the case is a 404; inside them, a step of another body is a 403.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from admission.decisions.selectors import admission_overview
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.rules.calendar import working_calendar
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.models.candidates import Candidate
from workflows import services
from workflows.models import WorkItem
from workflows.send_back import send_back_targets
from workflows.steps import STEPS, task_due_on, task_title

MARK_MINUTES = 30  # how long "I am working on this" stays shown without being renewed


def _waiting_step(request: HttpRequest, pk: int, node: str) -> tuple[Candidate, Any, Any, PartyOrg] | None:
    """The case (404 outside the user's units), the step and its open task (None when it no longer waits), and the
    acting org (403 when the user does not act for it)."""
    candidate = sourcing_selectors.candidate_get_for_unit(user=request.user, pk=pk)
    spec = STEPS.get(node)
    if spec is None:
        raise Http404
    task = services.open_task(candidate, node)
    if task is None:
        return None
    org = PartyOrg.objects.get(pk=int(task.owner_permission_obj_pk))
    if not permissions.can_act_for_org(request.user, org):
        raise PermissionDenied(_("This step belongs to another organisation."))
    return candidate, spec, task, org


def _gone(request: HttpRequest, pk: int) -> HttpResponse:
    messages.info(request, _("This step is not waiting any more: someone has done it, or the case has moved on."))
    return redirect("admission:candidates:detail", pk)


def active_mark(task: Any) -> WorkItem | None:
    item = WorkItem.objects.select_related("marked_by").filter(task_id=task.pk).first()
    return item if item is not None and item.marker(timezone.now()) else None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def case_step(request: HttpRequest, pk: int, node: str) -> HttpResponse:
    found = _waiting_step(request, pk, node)
    if found is None:
        return _gone(request, pk)
    candidate, spec, task, org = found
    form = spec.form(candidate, request.user, data=request.POST or None, files=request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                outcome = services.run_step(
                    candidate=candidate,
                    node_name=node,
                    user=request.user,
                    action=lambda: spec.action(candidate, request.user, form.cleaned_data),
                )
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, message)
            else:
                if outcome:
                    messages.warning(request, outcome)
                else:
                    messages.success(request, _("Done: %(step)s.") % {"step": spec.title})
                return redirect("admission:candidates:detail", candidate.pk)
    due_on = task_due_on(task)
    left = working_calendar().working_days_between(permissions.today(), due_on) if due_on else None
    context = {
        "candidate": candidate,
        "step": spec,
        "step_title": task_title(task),
        "acting_org": org,
        "due_on": due_on,
        "working_days_left": left,
        "days_overdue": -left if left is not None and left < 0 else 0,
        "mark": active_mark(task),
        "mark_url": reverse("admission:candidates:step_mark", args=[candidate.pk, node]),
        "admission": admission_overview(candidate=candidate),
        "form": form,
        "can_send_back": bool(send_back_targets(candidate, request.user)),
    }
    return TemplateResponse(request, "workflows/_parts/task_page.html", context, status=status)


@require_POST
@login_required
def case_step_mark(request: HttpRequest, pk: int, node: str) -> HttpResponse:
    """Say "I am working on this" (or stop saying it): shown to colleagues, never a lock."""
    found = _waiting_step(request, pk, node)
    if found is None:
        return _gone(request, pk)
    _candidate, _spec, task, _org = found
    user: Any = request.user
    if request.POST.get("stop"):
        WorkItem.objects.filter(task_id=task.pk, marked_by=user).update(marked_by=None, marked_until=None)
    else:
        until = timezone.now() + timedelta(minutes=MARK_MINUTES)
        WorkItem.objects.filter(task_id=task.pk).update(marked_by=user, marked_until=until)
    return redirect("admission:candidates:step", pk, node)
