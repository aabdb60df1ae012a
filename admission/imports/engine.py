"""Import of org units, member rosters and existing candidate cases from XLSX or CSV: all rows or none.

`import_file` reads the whole table, then runs every row inside one transaction, each row in its own savepoint so
that one bad row does not hide the errors of the next ones. When any row fails, or when it is a dry run, the
transaction is rolled back: nothing is written, and the result lists what each row would do (the preview) and each
error with its row number (as the spreadsheet numbers it), the column and the reason, in the user's language.

Who may import: a user who acts for the target org (`require_act_for_org`); every row must land in its subtree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog
from openpyxl import load_workbook

from admission.core.spreadsheets import csv_value_read
from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.services.snapshots import snapshot_take
from admission.imports.columns import CANDIDATES, COLUMNS, MEMBERS, ORGS, CellError, Column
from admission.imports.readmission import earlier_membership_import
from admission.party import hierarchy, permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.services.orgs import org_create
from admission.party.services.people import PERSON_FIELDS, person_get_or_create
from admission.rules.models.rulesets import RuleSet
from admission.sourcing.models.candidates import Candidate, CandidateState, NominationSource
from admission.sourcing.services.readmission import sync_readmission

MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class RowAction:
    row: int
    action: str  # "create" or "unchanged"
    summary: str


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: int = 0
    actions: list[RowAction] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run and self.rows > 0

    @property
    def created(self) -> int:
        return sum(1 for a in self.actions if a.action == "create")


class RowProblem(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@contextmanager
def blame(column: str) -> Iterator[None]:
    """A service's ValidationError inside this block is reported against `column` (or the field it names)."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise RowProblem(
                [(name if name != "__all__" else column, " ".join(msgs)) for name, msgs in exc.message_dict.items()]
            ) from exc
        raise RowProblem([(column, " ".join(exc.messages))]) from exc


# ------------------------------------------------------------------------------------------------------------------
# Reading the table
# ------------------------------------------------------------------------------------------------------------------


DELIMITERS = (",", ";", "\t")


def csv_delimiter(text: str) -> str:
    """The separator of a CSV, read from its header line (outside quotes): the most frequent of comma, semicolon
    and tab, comma when there is none. Never fails: a data line with stray separators is reported row by row
    (`row_shape_errors`), where the sniffer of the csv module would give up on the whole file."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_problem(exc: csv.Error, line: int) -> str:
    """One translated sentence for what stopped the CSV reader (never Python's English text)."""
    text = str(exc).lower()
    if "nul" in text:
        return _("The CSV file cannot be read past line %(line)d: it contains a null character.") % {"line": line}
    if "field larger than" in text:
        return _(
            "The CSV file cannot be read past line %(line)d: a cell is too long (a quotation mark left open?)."
        ) % {"line": line}
    if any(word in text for word in ("end of data", "expected", "new-line", "quot")):
        return _("The CSV file cannot be read past line %(line)d: a quotation mark is left open or misplaced.") % {
            "line": line
        }
    return _("The CSV file cannot be read past line %(line)d: save it again as CSV (UTF-8).") % {"line": line}


def read_rows(data: bytes, filename: str) -> list[list[Any]]:
    """All non-empty rows of the first sheet (XLSX) or of the CSV (UTF-8, comma, semicolon or tab), header first."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationError(_("This file cannot be read as an Excel workbook (.xlsx).")) from exc
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("Save the CSV file as UTF-8.")) from exc
        reader = csv.reader(io.StringIO(text), delimiter=csv_delimiter(text))
        try:
            # An exported CSV writes "'=…" for a text that would start a formula (admission.core.spreadsheets).
            rows = [[csv_value_read(cell) for cell in row] for row in reader]
        except csv.Error as exc:  # a NUL byte, a quote left open over a very long field
            raise ValidationError(_csv_problem(exc, reader.line_num)) from exc
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    return [row for row in rows if any(cell not in (None, "") for cell in row)]


def _header_map(header: list[Any], columns: tuple[Column, ...]) -> tuple[dict[int, Column], list[RowError]]:
    by_name = {name: column for column in columns for name in column.names()}
    mapping: dict[int, Column] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        if raw in (None, ""):
            continue
        column = by_name.get(str(raw).strip().casefold())
        if column is None:
            errors.append(RowError(1, str(raw), _("Unknown column: remove it or use the template.")))
        elif column in mapping.values():
            errors.append(RowError(1, str(raw), _("This column appears twice: keep one.")))
        else:
            mapping[index] = column
    present = {c.key for c in mapping.values()}
    for column in columns:
        if column.required and column.key not in present:
            errors.append(RowError(1, column.header(), _("This column is missing.")))
    return mapping, errors


def row_shape_errors(number: int, raw: list[Any], width: int, *, misread: bool = False) -> list[RowError]:
    """A row with more cells than the header: in a CSV, a value holding the separator without quotes ("Thôn Nà Sa,
    xã Hoành Mô") has split into two cells and shifted the ones after it. Said when a value lies beyond the last
    column, or (`misread`) when the row's cells could not be read and it has extra, empty cells at its end."""
    extra = [cell for cell in raw[width:] if cell not in (None, "")]
    if not extra and not (misread and len(raw) > width):
        return []
    return [
        RowError(
            number,
            "",
            _(
                "This row has %(cells)d values but the header has %(columns)d columns: a value probably contains the "
                "separator (a comma or a semicolon). Put that value in double quotes, or save the file from Excel as "
                "“CSV UTF-8”."
            )
            % {"cells": width + len(raw[width:]), "columns": width},
        )
    ]


def _parse_row(raw: list[Any], mapping: dict[int, Column], columns: tuple[Column, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {c.key: None for c in columns}
    problems: list[tuple[str, str]] = []
    for index, column in mapping.items():
        try:
            values[column.key] = column.parse(raw[index] if index < len(raw) else None)
        except CellError as exc:
            problems.append((column.key, str(exc)))
    if problems:
        raise RowProblem(problems)
    return values


# ------------------------------------------------------------------------------------------------------------------
# One row of each kind
# ------------------------------------------------------------------------------------------------------------------


@dataclass
class Context:
    target: PartyOrg
    by: Any

    def org_in_scope(self, code: str | None, column: str, *, cell: bool = False) -> PartyOrg:
        org = PartyOrg.objects.filter(code=code or "", path__startswith=self.target.path).first()
        if org is None:
            raise RowProblem(
                [(column, _("No organisation with code %(code)s under %(org)s.") % {"code": code, "org": self.target})]
            )
        if cell and not org.is_cell:
            raise RowProblem([(column, _("%(org)s is not a party cell.") % {"org": org})])
        return org


def _org_row(ctx: Context, v: dict[str, Any]) -> tuple[str, str]:
    existing = PartyOrg.objects.filter(code=v["code"]).first()
    if existing is not None:
        if existing.name == v["name"] and existing.kind == v["kind"] and existing.path.startswith(ctx.target.path):
            return "unchanged", _("%(org)s is already recorded.") % {"org": existing}
        raise RowProblem(
            [("code", _("Code %(code)s is already used by %(org)s.") % {"code": v["code"], "org": existing})]
        )
    if not v["parent_code"]:
        raise RowProblem([("parent_code", _("Give the code of the superior organisation."))])
    parent = ctx.org_in_scope(v["parent_code"], "parent_code")
    with blame("kind"):
        org = org_create(
            code=v["code"],
            name=v["name"],
            kind=v["kind"],
            parent=parent,
            valid_from=v["valid_from"],
            place_name=v["place_name"] or "",
        )
    return "create", _("%(org)s under %(parent)s") % {"org": org, "parent": parent}


def _person(v: dict[str, Any]) -> Person:
    fields = {key: v[key] for key in PERSON_FIELDS if v.get(key) is not None}
    with blame("citizen_id"):
        person, _created = person_get_or_create(
            citizen_id=v["citizen_id"],
            full_name=v["full_name"],
            date_of_birth=v["date_of_birth"],
            sex=v["sex"],
            **fields,
        )
    return person


def _member_row(ctx: Context, v: dict[str, Any]) -> tuple[str, str]:
    cell = ctx.org_in_scope(v["cell_code"], "cell_code", cell=True)
    person = _person(v)
    current = Membership.objects.filter(person=person, left_cell_on__isnull=True).select_related("cell").first()
    if current is not None:
        if current.cell_id == cell.pk:
            return "unchanged", _("%(name)s is already on the roll of %(cell)s.") % {"name": person, "cell": cell}
        raise RowProblem(
            [("cell_code", _("%(name)s is already a member of %(cell)s.") % {"name": person, "cell": current.cell})]
        )
    membership = Membership(
        person=person,
        cell=cell,
        admitted_on=v["admitted_on"],
        official_on=v["official_on"],
        joined_cell_on=v["joined_cell_on"] or v["admitted_on"],
        party_card_no=v["party_card_no"] or "",
    )
    with blame("admitted_on"):
        membership.full_clean()
    membership.save()
    return "create", _("%(name)s on the roll of %(cell)s") % {"name": person, "cell": cell}


# Which dates a case at each stage must carry (a case imported at a later stage has lived the earlier ones).
_STAGE_NEEDS: dict[str, tuple[str, ...]] = {
    CandidateState.SYMPATHISER: ("sympathiser_meeting_on",),
    CandidateState.IN_TRAINING: ("sympathiser_meeting_on",),
    CandidateState.TRAINED: ("sympathiser_meeting_on",),
    CandidateState.DOSSIER: ("sympathiser_meeting_on",),
    CandidateState.PROPOSED: ("sympathiser_meeting_on", "resolution_on"),
    CandidateState.ADMITTED: ("sympathiser_meeting_on", "resolution_on", "decision_on", "decision_number"),
    CandidateState.PROBATIONARY: (
        "sympathiser_meeting_on",
        "resolution_on",
        "decision_on",
        "decision_number",
        "ceremony_on",
    ),
}


def _next_code(year: int) -> str:
    prefix = f"KN-{year}-"
    last = Candidate.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    return f"{prefix}{(int(last.removeprefix(prefix)) + 1 if last else 1):06d}"


def _candidate_row(ctx: Context, v: dict[str, Any]) -> tuple[str, str]:
    cell = ctx.org_in_scope(v["cell_code"], "cell_code", cell=True)
    state = v["state"]
    missing = [(key, _("Required for a case at this stage.")) for key in _STAGE_NEEDS.get(state, ()) if not v[key]]
    if missing:
        raise RowProblem(missing)
    order = [v[k] for k in ("nominated_on", "sympathiser_meeting_on", "resolution_on", "decision_on", "ceremony_on")]
    dated = [d for d in order if d is not None]
    if dated != sorted(dated):
        raise RowProblem([("nominated_on", _("The dates must follow the order of the steps."))])
    if dated[-1] > permissions.today():
        raise RowProblem([("nominated_on", _("A date cannot be in the future."))])
    person = _person(v)
    if Candidate.objects.filter(person=person, state__in=CandidateState.open_states()).exists():
        raise RowProblem([("citizen_id", _("%(name)s already has an open case.") % {"name": person})])
    if (
        Membership.objects.filter(person=person, left_cell_on__isnull=True).exists()
        and state != CandidateState.PROBATIONARY
    ):
        raise RowProblem([("citizen_id", _("%(name)s is already a party member.") % {"name": person})])
    try:
        rule_set = RuleSet.in_force_on(v["nominated_on"])
    except RuleSet.DoesNotExist as exc:
        raise RowProblem([("nominated_on", _("No rule set is in force on that date."))]) from exc
    problems = earlier_membership_import(person, v, by=ctx.by)
    if problems:
        raise RowProblem(problems)
    nominated: date = v["nominated_on"]
    attempt = (
        Candidate.objects.filter(person=person).order_by("-attempt").values_list("attempt", flat=True).first() or 0
    ) + 1
    case = Candidate(
        code=_next_code(nominated.year),
        person=person,
        attempt=attempt,
        cell=cell,
        rule_set=rule_set,
        state=state,
        opened_on=nominated,
        nominated_by=v["nominated_by"] or NominationSource.CELL,
        nominated_on=nominated,
        sympathiser_meeting_on=v["sympathiser_meeting_on"],
        closed_on=nominated if state in CandidateState.closed_states() else None,
    )
    with blame("state"):
        case.full_clean(exclude=["code", "state"])  # the protected FSM field is set once, in the constructor
    case.save()
    sync_readmission(person_id=person.pk, declared=bool(v["readmission"]), case_id=case.pk)
    case.refresh_from_db(fields=["is_readmission"])
    StateLog.objects.create(
        content_object=case, state=state, transition="import", by=ctx.by, description=_("Imported from a spreadsheet")
    )
    if v["resolution_on"]:
        _record_chain(ctx, case, v)
    return "create", _("%(name)s, %(state)s, at %(cell)s") % {
        "name": person,
        "state": CandidateState(state).label,
        "cell": cell,
    }


def _record_chain(ctx: Context, case: Candidate, v: dict[str, Any]) -> None:
    """The cell's resolution and, when decided, the decision with its admission snapshot (and the ceremony) as the
    case lived them."""
    with blame("resolution_on"):
        steps = hierarchy.approval_chain(case.cell, v["resolution_on"])
    decision_org = steps[-1].org if steps else case.cell
    ChainStepRecord.objects.create(
        candidate=case,
        order=1,
        kind=hierarchy.StepKind.CELL_RESOLUTION,
        org=case.cell,
        form="6-KNĐ",
        status=StepStatus.DONE,
        document_date=v["resolution_on"],
        done_on=v["resolution_on"],
        note=_("Imported from a spreadsheet"),
    )
    if not v["decision_on"]:
        return
    ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind=hierarchy.StepKind.DECISION,
        org=decision_org,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number=v["decision_number"],
        document_date=v["decision_on"],
        done_on=v["decision_on"],
        received_on=v["decision_on"],
        note=_("Imported from a spreadsheet"),
    )
    # The statistics count the admission as of its decision date, like a decision recorded here (the person's
    # attributes are the ones in the file; the org path is the tree's on that date).
    with blame("decision_on"):
        snapshot_take(candidate=case, decided_on=v["decision_on"])
    if not v["ceremony_on"]:
        return
    membership = Membership.objects.filter(person=case.person, cell=case.cell, left_cell_on__isnull=True).first()
    if membership is None:
        membership = Membership(
            person=case.person, cell=case.cell, admitted_on=v["decision_on"], joined_cell_on=v["ceremony_on"]
        )
        with blame("ceremony_on"):
            membership.full_clean()
        membership.save()
    Ceremony.objects.create(
        candidate=case,
        held_on=v["ceremony_on"],
        decision_read_by=_("(imported)"),
        membership=membership,
        recorded_by=ctx.by,
    )


HANDLERS: dict[str, Callable[[Context, dict[str, Any]], Any]] = {
    ORGS: _org_row,
    MEMBERS: _member_row,
    CANDIDATES: _candidate_row,
}


def import_file(*, kind: str, target: PartyOrg, data: bytes, filename: str, by: Any, dry_run: bool) -> ImportResult:
    """Run the import (or its dry run) of one file into `target`'s subtree; all rows or none."""
    permissions.require_act_for_org(by, target)
    if kind not in COLUMNS:
        raise ValidationError(_("Unknown kind of import."))
    if target.valid_to is not None:
        raise PermissionDenied(_("%(org)s has been dissolved.") % {"org": target})
    columns = COLUMNS[kind]
    labels = {c.key: c.header() for c in columns}
    rows = read_rows(data, filename)
    result = ImportResult(kind=kind, dry_run=dry_run)
    if not rows:
        result.errors.append(RowError(1, "", _("The file is empty.")))
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(RowError(1, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS}))
        return result
    # Every problem in one pass: the header's, then each row's shape, cells and meaning. A header naming no known
    # column stops here (nothing to read the rows by); missing required columns only skip the rows' meaning.
    mapping, header_errors = _header_map(rows[0], columns)
    result.errors = list(header_errors)
    if not mapping:
        return result
    # The header's last named column (a workbook pads every row to its widest one).
    width = 1 + max(i for i, raw in enumerate(rows[0]) if raw not in (None, ""))
    complete = {c.key for c in columns if c.required} <= {c.key for c in mapping.values()}
    ctx = Context(target=target, by=by)
    handler = HANDLERS[kind]
    with transaction.atomic():
        for number, raw in enumerate(rows[1:], start=2):
            result.rows += 1
            shape = row_shape_errors(number, raw, width)
            try:
                with transaction.atomic():
                    values = _parse_row(raw[:width], mapping, columns)
                    if shape or not complete:
                        raise RowProblem([])  # cells read; what they mean waits for a well-formed row
                    action, summary = handler(ctx, values)
            except RowProblem as problem:
                shape = shape or row_shape_errors(number, raw, width, misread=bool(problem.errors))
                result.errors += shape + [RowError(number, labels.get(col, col), msg) for col, msg in problem.errors]
            except PermissionDenied as exc:
                result.errors.append(RowError(number, "", str(exc)))
            else:
                result.actions.append(RowAction(number, action, summary))
        if result.errors or dry_run:
            transaction.set_rollback(True)
    if result.errors:
        result.actions = []
    return result
