"""Pages for sourcing plans (đề án tạo nguồn): the list, creating and editing a plan, its progress.

Progress numbers come from `selectors.plan_progress` (one SQL aggregate); the page only adds the percentage.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from admission.sourcing import selectors
from admission.sourcing.forms import PlanForm, orgs_user_plans_for
from admission.sourcing.models.plans import SourcingPlan
from admission.sourcing.services.plans import can_plan_for, plan_save


def _save(request: HttpRequest, plan: SourcingPlan | None) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = plan_save(
                org=data["org"], year=data["year"], title=data["title"], targets=form.targets(), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("admission:plans:detail", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "admission/plan_form.html", {"form": form, "plan": plan}, status=status)


@login_required
@require_safe
def plan_list(request: HttpRequest) -> TemplateResponse:
    plans = selectors.plan_list_for_user(user=request.user).order_by("-year", "org__path")
    can_create = orgs_user_plans_for(request.user).exists()
    return TemplateResponse(request, "admission/plan_list.html", {"plans": plans, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.plan_list_for_user(user=request.user), pk=pk)
    if not can_plan_for(request.user, plan.org):
        raise PermissionDenied(_("You do not act for %(org)s or a committee above it.") % {"org": plan.org})
    return _save(request, plan)


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    plan = get_object_or_404(selectors.plan_list_for_user(user=request.user), pk=pk)
    context = {
        "plan": plan,
        "lines": selectors.plan_progress(plan=plan),
        "can_edit": can_plan_for(request.user, plan.org),
    }
    return TemplateResponse(request, "admission/plan_detail.html", context)
