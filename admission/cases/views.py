"""Pages for candidate cases (hồ sơ quần chúng): the list, the case page with its timeline and eligibility check, and
the two actions that are not flow steps (a review note, closing the case). Out of scope → 404 (selectors); in scope
but not acting for the cell → 403 (services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from admission.decisions import selectors as decision_selectors
from admission.decisions.services.decisions import consent_record
from admission.party import permissions
from admission.sourcing import selectors as sourcing_selectors
from admission.sourcing.eligibility import check_eligibility
from admission.sourcing.forms import (
    CandidateCloseForm,
    CandidateFilterForm,
    ConsentForm,
    EligibilityDateForm,
    ExtensionForm,
    ReviewNoteForm,
)
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_close_everywhere, review_note_add

CANDIDATE_PORTAL = "portal:my_case"

# What each state means for the secretary, in one sentence.
STATE_HELP = {
    CandidateState.NOMINATED: gettext_lazy("Nominated; the cell has not yet decided to put the person on its list."),
    CandidateState.SYMPATHISER: gettext_lazy("On the cell's list of party sympathisers; not yet in a course."),
    CandidateState.IN_TRAINING: gettext_lazy("Attendance at the awareness course is approved."),
    CandidateState.TRAINED: gettext_lazy("Holds the course certificate; the admission dossier can be opened."),
    CandidateState.DOSSIER: gettext_lazy("The admission dossier is being prepared."),
    CandidateState.WITHDRAWN: gettext_lazy("The person withdrew; the case is closed."),
    CandidateState.NOT_ADMITTED: gettext_lazy("The case is closed without admission."),
}


def _case_page(request: HttpRequest, candidate: Candidate, status: int = 200, **forms: Any) -> TemplateResponse:
    """The case page's reads, gathered for the template; `forms` replaces the empty forms after a failed POST."""
    today = permissions.today()
    eligibility_form = EligibilityDateForm(request.GET or None, initial={"date": today})
    overview = decision_selectors.admission_overview(candidate=candidate, on=today)
    acting_orgs = [candidate.cell, *(step.org for step in overview.chain)] if candidate.is_open else []
    context = {
        "candidate": candidate,
        "state_help": STATE_HELP.get(candidate.state, ""),
        "can_act": permissions.can_act_for_org(request.user, candidate.cell),
        "mentors": candidate.mentors.select_related("member__person").order_by("-ended_on", "assigned_on"),
        "unit_view": sourcing_selectors.candidate_seen_by_unit(user=request.user, candidate=candidate),
        "review_notes": candidate.review_notes.select_related("author"),
        "enrollments": candidate.enrollments.select_related("course").order_by("-proposed_on"),
        "certificates": AwarenessCertificate.objects.filter(person=candidate.person).order_by("-issued_on"),
        "timeline": sourcing_selectors.candidate_timeline(candidate=candidate),
        "eligibility_form": eligibility_form,
        "report": check_eligibility(candidate, eligibility_form.meeting_on()),
        "review_form": ReviewNoteForm(initial={"reviewed_on": today}),
        "close_form": CandidateCloseForm(initial={"closed_on": today}),
        "admission": overview,
        "can_record_consent": any(permissions.can_act_for_org(request.user, org) for org in acting_orgs),
        "can_extend": bool(
            overview.last_body
            and candidate.state == CandidateState.PROPOSED
            and not candidate.decision_extension_reason
            and permissions.can_act_for_org(request.user, overview.last_body)
        ),
        "consent_form": ConsentForm(initial={"granted_on": today}),
        "extension_form": ExtensionForm(),
        **forms,
    }
    return TemplateResponse(request, "admission/candidate_detail.html", context, status=status)


@login_required
@require_safe
def candidate_list(request: HttpRequest) -> TemplateResponse:
    form = CandidateFilterForm(request.GET or None, user=request.user)
    cases = form.filter(sourcing_selectors.candidate_list_for_user(user=request.user)).order_by("-opened_on", "code")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return TemplateResponse(request, "admission/candidate_list.html", context)


@login_required
@require_safe
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
    if not sourcing_selectors.candidate_seen_by_unit(user=request.user, candidate=candidate):
        # The candidate themself: the staff page names the helpers, the votes and who did what; their own page
        # (the portal) shows their case in plain words without other people's data.
        return redirect(CANDIDATE_PORTAL, pk=candidate.pk)
    return _case_page(request, candidate)


@login_required
@require_POST
def candidate_review_note(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
    form = ReviewNoteForm(request.POST)
    if form.is_valid():
        try:
            review_note_add(candidate=candidate, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The review note is saved."))
            return redirect("admission:candidates:detail", pk=candidate.pk)
    return _case_page(request, candidate, status=422, review_form=form)


@login_required
@require_POST
def candidate_close(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
    form = CandidateCloseForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            candidate_close_everywhere(
                candidate=candidate,
                withdrawn=form.withdrawn,
                reason=data["reason"],
                on=data["closed_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("admission:candidates:detail", pk=candidate.pk)
    return _case_page(request, candidate, status=422, close_form=form)


@login_required
@require_POST
def candidate_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a higher consent (the cell, or a body of the case's approval chain)."""
    candidate = sourcing_selectors.candidate_get_for_user(user=request.user, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent_record(candidate=candidate, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("admission:candidates:detail", pk=candidate.pk)
    return _case_page(request, candidate, status=422, consent_form=form)


def case_page(request: HttpRequest, candidate: Candidate, status: int = 200, **forms: Any) -> TemplateResponse:
    """The case page, for the flow-aware actions that live in `workflows` (a failed form is shown in place)."""
    return _case_page(request, candidate, status, **forms)
