"""Form pages for the helpers and the recognition dossier: replace a helper, the course certificate, a discipline,
the self-review (10-KNĐ, the member may write it), a helper's comments (11-KNĐ, the helper may write them) and the
compiled opinions (12-KNĐ).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission.dossier.form_pages import Screen
from admission.party import permissions
from admission.probation import services
from admission.probation.forms import (
    CertificateForm,
    DisciplineForm,
    HelperCommentForm,
    HelperReplaceForm,
    ProbationOpinionsEditor,
    SelfReviewForm,
)
from admission.probation.models import HelperComment, NewMemberCertificate, ProbationOpinions, SelfReview
from admission.probation.views.common import _acting, _handle, _is_member, _posted, _probation, _writes_for_helper

# ------------------------------------------------------------------------------------------------------------------
# Form pages: one service each
# ------------------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def helper_replace(request: HttpRequest, pk: int, mentor_pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    mentor = get_object_or_404(probation.helpers().filter(ended_on__isnull=True), pk=mentor_pk)
    form = HelperReplaceForm(_posted(request), probation=probation)
    screen = Screen(
        _("Replace the helper %(name)s") % {"name": mentor.member.person.full_name},
        _("Another official member of the cell helps the member from that day; both assignments stay on record."),
        _("Replace the helper"),
        "helpers",
        _("The helper is replaced."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.helper_replace(probation=probation, mentor=mentor, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_record(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    current = NewMemberCertificate.objects.filter(probation=probation).first()
    initial = {f: getattr(current, f) for f in ("number", "issued_on", "issuer")} if current else {}
    form = CertificateForm(_posted(request), initial=initial)
    screen = Screen(
        _("New-member course certificate"),
        _("The certificate of the political-theory course for new members, the first item of the recognition dossier."),
        _("Save the certificate"),
        "dossier",
        _("The certificate is recorded."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.course_certificate_record(probation=probation, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def discipline_record(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    form = DisciplineForm(_posted(request))
    screen = Screen(
        _("Discipline during probation"),
        _(
            "Record a reprimand or a warning decided during probation. A member no longer worthy is not disciplined "
            "further: the cell proposes the removal from the list."
        ),
        _("Record the discipline"),
        "discipline",
        _("The discipline is recorded."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.discipline_record(probation=probation, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_review_record(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _probation(request, pk)
    if not (_is_member(request.user, probation) or permissions.can_act_for_org(request.user, probation.candidate.cell)):
        raise PermissionDenied(_("Only the member or their cell writes the self-review."))
    current = SelfReview.objects.filter(probation=probation).first()
    initial = {f: getattr(current, f) for f in ("written_on", "strengths", "weaknesses", "remedies")} if current else {}
    form = SelfReviewForm(_posted(request), initial=initial)
    screen = Screen(
        _("Self-review (10-KNĐ)"),
        _(
            "The probationary member reviews their year: strengths, weaknesses and how to remedy them, and asks to "
            "be recognised as an official member. The cell may enter it for them."
        ),
        _("Save the self-review"),
        "dossier",
        _("The self-review is saved."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.self_review_record(probation=probation, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def helper_comment_record(request: HttpRequest, pk: int, mentor_pk: int) -> HttpResponse:
    probation = _probation(request, pk)
    mentor = get_object_or_404(probation.helpers(), pk=mentor_pk)
    if not _writes_for_helper(request.user, probation, mentor):
        raise PermissionDenied(_("Only the helper or the member's cell writes the helper's comments."))
    current = HelperComment.objects.filter(probation=probation, mentor=mentor).first()
    initial: dict[str, Any] = (
        {
            "written_on": current.written_on,
            "assessment": current.assessment,
            "recommends_recognition": "yes" if current.recommends_recognition else "no",
        }
        if current
        else {}
    )
    form = HelperCommentForm(_posted(request), initial=initial)
    screen = Screen(
        _("Comments of the helper %(name)s (11-KNĐ)") % {"name": mentor.member.person.full_name},
        _("The member assigned to help writes what they saw during probation and whether they recommend recognition."),
        _("Save the comments"),
        "dossier",
        _("The helper's comments are saved."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.helper_comment_record(
            probation=probation, mentor=mentor, by=request.user, **form.cleaned_data
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinions_record(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    editor = ProbationOpinionsEditor(
        _posted(request), opinions=ProbationOpinions.objects.filter(probation=probation).first()
    )
    screen = Screen(
        _("Compiled opinions (12-KNĐ)"),
        _(
            "The cell committee compiles the opinions of the socio-political organisations where the member works "
            "and of the party cell where the member lives."
        ),
        _("Save the opinions"),
        "dossier",
        _("The compiled opinions are saved."),
    )
    return _handle(
        request,
        probation,
        editor,
        screen,
        lambda: services.opinions_record(probation=probation, by=request.user, **editor.service_kwargs()),
        can_continue=True,
    )
