"""The stages of a case in plain words, for the candidate and for the public lookup (no jargon, no form numbers
where a form number would only puzzle the reader).

The stages are the case's lifecycle states (`CandidateState`, one source of truth) in the order a case walks them
(domain.md §3–§5); the closing states end the walk early. The texts are English msgids, shown in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from admission.sourcing.models.candidates import CandidateState

S = CandidateState


@dataclass(frozen=True)
class Stage:
    state: str
    title: Promise
    explanation: Promise  # what happens at this stage
    for_you: Promise | str = ""  # what the candidate does at this stage, if anything


# The path of a case that goes all the way (domain.md §3 rows 0–11, §4, §5). A course certificate obtained elsewhere
# skips the course stage; that stage is then shown as passed without a date.
PATH: tuple[Stage, ...] = (
    Stage(
        S.NOMINATED,
        _("Put forward as a candidate"),
        _(
            "The party cell or an organisation such as the Youth Union has put your name forward. The cell will "
            "meet to decide whether to add you to the list of people it prepares for the Party."
        ),
        _("Nothing for now: keep up your work and study."),
    ),
    Stage(
        S.SYMPATHISER,
        _("On the cell's list"),
        _(
            "The cell has added you to its list and named party members to help you. The next step is a short "
            "course about the Party."
        ),
        _("Talk with the members who help you and wait for the invitation to the course."),
    ),
    Stage(
        S.IN_TRAINING,
        _("At the course about the Party"),
        _("Your place on the course about the Party is approved. At the end of the course you receive a certificate."),
        _("Attend every session of the course."),
    ),
    Stage(
        S.TRAINED,
        _("Course completed"),
        _(
            "You hold the course certificate. It is valid only for a limited time, so the cell opens your "
            "admission file soon after."
        ),
        _("Keep your certificate safe."),
    ),
    Stage(
        S.DOSSIER,
        _("Preparing your admission file"),
        _(
            "The cell puts your admission file together: your application, your life history (CV), checks of your "
            "background and family, and introductions by party members."
        ),
        _("Write your application by hand, fill in your CV, and give both to the cell secretary."),
    ),
    Stage(
        S.PROPOSED,
        _("The cell voted; the committees above decide"),
        _(
            "The cell met and voted to propose you. The party committees above the cell now study your file and "
            "decide, within a time limit set by the regulations."
        ),
        _("Nothing for now: a committee may invite you to talk."),
    ),
    Stage(
        S.ADMITTED,
        _("Admission decided"),
        _(
            "The competent committee has decided to admit you. The cell holds the admission ceremony, where you "
            "take the oath, within a time limit set by the regulations."
        ),
        _("Get ready for the ceremony: the cell will tell you the date."),
    ),
    Stage(
        S.PROBATIONARY,
        _("Probationary member"),
        _(
            "You are a probationary member from the ceremony to the end date shown here (the length is set by the "
            "regulations), helped by party members. When it ends, the cell considers recognising you as a full member."
        ),
        _("Attend the course for new members and, near the end, write your self-review."),
    ),
    Stage(
        S.OFFICIAL,
        _("Full party member"),
        _("You are recognised as a full member of the Party, from the day your probation ended."),
    ),
)

# Where a case may stop before the end of the path.
CLOSING: dict[str, Stage] = {
    stage.state: stage
    for stage in (
        Stage(S.WITHDRAWN, _("Closed at your request"), _("The case was closed because you withdrew.")),
        Stage(
            S.NOT_ADMITTED,
            _("Closed without admission"),
            _("The case was closed without admission. You may be put forward again later: ask the cell secretary."),
        ),
        Stage(
            S.REMOVED,
            _("Removed from the list of probationary members"),
            _("The competent committee decided to end your probation without recognition."),
        ),
        Stage(
            S.TRANSFERRED_OUT,
            _("Moved to another party unit"),
            _("Your probation continues in the party unit you moved to; it follows your case from now on."),
        ),
    )
}

PATH_STATES: tuple[str, ...] = tuple(stage.state for stage in PATH)
BY_STATE: dict[str, Stage] = {**{stage.state: stage for stage in PATH}, **CLOSING}


def stage_of(state: str) -> Stage:
    return BY_STATE[state]


def next_stage(state: str) -> Stage | None:
    """The stage after `state` on the path (None at the end of the path or for a closed case)."""
    if state not in PATH_STATES:
        return None
    index = PATH_STATES.index(state)
    return PATH[index + 1] if index + 1 < len(PATH) else None


# What is happening now, by the open task's node (workflows/flows.py), in plain words.
TASK_TEXT: dict[str, Promise] = {
    "list_sympathiser": _("The cell decides at a meeting whether to add you to its list."),
    "assign_mentors": _("The cell names the party members who will help you."),
    "propose_training": _("The cell proposes you for the course about the Party."),
    "approve_attendance": _("The committee above the cell approves your place on the course."),
    "record_result": _("The course organisers record your result."),
    "open_dossier": _("The cell opens your admission file."),
    "prepare_dossier": _("The cell gathers the papers of your admission file."),
    "cell_vote": _("The cell meets and votes on your admission."),
    "chain_step": _("A committee above the cell studies your file."),
    "receive_decision": _("The cell receives the written decision on your admission."),
    "ceremony": _("The cell holds your admission ceremony."),
    # Probation (the probation flow): neutral words, the decision itself is told when it is made.
    "recognition_vote": _("The cell meets and votes on recognising you as a full member."),
    "recognition_step": _("A committee above the cell decides on your recognition."),
    "receive_transfer": _("The party unit you moved to takes over your probation."),
    "decide_removal": _("The competent committee decides on the cell's proposal about your probation."),
    "decide_escalation": _("The competent committee decides on the cell's proposal about your probation."),
}
