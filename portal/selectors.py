"""Reads for the candidate portal and the public lookup.

Scope: the portal shows a user the cases of the person their login is linked to (`Person.user`) and nothing else —
not the cases their roles would show them elsewhere — so a secretary, an approver or an outsider gets a 404 for
anybody's case here. What a candidate sees of their own case leaves out other people: no names of members, helpers,
introducers, relatives or voters, no votes, no internal notes or reasons; the dossier items the party prepares
(background checks, introductions, opinions) appear as a status only (admission.dossier.checklist.INTERNAL_ITEMS).

The facts come from their one source each: the stage from `Candidate.state`, its dated history from django-fsm-log
(`admission.sourcing.selectors.candidate_timeline`), what is being done and by when from the case's open viewflow task
(`workflows.services.open_tasks`), the regulation deadlines from
`admission.decisions.services.decisions.admission_deadlines` and, during probation,
`admission.probation.services.probation_deadlines`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admission.dossier.checklist import ItemStatus, dossier_checklist
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.probation.models import ProbationStatus
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.selectors import candidate_timeline
from portal import stages
from portal.stages import Stage

S = CandidateState

# The generated forms a candidate may download from the portal: their own papers, as drafts to copy or check, and
# their course certificate. Everything else in the file is the party's.
PORTAL_FORMS = ("CN-NTVĐ", "1-KNĐ", "2-KNĐ")


def case_list_for_candidate(*, user: Any) -> QuerySet[Candidate]:
    """The cases of the person linked to this login, newest first; empty for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return Candidate.objects.none()
    return (
        Candidate.objects.filter(person__user=user)
        .select_related("person", "cell", "rule_set")
        .order_by("-opened_on", "-attempt", "-pk")
    )


def case_get_for_candidate(*, user: Any, pk: int | str) -> Candidate:
    try:
        return case_list_for_candidate(user=user).get(pk=pk)
    except (Candidate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# ------------------------------------------------------------------------------------------------------------------
# Where the case stands (shared by the portal and the public lookup)
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """An open step of the case, in plain words."""

    text: str
    acting_org: str
    due_on: date | None


@dataclass(frozen=True)
class Position:
    stage: Stage
    entered_on: date | None
    due_on: date | None  # the current step's due date, if the regulations or the rule set give one
    next: Stage | None
    next_expected_on: date | None
    closed_on: date | None
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def is_closed(self) -> bool:
        return self.stage.state in stages.CLOSING or self.stage.state == S.OFFICIAL


def _day(moment: Any) -> date:
    return timezone.localtime(moment).date()


def entered_dates(candidate: Candidate, timeline: list[Any]) -> dict[str, date]:
    """The day the case last entered each state (a case sent back enters a state twice: the later day counts)."""
    days: dict[str, date] = {S.NOMINATED: candidate.nominated_on}
    for entry in timeline:
        days[entry.state] = _day(entry.at)
    return days


def _open_tasks(candidate: Candidate) -> list[Any]:
    from viewflow.workflow.models import Process

    from workflows.services import open_tasks

    if not candidate.is_open:
        return []
    try:
        return open_tasks(candidate)
    except Process.DoesNotExist:  # a case imported without a flow
        return []


def _due(task: Any) -> date | None:
    raw = (task.data or {}).get("due_on")
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def waiting_steps(candidate: Candidate) -> list[Waiting]:
    from workflows.steps import task_title

    tasks = _open_tasks(candidate)
    org_ids = {int(t.owner_permission_obj_pk) for t in tasks if str(t.owner_permission_obj_pk or "").isdigit()}
    names = dict(PartyOrg.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    return [
        Waiting(
            text=str(stages.TASK_TEXT.get(task.flow_task.name) or task_title(task)),
            acting_org=names.get(int(task.owner_permission_obj_pk or 0), "")
            if str(task.owner_permission_obj_pk or "").isdigit()
            else "",
            due_on=_due(task),
        )
        for task in tasks
    ]


def _probation(candidate: Candidate) -> Any:
    try:
        return candidate.probation
    except ObjectDoesNotExist:
        return None


def _regulation_dates(candidate: Candidate) -> tuple[date | None, date | None]:
    """(the current stage's regulation deadline, the day the next stage is expected), when the rules give them:
    the decision within N working days of the cell's resolution, the ceremony within M working days of the
    decision, the official date at the end of probation (Charter Art. 5; domain.md §3 rows 10–11, §5)."""
    from admission.decisions.services.decisions import admission_deadlines

    if candidate.state == S.PROPOSED:
        due = admission_deadlines(candidate).decision_due
        return due, due
    if candidate.state == S.ADMITTED:
        due = admission_deadlines(candidate).ceremony_due
        return due, due
    probation = _probation(candidate)
    if candidate.state == S.PROBATIONARY and probation is not None:
        from admission.probation.services import probation_deadlines

        due = None
        if probation.status == ProbationStatus.RECOGNITION_DUE:
            deadlines = probation_deadlines(candidate)
            due = deadlines.decision_due if deadlines.cell_resolution_on else deadlines.cell_due
        return due, probation.ends_on
    return None, None


def case_position(candidate: Candidate, *, timeline: list[Any] | None = None) -> Position:
    timeline = candidate_timeline(candidate=candidate) if timeline is None else timeline
    entered = entered_dates(candidate, timeline)
    waiting = waiting_steps(candidate)
    regulation_due, next_expected = _regulation_dates(candidate)
    task_dues = [w.due_on for w in waiting if w.due_on]
    return Position(
        stage=stages.stage_of(candidate.state),
        entered_on=entered.get(candidate.state),
        due_on=min(task_dues) if task_dues else regulation_due,
        next=stages.next_stage(candidate.state),
        next_expected_on=next_expected,
        closed_on=candidate.closed_on,
        waiting=waiting,
    )


# ------------------------------------------------------------------------------------------------------------------
# The candidate's page
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    status: str  # done, current, upcoming, closed
    entered_on: date | None
    expected_on: date | None = None


@dataclass(frozen=True)
class HistoryRow:
    on: date
    text: str


@dataclass(frozen=True)
class Item:
    """One paper of the file, in plain words. `yours`: the candidate provides it."""

    code: str
    title: str
    form: str
    status: str
    text: str
    valid_until: date | None
    yours: bool

    @property
    def done(self) -> bool:
        return self.status == ItemStatus.DONE


@dataclass(frozen=True)
class CaseProgress:
    candidate: Candidate
    position: Position
    stages: list[StageRow]
    history: list[HistoryRow]
    items: list[Item]
    documents: list[Any]
    papers: list[PaperRow]

    @property
    def yours(self) -> list[Item]:
        return [item for item in self.items if item.yours]

    @property
    def missing_from_you(self) -> list[Item]:
        return [item for item in self.yours if not item.done]

    @property
    def party_items(self) -> list[Item]:
        return [item for item in self.items if not item.yours]


def _reached_index(candidate: Candidate, timeline: list[Any]) -> int:
    """How far along the path a case got: its state's place, or for a closed case the furthest state it had."""
    if candidate.state in stages.PATH_STATES:
        return stages.PATH_STATES.index(candidate.state)
    seen = [e.state for e in timeline] + [e.source_state for e in timeline if e.source_state]
    places = [stages.PATH_STATES.index(state) for state in seen if state in stages.PATH_STATES]
    return max(places, default=0)


def stage_rows(candidate: Candidate, position: Position, timeline: list[Any]) -> list[StageRow]:
    entered = entered_dates(candidate, timeline)
    reached = _reached_index(candidate, timeline)
    closing = stages.CLOSING.get(candidate.state)
    rows: list[StageRow] = []
    for index, stage in enumerate(stages.PATH):
        if index < reached or (closing and index == reached):
            rows.append(StageRow(stage, "done", entered.get(stage.state)))
        elif index == reached:
            status = "done" if stage.state == S.OFFICIAL else "current"
            rows.append(StageRow(stage, status, entered.get(stage.state), position.due_on))
        elif closing is None:
            expected = position.next_expected_on if index == reached + 1 else None
            rows.append(StageRow(stage, "upcoming", None, expected))
    if closing is not None:
        rows.append(StageRow(closing, "closed", candidate.closed_on or entered.get(candidate.state)))
    return rows


def history_rows(candidate: Candidate, timeline: list[Any]) -> list[HistoryRow]:
    """Each change of stage with its day, newest first; a step back (a file returned to the cell) says so."""
    rows = [HistoryRow(candidate.nominated_on, str(stages.stage_of(S.NOMINATED).title))]
    for entry in timeline:
        stage = stages.BY_STATE.get(entry.state)
        if stage is None:
            continue
        back = (
            entry.source_state in stages.PATH_STATES
            and entry.state in stages.PATH_STATES
            and stages.PATH_STATES.index(entry.state) < stages.PATH_STATES.index(entry.source_state)
        )
        text = gettext("Returned to: %(stage)s") % {"stage": stage.title} if back else str(stage.title)
        rows.append(HistoryRow(_day(entry.at), text))
    return list(reversed(rows))


# What the candidate provides, in plain words, by item and status; the other items are the party's work.
YOUR_ITEMS: dict[str, Promise] = {
    "certificate": _("Certificate of the course about the Party"),
    "application": _("Your application to join the Party"),
    "curriculum": _("Your CV (life history)"),
}
PARTY_ITEMS: dict[str, Promise] = {
    "verification": _("Checking your background and family"),
    "introductions": _("Introductions by party members"),
    "mass_org_resolution": _("Introduction by the Youth Union or the trade union"),
    "opinions": _("Opinions from the organisations and the place where you live"),
}
YOUR_TEXT: dict[tuple[str, str], Promise] = {
    ("certificate", ItemStatus.MISSING): _("You need the certificate of the course about the Party."),
    ("certificate", ItemStatus.DONE): _("You hold a valid certificate."),
    ("certificate", ItemStatus.EXPIRED): _("Your course certificate has expired: you must attend the course again."),
    ("application", ItemStatus.MISSING): _(
        "Write your application to join the Party by hand and give it to the cell secretary."
    ),
    ("application", ItemStatus.DONE): _("Received by the cell."),
    ("application", ItemStatus.EXPIRED): _("Your application is too old now: write a new one."),
    ("curriculum", ItemStatus.MISSING): _(
        "Fill in your CV truthfully, without crossing out, and give it to the cell secretary."
    ),
    ("curriculum", ItemStatus.IN_PROGRESS): _("Received: the party is checking it."),
    ("curriculum", ItemStatus.DONE): _("Checked and certified."),
    ("curriculum", ItemStatus.EXPIRED): _("Your CV is too old now: it must be filled in again."),
}
PARTY_TEXT: dict[str, Promise] = {
    ItemStatus.DONE: _("Done."),
    ItemStatus.EXPIRED: _("To be done again by the party."),
    ItemStatus.IN_PROGRESS: _("The party is working on it."),
    ItemStatus.MISSING: _("Not started yet: the party does it."),
}


def dossier_items(candidate: Candidate, on: date) -> list[Item]:
    """The admission file while it is being put together (from the certificate to the cell's vote)."""
    if candidate.state not in (S.TRAINED, S.DOSSIER):
        return []
    items = []
    for row in dossier_checklist(candidate, on):
        yours = row.code in YOUR_ITEMS
        if yours:
            title, text = str(YOUR_ITEMS[row.code]), str(YOUR_TEXT.get((row.code, row.status), row.status_label))
        else:
            title, text = str(PARTY_ITEMS.get(row.code, row.title)), str(PARTY_TEXT[row.status])
        items.append(Item(row.code, title, row.form, row.status, text, row.valid_until, yours))
    return items


def probation_items(candidate: Candidate) -> list[Item]:
    """During probation, the papers the member provides for recognition (domain.md §5: the new-member course
    certificate, the self-review 10-KNĐ)."""
    probation = _probation(candidate)
    if candidate.state != S.PROBATIONARY or probation is None:
        return []

    def has(name: str) -> bool:
        try:
            getattr(probation, name)
        except ObjectDoesNotExist:
            return False
        return True

    certificate, review = has("certificate"), has("self_review")
    return [
        Item(
            "new_member_course",
            str(_("Certificate of the course for new members")),
            "",
            ItemStatus.DONE if certificate else ItemStatus.MISSING,
            str(_("Received by the cell.") if certificate else _("Attend the course for new members.")),
            None,
            True,
        ),
        Item(
            "self_review",
            str(_("Your self-review")),
            "10-KNĐ",
            ItemStatus.DONE if review else ItemStatus.MISSING,
            str(
                _("Received by the cell.")
                if review
                else _("Near the end of your probation, write your self-review and give it to the cell.")
            ),
            None,
            True,
        ),
    ]


def portal_documents(candidate: Candidate) -> list[Any]:
    """The latest finished copy of each form the candidate may download."""
    from admission.documents.models import DocumentStatus, GeneratedDocument

    latest: dict[str, Any] = {}
    ready = GeneratedDocument.objects.filter(
        candidate=candidate, form_code__in=PORTAL_FORMS, status=DocumentStatus.DONE
    ).order_by("-created_at", "-pk")
    for document in ready:
        latest.setdefault(document.form_code, document)
    return [latest[code] for code in PORTAL_FORMS if code in latest]


@dataclass(frozen=True)
class PaperRow:
    """One of the candidate's forms at the case's stage: the copy to download, and whether a fresh one can be asked
    for (the data changed since, or there is none yet) or is being made."""

    code: str
    title: str
    ready: Any  # the latest finished copy, or None
    up_to_date: bool
    in_progress: bool


def portal_papers(candidate: Candidate) -> list[PaperRow]:
    from admission.documents.models import DocumentStatus
    from admission.documents.services import form_rows, spec_title

    ready = {document.form_code: document for document in portal_documents(candidate)}
    rows = []
    for row in form_rows(candidate, codes=PORTAL_FORMS):
        active = row.latest is not None and row.latest.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
        rows.append(PaperRow(row.code, row.title, ready.pop(row.code, None), row.up_to_date, active))
    # A copy made at an earlier stage stays downloadable even where the form no longer applies.
    rows.extend(PaperRow(code, spec_title(code), document, True, False) for code, document in ready.items())
    return rows


def portal_document_get(*, candidate: Candidate, pk: int | str) -> Any:
    """One of the downloadable copies of the candidate's case (any other document, even of the same case: 404)."""
    for document in portal_documents(candidate):
        if str(document.pk) == str(pk):
            return document
    raise Http404


def case_progress(candidate: Candidate, *, on: date | None = None) -> CaseProgress:
    day = on or permissions.today()
    timeline = candidate_timeline(candidate=candidate)
    position = case_position(candidate, timeline=timeline)
    return CaseProgress(
        candidate=candidate,
        position=position,
        stages=stage_rows(candidate, position, timeline),
        history=history_rows(candidate, timeline),
        items=dossier_items(candidate, day) + probation_items(candidate),
        documents=portal_documents(candidate),
        papers=portal_papers(candidate),
    )
