"""Writes on probation and recognition (domain.md §5), with the deadlines and the timer's to-do list, one submodule
per part of the work: `dossier` opens the probation at the ceremony (`ceremony_hold`, `probation_start`), assigns
and replaces the helpers and records the recognition dossier (certificate, discipline, 10–12-KNĐ); `deadlines` holds
the dates of a probation, the reads of where a case stands (pending transfer or removal, the chain's waiting step)
and the timer's to-do list; `recognition` the cell's vote (13-KNĐ), the chain (14–16-KNĐ), the decision and its
extension; `removal` the removal from the list and the escalated case; `transfers` the move to another cell;
`base` the checks they share (and the removal proposal the vote, the chain and the committee go through). The names
callers use are re-exported here: `from admission.probation import services` keeps working.
"""

from __future__ import annotations

from admission.probation.services.base import require_probationary
from admission.probation.services.deadlines import (
    DueAction,
    ProbationDeadlines,
    Reminder,
    TimerAction,
    cell_resolution,
    current_round,
    next_step,
    pending_removal,
    pending_transfer,
    probation_actions_due,
    probation_actions_on,
    probation_cell_due,
    probation_deadlines,
    probation_decision_due,
    probation_open_recognition,
    probation_reminder_mark,
    probation_reminders_mark,
)
from admission.probation.services.dossier import (
    ceremony_hold,
    course_certificate_record,
    discipline_record,
    helper_assign,
    helper_comment_record,
    helper_replace,
    opinions_record,
    probation_start,
    recognition_dossier_missing,
    self_review_record,
)
from admission.probation.services.recognition import (
    VoteOutcome,
    VoteResult,
    deciding_org,
    inconclusive_votes,
    recognition_decision_extend,
    recognition_step_complete,
    recognition_step_refuse,
    recognition_vote_outcome,
    recognition_vote_record,
)
from admission.probation.services.removal import escalation_decide, removal_decide, removal_propose
from admission.probation.services.transfers import transfer_in, transfer_out

__all__ = [
    "DueAction",
    "ProbationDeadlines",
    "Reminder",
    "TimerAction",
    "VoteOutcome",
    "VoteResult",
    "cell_resolution",
    "ceremony_hold",
    "course_certificate_record",
    "current_round",
    "deciding_org",
    "discipline_record",
    "escalation_decide",
    "helper_assign",
    "helper_comment_record",
    "helper_replace",
    "inconclusive_votes",
    "next_step",
    "opinions_record",
    "pending_removal",
    "pending_transfer",
    "probation_actions_due",
    "probation_actions_on",
    "probation_cell_due",
    "probation_deadlines",
    "probation_decision_due",
    "probation_open_recognition",
    "probation_reminder_mark",
    "probation_reminders_mark",
    "probation_start",
    "recognition_decision_extend",
    "recognition_dossier_missing",
    "recognition_step_complete",
    "recognition_step_refuse",
    "recognition_vote_outcome",
    "recognition_vote_record",
    "removal_decide",
    "removal_propose",
    "require_probationary",
    "self_review_record",
    "transfer_in",
    "transfer_out",
]
