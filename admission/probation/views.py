"""Screens of probation and recognition (domain.md §5, forms 10–16-KNĐ): one page per probationer with its dates,
what happens next and by when, the helpers, the recognition dossier, the chain, removals and transfers; and one form
page per action, each posting to one service of `admission.probation.services`.

The flow's own steps (the cell's vote 13-KNĐ, the chain 14–16-KNĐ, receiving a transfer, the committee deciding a
removal or an escalated case) are task pages of `workflows`, reached from the case page's "What is waiting now".

Access: a probation outside the user's units is a 404
(`admission.probation.selectors.probation_get_for_user`, which also lets the member and the cells it was transferred
from read it; a cell the member is being transferred to reads it too).
A user who reads but does not act for the member's cell sees no buttons and gets a 403 on the cell's forms. The
member themself may write their self-review (10-KNĐ), a helper their comments (11-KNĐ), the deciding body extends
its deadline. A form that fails re-renders with status 422 and the reason; a saved one returns to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from admission.decisions.models.meetings import MeetingPurpose, Vote
from admission.dossier.form_pages import FormLike, Screen, handle_form
from admission.party import permissions
from admission.probation import selectors as reads
from admission.probation import services
from admission.probation.forms import (
    CertificateForm,
    DecisionExtendForm,
    DisciplineForm,
    HelperCommentForm,
    HelperReplaceForm,
    ProbationOpinionsEditor,
    RemovalProposeForm,
    SelfReviewForm,
    TransferOutForm,
)
from admission.probation.models import (
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationOpinions,
    ProbationStatus,
    SelfReview,
    TransferStatus,
)
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import Mentor

FORM_TEMPLATE = "admission/probation/form.html"


def _probation(request: HttpRequest, pk: int) -> Probation:
    """The probation of case `pk` as the user may read it; a cell the member is moving to reads it before receipt."""
    try:
        return reads.probation_get_for_user(user=request.user, candidate_pk=pk)
    except Http404:
        transfer = (
            reads.transfer_list_for_user(user=request.user)
            .filter(probation__candidate_id=pk, status=TransferStatus.PENDING)
            .first()
        )
        if transfer is None:
            raise
        return transfer.probation


def _seen_by_unit(user: Any, probation: Probation) -> bool:
    """Read through the user's units (the current cell, a former or a receiving cell), not only as the member."""
    if Probation.objects.filter(permissions.scope_q(user, field="candidate__cell__path"), pk=probation.pk).exists():
        return True
    in_scope = permissions.scope_q(user, field="from_cell__path") | permissions.scope_q(user, field="to_cell__path")
    return probation.transfers.filter(in_scope).exists()


def _is_member(user: Any, probation: Probation) -> bool:
    owner = probation.candidate.person.user_id
    return owner is not None and owner == getattr(user, "pk", None)


def _writes_for_helper(user: Any, probation: Probation, mentor: Mentor) -> bool:
    helper_user = mentor.member.person.user_id
    own = helper_user is not None and helper_user == getattr(user, "pk", None)
    return own or permissions.can_act_for_org(user, probation.candidate.cell)


def _can_extend(user: Any, probation: Probation) -> bool:
    """The deciding body, while the case waits for its decision and the deadline was not extended yet."""
    if not probation.is_open or probation.decision_extension_reason:
        return False
    if services.cell_resolution(probation) is None or services.next_step(probation) is None:
        return False
    return permissions.can_act_for_org(user, services.deciding_org(probation, permissions.today()))


def _acting(request: HttpRequest, pk: int) -> Probation:
    """The probation, for a user who acts for the member's cell: 404 outside the user's units, 403 when reading."""
    probation = _probation(request, pk)
    permissions.require_act_for_org(request.user, probation.candidate.cell)
    return probation


def probation_url(probation: Probation, anchor: str = "") -> str:
    url = reverse("admission:candidates:probation", args=[probation.candidate_id])
    return f"{url}#{anchor}" if anchor else url


# ------------------------------------------------------------------------------------------------------------------
# The probation page
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextItem:
    """What happens next: what, by whom, by when; overdue when the day is past."""

    text: str
    due_on: date | None = None
    overdue: bool = False


def _next_items(probation: Probation, dates: reads.ProbationDates) -> list[NextItem]:
    d = dates.deadlines
    transfer = services.pending_transfer(probation)
    if transfer is not None:
        return [
            NextItem(
                _("%(cell)s receives the member and completes the recognition.") % {"cell": transfer.to_cell},
                d.transfer_due,
                bool(d.transfer_due and permissions.today() > d.transfer_due),
            )
        ]
    removal = services.pending_removal(probation)
    if removal is not None:
        return [
            NextItem(
                _("The competent committee (%(org)s) decides the removal proposed on %(day)s.")
                % {
                    "org": services.deciding_org(probation, permissions.today()),
                    "day": removal.proposed_on.strftime("%d/%m/%Y"),
                }
            )
        ]
    if probation.escalated_on:
        return [
            NextItem(
                _("Three votes reached no conclusion: %(org)s decides the recognition or the removal.")
                % {"org": probation.escalated_to}
            )
        ]
    step = services.next_step(probation)
    if step is not None:
        return [
            NextItem(
                _("%(form)s by %(org)s (the decision within the deadline counted from the cell's resolution).")
                % {"form": step.form, "org": step.org},
                d.decision_due,
                dates.decision_overdue,
            )
        ]
    items = []
    if probation.status == ProbationStatus.RUNNING:
        items.append(
            NextItem(
                _("Probation runs until %(day)s; meanwhile the cell completes the recognition dossier.")
                % {"day": probation.ends_on.strftime("%d/%m/%Y")}
            )
        )
    items.append(
        NextItem(
            _(
                "From the day probation ends, the cell meets and votes on recognition (13-KNĐ), or proposes the "
                "removal."
            ),
            d.cell_due,
            dates.cell_overdue,
        )
    )
    return items


@dataclass(frozen=True)
class ReminderRow:
    days_before: int
    on: date
    sent: bool
    planned: bool


def _reminders(probation: Probation, dates: reads.ProbationDates) -> list[ReminderRow]:
    """Each reminder day, sent (the timer remembers the closest one sent; the earlier ones went before it)."""
    last = probation.last_reminder_days
    today = permissions.today()
    return [
        ReminderRow(r.days_before, r.on, last is not None and r.days_before >= last, r.on > today)
        for r in dates.deadlines.reminders
    ]


@dataclass(frozen=True)
class VoteRow:
    vote: Vote
    outcome: str  # services.VoteOutcome for the cell's votes, "" for a committee's

    @property
    def outcome_label(self) -> str:
        return str(services.VoteOutcome(self.outcome).label) if self.outcome else ""


def _votes(probation: Probation) -> list[VoteRow]:
    votes = (
        Vote.objects.filter(
            candidate=probation.candidate,
            meeting__purpose=MeetingPurpose.RECOGNITION,
            meeting__held_on__gte=probation.starts_on,
        )
        .select_related("meeting__org", "rule_set")
        .order_by("meeting__held_on", "pk")
    )
    return [VoteRow(v, services.recognition_vote_outcome(v) if v.meeting.body == VoteBody.CELL else "") for v in votes]


@dataclass(frozen=True)
class DossierItem:
    code: str
    form: str
    title: Any
    done: bool


def _dossier_items(
    certificate: Any, self_review: Any, comments: list[HelperComment], opinions: Any
) -> list[DossierItem]:
    return [
        DossierItem("certificate", "", gettext_lazy("New-member course certificate"), certificate is not None),
        DossierItem("self-review", "10-KNĐ", gettext_lazy("Self-review"), self_review is not None),
        DossierItem("helper-comments", "11-KNĐ", gettext_lazy("Helper's comments"), bool(comments)),
        DossierItem("opinions", "12-KNĐ", gettext_lazy("Compiled opinions"), opinions is not None),
    ]


@login_required
@require_safe
def probation_page(request: HttpRequest, pk: int) -> TemplateResponse:
    probation = _probation(request, pk)
    user = request.user
    dates = reads.probation_dates(probation=probation)
    certificate = NewMemberCertificate.objects.filter(probation=probation).first()
    self_review = SelfReview.objects.filter(probation=probation).first()
    comments = list(probation.helper_comments.select_related("mentor__member__person"))
    opinions = ProbationOpinions.objects.filter(probation=probation).first()
    helpers = list(probation.helpers().order_by("ended_on", "assigned_on", "pk"))
    can_act = probation.is_open and permissions.can_act_for_org(user, probation.candidate.cell)
    context = {
        "candidate": probation.candidate,
        "probation": probation,
        "dates": dates,
        "today": permissions.today(),
        "days_ago": -dates.days_left,
        "next_items": _next_items(probation, dates) if probation.is_open else [],
        "reminders": _reminders(probation, dates),
        "helpers": helpers,
        "comment_of": {c.mentor_id: c for c in comments},
        "helper_writes": {m.pk for m in helpers if probation.is_open and _writes_for_helper(user, probation, m)},
        "certificate": certificate,
        "disciplines": list(probation.disciplines.all()),
        "self_review": self_review,
        "comments": comments,
        "opinions": opinions,
        "dossier_items": _dossier_items(certificate, self_review, comments, opinions),
        "missing": services.recognition_dossier_missing(probation),
        "votes": _votes(probation),
        "steps": list(probation.steps.select_related("org", "vote")),
        "inconclusive": services.inconclusive_votes(probation),
        "removals": list(probation.removals.select_related("proposed_by_org", "decided_by_org")),
        "transfers": list(probation.transfers.select_related("from_cell", "to_cell")),
        "unit_view": _seen_by_unit(user, probation),
        "is_member": _is_member(user, probation),
        "can_act": can_act,
        "can_self_review": probation.is_open and (can_act or _is_member(user, probation)),
        "can_extend": _can_extend(user, probation),
        "can_propose_removal": can_act and services.pending_removal(probation) is None and not probation.escalated_on,
        "can_transfer": can_act and services.pending_transfer(probation) is None,
    }
    return TemplateResponse(request, "admission/probation/page.html", context)


# ------------------------------------------------------------------------------------------------------------------
# Form pages: one service each
# ------------------------------------------------------------------------------------------------------------------


def _handle(
    request: HttpRequest,
    probation: Probation,
    form: FormLike,
    screen: Screen,
    action: Callable[[], object],
    **extra: Any,
) -> HttpResponse:
    """Validate, call the one service, answer: the page with a message, or the form again with 422."""
    return handle_form(
        request,
        form=form,
        screen=screen,
        action=action,
        back_url=probation_url(probation, screen.anchor),
        template=FORM_TEMPLATE,
        context={"candidate": probation.candidate, "probation": probation, **extra},
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


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


@login_required
@require_http_methods(["GET", "POST"])
def removal_propose(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    form = RemovalProposeForm(_posted(request))
    screen = Screen(
        _("Propose the removal from the list"),
        _(
            "The cell proposes to remove the probationary member from the list of party members (xóa tên). The "
            "competent committee decides; the case then waits for its decision."
        ),
        _("Propose the removal"),
        "removals",
        _("The removal is proposed to the competent committee."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.removal_propose(probation=probation, by=request.user, **form.cleaned_data),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_out(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _acting(request, pk)
    form = TransferOutForm(_posted(request), probation=probation)
    screen = Screen(
        _("Transfer the member to another cell"),
        _(
            "The member moves during probation. Choose the receiving cell of this system, which will complete the "
            "recognition with your comments attached; or name the party organisation outside this system, and the "
            "case closes here."
        ),
        _("Transfer the member"),
        "transfers",
        _("The transfer is recorded."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.transfer_out(probation=probation, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_extend(request: HttpRequest, pk: int) -> HttpResponse:
    probation = _probation(request, pk)
    if not permissions.can_act_for_org(request.user, services.deciding_org(probation, permissions.today())):
        raise PermissionDenied(_("Only the committee that decides the recognition extends its deadline."))
    form = DecisionExtendForm(_posted(request))
    deadlines = services.probation_deadlines(probation.candidate)
    screen = Screen(
        _("Extend the recognition decision's deadline"),
        _("In special cases the deciding committee may take up to 30 more working days, once, giving the reason."),
        _("Extend the deadline"),
        "next",
        _("The decision's deadline is extended."),
    )
    return _handle(
        request,
        probation,
        form,
        screen,
        lambda: services.recognition_decision_extend(probation=probation, by=request.user, **form.cleaned_data),
        decision_due=deadlines.decision_due,
    )
