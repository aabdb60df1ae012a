"""Pages for the awareness course (lớp bồi dưỡng nhận thức về Đảng): the list, creating a course, a course's page.

Enrollments are shown only for candidates within the user's units: a course run by the province is visible to a
cell, but the other communes' candidates on it are not.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from admission.sourcing import selectors
from admission.sourcing.forms import CourseForm, orgs_user_acts_for
from admission.sourcing.models.training import EnrollmentState
from admission.sourcing.services.training import course_create


@login_required
@require_safe
def course_list(request: HttpRequest) -> TemplateResponse:
    courses = selectors.course_list_for_user(user=request.user).order_by("-starts_on", "name")
    can_create = orgs_user_acts_for(request.user).exists()
    return TemplateResponse(request, "admission/course_list.html", {"courses": courses, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def course_add(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = course_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The course is created."))
            return redirect("admission:courses:detail", pk=course.pk)
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "admission/course_form.html", {"form": form}, status=status)


@login_required
@require_safe
def course_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    course = get_object_or_404(selectors.course_list_for_user(user=request.user), pk=pk)
    taken = course.enrollments.filter(state__in=EnrollmentState.taking_a_place()).count()
    visible = course.enrollments.filter(candidate__in=selectors.candidate_list_for_user(user=request.user))
    context = {
        "course": course,
        "taken": taken,
        "places_left": max(course.capacity - taken, 0),
        "enrollments": visible.select_related("candidate__person", "candidate__cell").order_by("state", "pk"),
        "hidden": course.enrollments.count() - visible.count(),
    }
    return TemplateResponse(request, "admission/course_detail.html", context)
