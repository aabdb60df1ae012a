"""The probation page: its dates, what happens next and by when (overdue in red), the reminders, the votes, the
dossier checklist, the chain, removals and transfers, and the buttons of those who may act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from admission.decisions.models.meetings import MeetingPurpose, Vote
from admission.party import permissions
from admission.probation import selectors as reads
from admission.probation import services
from admission.probation.models import (
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationOpinions,
    ProbationStatus,
    SelfReview,
)
from admission.probation.views.common import _can_extend, _is_member, _probation, _seen_by_unit, _writes_for_helper
from admission.rules.models.rulesets import VoteBody

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
