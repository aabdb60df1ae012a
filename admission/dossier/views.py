"""Screens of the admission dossier (1-KNĐ to 5-KNĐ, domain.md §2.4–2.5, §6): one page per case with the checklist
and the records, and one form page per action, each posting to one service of `admission.dossier.services`.

Access as on the case page: a case outside the user's units is a 404 (selectors); a user in scope who does not act
for the case's cell sees the dossier without buttons and gets a 403 on any form (checked here before the form, and
again by the service). An applicant reading their own case sees where each item stands, not the units' assessments
(verification results, introducers, organisations' opinions), as in the API. A form that fails re-renders with
status 422 and the reason; a saved one goes back to the dossier with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from admission.core.files import missing_file_response, open_or_none
from admission.dossier import checklist as dossier
from admission.dossier import services
from admission.dossier.form_pages import FormLike, Screen, handle_form
from admission.dossier.forms import (
    ApplicationForm,
    CertificationForm,
    CheckReplyForm,
    CheckRequestForm,
    CurriculumEditor,
    IntroductionForm,
    IntroductionReplaceForm,
    MassOrgResolutionForm,
    OpinionsEditor,
    SealForm,
)
from admission.dossier.models import (
    Application,
    BackgroundCheck,
    Curriculum,
    Introduction,
    MassOrgResolution,
    OpinionSummary,
)
from admission.party import permissions
from admission.sourcing import selectors
from admission.sourcing.forms import EligibilityDateForm
from admission.sourcing.models.candidates import Candidate, CandidateState

# What the party units write about the applicant; the applicant sees only where these items stand (as the API).
FORM_TEMPLATE = "admission/dossier/form.html"
SCAN_MODELS: dict[str, type[models.Model]] = {
    "application": Application,
    "curriculum": Curriculum,
    "check": BackgroundCheck,
    "introduction": Introduction,
    "mass_org": MassOrgResolution,
    "opinions": OpinionSummary,
}


def _case(request: HttpRequest, pk: int) -> Candidate:
    return selectors.candidate_get_for_user(user=request.user, pk=pk)


def _acting_case(request: HttpRequest, pk: int) -> Candidate:
    """The case, for a user who acts for its cell: 404 outside the user's units, 403 when only reading."""
    candidate = _case(request, pk)
    permissions.require_act_for_org(request.user, candidate.cell)
    return candidate


def dossier_url(candidate: Candidate, anchor: str = "") -> str:
    url = reverse("admission:candidates:dossier", args=[candidate.pk])
    return f"{url}#item-{anchor}" if anchor else url


# ------------------------------------------------------------------------------------------------------------------
# The dossier page
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntroductionRow:
    introduction: Introduction
    verdicts: list[Any]

    @property
    def eligible(self) -> bool:
        return all(v.passed for v in self.verdicts)


def _records(candidate: Candidate, on: date) -> dict[str, Any]:
    """The dossier's records, read for the page (the checklist reads them again by date)."""
    today = permissions.today()
    introductions = candidate.introductions.select_related(
        "introducer__person", "introducer__cell", "candidate__rule_set", "replaced_by__introducer__person"
    )
    return {
        "application": Application.objects.filter(candidate=candidate).first(),
        "curriculum": Curriculum.objects.filter(candidate=candidate).prefetch_related("relatives").first(),
        "checks": candidate.background_checks.select_related("relative").order_by("pk"),
        "introductions": [IntroductionRow(i, dossier.introduction_verdicts(i, meeting_on=on)) for i in introductions],
        "resolution": MassOrgResolution.objects.filter(candidate=candidate).first(),
        "summary": OpinionSummary.objects.filter(candidate=candidate).first(),
        "replaced_papers": services.replaced_papers(candidate),
        "redo_papers": [str(paper) for paper in services.REDO_PAPERS],
        "introducers_needed": dossier.introducers_needed(candidate, on),
        # The services count today's introductions against today's need: the button follows them.
        "introduction_wanted": len(dossier.active_introductions(candidate, today))
        < dossier.introducers_needed(candidate, today),
    }


@login_required
@require_safe
def dossier_page(request: HttpRequest, pk: int) -> TemplateResponse:
    candidate = _case(request, pk)
    date_form = EligibilityDateForm(request.GET or None, initial={"date": permissions.today()})
    on = date_form.meeting_on()
    unit_view = selectors.candidate_seen_by_unit(user=request.user, candidate=candidate)
    items = dossier.dossier_checklist(candidate, on)
    if not unit_view:
        items = [_as_seen_by_the_applicant(item) for item in items]
    context = {
        "candidate": candidate,
        "on": on,
        "is_today": on == permissions.today(),
        "date_form": date_form,
        "items": items,
        "complete": all(item.done for item in items),
        "not_ready": sum(1 for item in items if not item.done),
        "unit_view": unit_view,
        "at_dossier_step": candidate.state == CandidateState.DOSSIER,
        "can_edit": candidate.state == CandidateState.DOSSIER
        and permissions.can_act_for_org(request.user, candidate.cell),
        **_records(candidate, on),
    }
    return TemplateResponse(request, "admission/dossier/page.html", context)


def _as_seen_by_the_applicant(item: dossier.ChecklistItem) -> dossier.ChecklistItem:
    return replace(item, reason=item.status_label) if item.code in dossier.INTERNAL_ITEMS else item


@login_required
@require_safe
def dossier_scan(request: HttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponseBase:
    """A scan of the dossier, for the party units in scope only (not a public media URL)."""
    candidate = _case(request, pk)
    model = SCAN_MODELS.get(kind)
    if model is None or not selectors.candidate_seen_by_unit(user=request.user, candidate=candidate):
        raise Http404
    record = get_object_or_404(model, pk=obj_pk, candidate=candidate)
    scan = record.scan  # type: ignore[attr-defined]
    if not scan:
        raise Http404
    handle = open_or_none(scan)
    if handle is None:  # the record names a scan the file store does not hold (a lost disk, a partial restore)
        return missing_file_response(
            request,
            _(
                "The scan of this record was not found in the file store. Upload it again, or ask the administrator "
                "to restore the files from the backup."
            ),
            back_url=reverse("admission:candidates:dossier", kwargs={"pk": candidate.pk}),
        )
    return FileResponse(handle, filename=Path(scan.name).name)


# ------------------------------------------------------------------------------------------------------------------
# Form pages: one service each
# ------------------------------------------------------------------------------------------------------------------


def _handle(
    request: HttpRequest,
    candidate: Candidate,
    form: FormLike,
    screen: Screen,
    action: Callable[[], object],
    **extra: Any,
) -> HttpResponse:
    """Validate, call the one service, answer: the dossier with a message, or the form again with 422."""
    return handle_form(
        request,
        form=form,
        screen=screen,
        action=action,
        back_url=dossier_url(candidate, screen.anchor),
        template=FORM_TEMPLATE,
        context={"candidate": candidate, **extra},
    )


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@login_required
@require_http_methods(["GET", "POST"])
def application_record(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    application = Application.objects.filter(candidate=candidate).first()
    initial = (
        {"written_on": application.written_on, "received_on": application.received_on}
        if application
        else {"received_on": permissions.today()}
    )
    form = ApplicationForm(*_posted(request), initial=initial)
    screen = Screen(
        _("Application to join the Party (1-KNĐ)"),
        _("The applicant writes the application by hand; record its date, the day the cell received it, and its scan."),
        _("Save the application"),
        "application",
        _("The application is recorded."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.application_record(candidate=candidate, by=request.user, **form.cleaned_data),
        current=application,
        scan_kind="application",
    )


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_record(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    curriculum = Curriculum.objects.filter(candidate=candidate).prefetch_related("relatives").first()
    editor = CurriculumEditor(*_posted(request), curriculum=curriculum, name=candidate.person.full_name)
    screen = Screen(
        _("CV of the applicant (2-KNĐ)"),
        _(
            "Copy the CV the applicant declared, with the whole family. Once the cell and the grassroots committee "
            "stamp across its page joins, the CV can no longer be changed."
        ),
        _("Save the CV"),
        "curriculum",
        _("The CV is saved."),
    )
    return _handle(
        request,
        candidate,
        editor,
        screen,
        lambda: services.curriculum_record(candidate=candidate, by=request.user, **editor.service_kwargs()),
        current=curriculum,
        scan_kind="curriculum",
        can_continue=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_seal(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    form = SealForm(*_posted(request), initial={"sealed_on": permissions.today()})
    screen = Screen(
        _("Stamp across the CV's page joins"),
        _(
            "The cell and the grassroots committee stamp across the page joins of the CV before the verification "
            "(06-HD/TW item 3.4.d). After this the CV is frozen, and one verification is prepared for the applicant "
            "and for each relative to verify."
        ),
        _("Confirm the stamp"),
        "verification",
        _("The CV is stamped; the verification can start."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.curriculum_seal(candidate=candidate, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_certify(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    curriculum = get_object_or_404(Curriculum, candidate=candidate)
    form = CertificationForm(
        *_posted(request),
        initial={
            "cell_comment": curriculum.cell_comment,
            "cell_commented_on": curriculum.cell_commented_on,
            "committee_certification": curriculum.committee_certification,
            "committee_certified_on": curriculum.committee_certified_on,
        },
    )
    screen = Screen(
        _("Comment and certification of the CV"),
        _(
            "Written only after every verification reply is back: first the cell committee's comment, then the "
            "grassroots committee's certification. Each with its date."
        ),
        _("Save"),
        "curriculum",
        _("The comment and certification are saved."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.curriculum_certify(candidate=candidate, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_request(request: HttpRequest, pk: int, check_pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    check = get_object_or_404(candidate.background_checks, pk=check_pk)
    form = CheckRequestForm(
        *_posted(request),
        initial={
            "method": check.method or None,
            "request_sent_on": check.request_sent_on or permissions.today(),
            "addressed_to": check.addressed_to,
        },
    )
    screen = Screen(
        _("Verification request: %(name)s") % {"name": check.subject_name},
        _("Record the official letter sent, or the member sent in person, to verify this person."),
        _("Save the request"),
        "verification",
        _("The verification request is recorded."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.background_check_request(check=check, by=request.user, **form.cleaned_data),
        check=check,
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_reply(request: HttpRequest, pk: int, check_pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    check = get_object_or_404(candidate.background_checks, pk=check_pk)
    form = CheckReplyForm(
        *_posted(request),
        initial={
            "reply_received_on": check.reply_received_on or permissions.today(),
            "result": check.result or None,
            "note": check.note,
        },
    )
    screen = Screen(
        _("Verification reply: %(name)s") % {"name": check.subject_name},
        _("Record the reply (or the written report of the member sent), its result and its scan."),
        _("Save the reply"),
        "verification",
        _("The verification reply is recorded."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.background_check_reply(check=check, by=request.user, **form.cleaned_data),
        check=check,
        current=check,
        scan_kind="check",
    )


@login_required
@require_http_methods(["GET", "POST"])
def introduction_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    form = IntroductionForm(*_posted(request), user=request.user, initial={"written_on": permissions.today()})
    screen = Screen(
        _("Introduction by an official member (3-KNĐ)"),
        _(
            "The introducer must be an official member who has worked, studied or lived with the applicant in the same "
            "unit for the months the rules require, counted on the day of the cell meeting."
        ),
        _("Save the introduction"),
        "introductions",
        _("The introduction is recorded."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.introduction_add(candidate=candidate, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def introduction_replace(request: HttpRequest, pk: int, introduction_pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    old = get_object_or_404(candidate.introductions.select_related("introducer__person"), pk=introduction_pk)
    form = IntroductionReplaceForm(*_posted(request), user=request.user, initial={"written_on": permissions.today()})
    screen = Screen(
        _("Replace the introducer %(name)s") % {"name": old.introducer.person.full_name},
        _("Another official member who meets the same conditions writes a new introduction (3-KNĐ)."),
        _("Replace the introducer"),
        "introductions",
        _("The introducer is replaced."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.introduction_replace(introduction=old, by=request.user, **form.cleaned_data),
        replaced=old,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mass_org_resolution_record(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    resolution = MassOrgResolution.objects.filter(candidate=candidate).first()
    initial: dict[str, Any] = (
        {f: getattr(resolution, f) for f in ("kind", "body_name", "number", "adopted_on")} if resolution else {}
    )
    form = MassOrgResolutionForm(*_posted(request), initial=initial)
    screen = Screen(
        _("Youth Union or trade-union resolution (4-KNĐ)"),
        _(
            "The resolution of the grassroots Youth Union (or trade-union) executive committee introducing the "
            "applicant takes the place of one of the two introducers."
        ),
        _("Save the resolution"),
        "mass_org_resolution",
        _("The resolution is recorded."),
    )
    return _handle(
        request,
        candidate,
        form,
        screen,
        lambda: services.mass_org_resolution_record(candidate=candidate, by=request.user, **form.cleaned_data),
        current=resolution,
        scan_kind="mass_org",
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinions_record(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _acting_case(request, pk)
    summary = OpinionSummary.objects.filter(candidate=candidate).first()
    editor = OpinionsEditor(*_posted(request), summary=summary)
    screen = Screen(
        _("Compiled opinions (5-KNĐ)"),
        _(
            "The cell committee compiles the opinions of the socio-political organisations where the applicant works "
            "and of the party cell where the applicant lives."
        ),
        _("Save the opinions"),
        "opinions",
        _("The compiled opinions are saved."),
    )
    return _handle(
        request,
        candidate,
        editor,
        screen,
        lambda: services.opinions_record(candidate=candidate, by=request.user, **editor.service_kwargs()),
        current=summary,
        scan_kind="opinions",
        can_continue=True,
    )
