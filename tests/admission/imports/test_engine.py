"""Spreadsheet import: a dry run previews, one bad row imports nothing and names the row, a good file imports all."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from admission.decisions.models.decisions import ChainStepRecord
from admission.imports.columns import CANDIDATES, COLUMNS, MEMBERS, ORGS
from admission.imports.engine import import_file
from admission.imports.exports import case_rows, export_file, roster_rows, template_file
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.reports.statistics import Period, build_report
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.factories import citizen_id_for

D = datetime.date


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


MEMBER_HEADER = ["citizen_id", "full_name", "date_of_birth", "sex", "cell_code", "admitted_on", "official_on"]


def member(n: int, cell: PartyOrg, *, sex: str = "female", admitted: str = "01/03/2020") -> list[object]:
    dob = D(1990, 1, n)
    return [citizen_id_for(dob, sex), f"Hoàng Thị Nhập {n}", dob.strftime("%d/%m/%Y"), sex, cell.code, admitted, ""]


def run(world, rows, *, kind=MEMBERS, dry_run=False, filename="roster.xlsx", target=None, by=None):
    data = xlsx(rows) if filename.endswith(".xlsx") else csv_bytes(rows)
    return import_file(
        kind=kind,
        target=target or world.commune,
        data=data,
        filename=filename,
        by=by or world.approver,
        dry_run=dry_run,
    )


def test_a_good_roster_imports_every_row(world):
    before = Membership.objects.count()
    result = run(world, [MEMBER_HEADER, member(1, world.village_cell), member(2, world.cell, sex="male")])
    assert result.ok and result.imported and result.created == 2
    assert Membership.objects.count() == before + 2
    assert Person.objects.filter(full_name="Hoàng Thị Nhập 1", memberships__cell=world.village_cell).exists()


def test_a_dry_run_previews_the_changes_and_writes_nothing(world):
    before = Membership.objects.count()
    result = run(world, [MEMBER_HEADER, member(1, world.village_cell)], dry_run=True)
    assert result.ok and not result.imported
    assert [(a.row, a.action) for a in result.actions] == [(2, "create")]
    assert "Chi bộ thôn Nà Sa" in result.actions[0].summary
    assert (
        Membership.objects.count() == before
        and not Person.objects.filter(full_name__startswith="Hoàng Thị Nhập").exists()
    )


def test_one_bad_row_imports_nothing_and_names_the_row_column_and_reason(world):
    bad = member(2, world.village_cell)
    bad[2] = "31/02/1990"
    before = Membership.objects.count()
    with translation.override("en"):
        result = run(world, [MEMBER_HEADER, member(1, world.village_cell), bad, member(3, world.cell)])
    assert not result.ok and not result.imported
    assert [(e.row, e.column) for e in result.errors] == [(3, "Date of birth")]
    assert result.errors[0].message == "“31/02/1990” is not a date: write it as dd/mm/yyyy."
    assert Membership.objects.count() == before
    assert not Person.objects.filter(full_name__startswith="Hoàng Thị Nhập").exists()


def test_the_error_report_speaks_vietnamese_when_the_interface_does(world):
    bad = member(1, world.village_cell)
    bad[4] = "NO-SUCH-CELL"
    with translation.override("vi"):
        result = run(world, [MEMBER_HEADER, bad])
    assert [(e.row, e.column) for e in result.errors] == [(2, str(COLUMNS[MEMBERS][15].label))]
    assert "NO-SUCH-CELL" in result.errors[0].message


def test_a_service_refusal_is_reported_against_its_column(world):
    wrong_id = member(1, world.village_cell)
    wrong_id[0] = "022" + "1" + "85" + "990001"  # encodes 1985 and female, the row says 1990
    with translation.override("en"):
        result = run(world, [MEMBER_HEADER, wrong_id])
    assert [(e.row, e.column) for e in result.errors] == [(2, "Citizen ID")]


def test_rows_outside_the_target_subtree_are_refused(world):
    with translation.override("en"):
        result = run(world, [MEMBER_HEADER, member(1, world.other_cell)])
    assert result.errors[0].column == "Cell code" and not result.imported


def test_importing_needs_to_act_for_the_target_org(world):
    for user in (world.outsider, world.secretary):
        with pytest.raises(PermissionDenied):
            run(world, [MEMBER_HEADER, member(1, world.village_cell)], by=user)


def test_a_missing_required_column_is_named_before_any_row(world):
    with translation.override("en"):
        result = run(world, [MEMBER_HEADER[:-3], member(1, world.village_cell)[:-3]])
    assert {(e.row, e.column) for e in result.errors} == {(1, "Cell code"), (1, "Admission decision date")}


def test_csv_with_translated_headers_imports_like_xlsx(world):
    with translation.override("vi"):
        header = [str(c.label) for c in COLUMNS[MEMBERS] if c.key in MEMBER_HEADER]
    order = [c.key for c in COLUMNS[MEMBERS] if c.key in MEMBER_HEADER]
    row = dict(zip(MEMBER_HEADER, member(1, world.village_cell), strict=True))
    result = run(world, [header, [row[k] for k in order]], filename="roster.csv")
    assert result.imported and Membership.objects.filter(person__full_name="Hoàng Thị Nhập 1").exists()


def test_org_units_import_under_the_target_with_parents_from_earlier_rows(world):
    rows = [
        ["code", "name", "kind", "parent_code", "valid_from"],
        ["HM-KT", "Đảng bộ Khu công nghiệp", "grassroots_committee", world.commune.code, "01/01/2024"],
        ["HM-KT-1", "Chi bộ Công ty Dệt", "cell", "HM-KT", "01/02/2024"],
    ]
    result = run(world, rows, kind=ORGS)
    assert result.imported
    cell = PartyOrg.objects.get(code="HM-KT-1")
    assert cell.parent.code == "HM-KT" and cell.path.startswith(world.commune.path)


def test_candidates_import_at_any_stage_and_admitted_ones_count_in_the_report(world):
    header = [
        "citizen_id",
        "full_name",
        "date_of_birth",
        "sex",
        "cell_code",
        "state",
        "nominated_on",
        "sympathiser_meeting_on",
        "resolution_on",
        "decision_number",
        "decision_on",
        "ceremony_on",
    ]
    dob = D(2000, 4, 4)
    rows = [
        header,
        [
            citizen_id_for(dob, "male"),
            "Lý Văn Cũ",
            "04/04/2000",
            "Nam",
            world.village_cell.code,
            "probationary",
            "01/02/2024",
            "15/02/2024",
            "10/01/2025",
            "12-QĐ/ĐU",
            "20/02/2025",
            "01/03/2025",
        ],
        [
            citizen_id_for(dob, "female"),
            "Bàn Thị Mới",
            "04/04/2000",
            "female",
            world.village_cell.code,
            "sympathiser",
            "01/02/2025",
            "15/02/2025",
            "",
            "",
            "",
            "",
        ],
    ]
    result = run(world, rows, kind=CANDIDATES)
    assert result.imported, result.errors
    old = Candidate.objects.get(person__full_name="Lý Văn Cũ")
    assert old.state == CandidateState.PROBATIONARY
    assert ChainStepRecord.objects.get(candidate=old, kind="decision").document_date == D(2025, 2, 20)
    assert Membership.objects.filter(person=old.person, joined_cell_on=D(2025, 3, 1)).exists()
    snapshot = old.admission_snapshot  # counted as of its decision date, like a decision recorded here
    assert (snapshot.decided_on, snapshot.path, snapshot.sex) == (D(2025, 2, 20), world.village_cell.path, "male")
    report = build_report(org=world.commune, period=Period(D(2025, 1, 1), D(2025, 3, 31)))
    assert report.total == 1


def test_a_later_stage_without_its_dates_is_refused(world):
    header = ["citizen_id", "full_name", "date_of_birth", "sex", "cell_code", "state", "nominated_on"]
    dob = D(2000, 4, 4)
    row = [
        citizen_id_for(dob, "male"),
        "Lý Văn Thiếu",
        "04/04/2000",
        "male",
        world.village_cell.code,
        "admitted",
        "01/02/2024",
    ]
    with translation.override("en"):
        result = run(world, [header, row], kind=CANDIDATES)
    assert {e.column for e in result.errors} >= {"Cell resolution date", "Admission decision date"}
    assert all(e.row == 2 for e in result.errors)
    assert not Candidate.objects.filter(person__full_name="Lý Văn Thiếu").exists()


def test_templates_open_and_carry_every_column_and_an_instructions_sheet(world):
    for kind in (ORGS, MEMBERS, CANDIDATES):
        book = load_workbook(io.BytesIO(template_file(kind, "xlsx")))
        assert [c.value for c in book.worksheets[0][1]] == [c.header() for c in COLUMNS[kind]]
        assert len(book.sheetnames) == 2


def test_an_exported_roster_imports_back_unchanged(world):
    members = Membership.objects.filter(cell=world.village_cell)
    data = export_file(MEMBERS, "xlsx", roster_rows(members))
    result = import_file(
        kind=MEMBERS, target=world.commune, data=data, filename="r.xlsx", by=world.approver, dry_run=True
    )
    assert result.ok and {a.action for a in result.actions} == {"unchanged"} and result.rows == 3


def test_the_case_list_exports_as_csv_with_the_import_headers(world):
    text = export_file(CANDIDATES, "csv", case_rows(Candidate.objects.all())).decode("utf-8-sig")
    assert text.splitlines()[0].split(",")[0] == str(COLUMNS[CANDIDATES][0].label)


# ------------------------------------------------------------------------------------------------------------------
# Malformed files: every problem at once, never a server error
# ------------------------------------------------------------------------------------------------------------------


def raw_csv(world, text: str, *, kind=MEMBERS):
    with translation.override("en"):
        return import_file(
            kind=kind, target=world.commune, data=text.encode(), filename="x.csv", by=world.approver, dry_run=True
        )


def test_a_csv_with_unquoted_commas_names_each_broken_row_instead_of_failing(world):
    good = ",".join(str(v) for v in member(1, world.village_cell))
    broken = ",".join(str(v) for v in member(2, world.village_cell)).replace("Hoàng Thị Nhập 2", "Hoàng, Thị Nhập 2")
    # The csv module's sniffer gave up on such a file ("Could not determine delimiter"): a server error.
    result = raw_csv(world, "\n".join([",".join(MEMBER_HEADER), good, broken, broken]))
    assert not result.ok and result.rows == 3
    assert [e.row for e in result.errors if "separator" in e.message] == [3, 4]
    assert "8 values but the header has 7 columns" in next(e.message for e in result.errors if e.row == 3)


def test_a_csv_separated_by_semicolons_or_tabs_is_read(world):
    for separator in (";", "\t"):
        lines = [separator.join(MEMBER_HEADER), separator.join(str(v) for v in member(3, world.village_cell))]
        result = raw_csv(world, "\n".join(lines))
        assert result.ok, (separator, result.errors)


def test_a_file_that_is_one_long_line_or_has_no_separator_gives_a_message_not_a_500(world):
    result = raw_csv(world, "this is not a spreadsheet at all\nstill not")
    assert not result.ok and result.errors[0].row == 1 and "Unknown column" in result.errors[0].message
    with pytest.raises(ValidationError, match="cannot be read past line"):
        raw_csv(world, 'citizen_id,full_name\n"022' + "x" * 140_000)  # a quote left open runs past the field limit


def test_header_and_row_problems_come_out_in_one_pass(world):
    header = [*MEMBER_HEADER, "shoe size", "full_name"]
    rows = [
        header,
        [*member(4, world.village_cell)[:2], "31/02/1990", "female", world.village_cell.code, "01/03/2020", "", "", ""],
        [*member(5, world.village_cell)[:2], "05/01/1990", "other", world.village_cell.code, "yesterday", "", "", ""],
    ]
    with translation.override("en"):
        result = run(world, rows, dry_run=True)
    found = {(e.row, e.column) for e in result.errors}
    assert (1, "shoe size") in found and (1, "full_name") in found  # unknown and repeated columns
    assert {row for row, _column in found} == {1, 2, 3}  # the rows are read although the header has problems
    assert len([e for e in result.errors if e.row == 3]) >= 2  # the sex and the date of the same row, together


def test_a_required_column_missing_still_reports_the_cells_it_can_read(world):
    header = [c for c in MEMBER_HEADER if c != "cell_code"]
    rows = [header, [citizen_id_for(D(1990, 1, 6), "female"), "Lê Thị Sáu", "99/99/1990", "female", "01/03/2020", ""]]
    with translation.override("en"):
        result = run(world, rows, dry_run=True)
    assert {e.row for e in result.errors} == {1, 2}
    assert Membership.objects.filter(person__full_name="Lê Thị Sáu").count() == 0


def test_a_workbook_with_values_past_the_header_reports_them_with_the_other_problems(world):
    rows = [
        MEMBER_HEADER,
        [*member(7, world.village_cell), "lạc cột"],
        [*member(8, world.village_cell)[:3], "unknown sex", *member(8, world.village_cell)[4:]],
    ]
    with translation.override("en"):
        result = run(world, rows, dry_run=True)
    assert [(e.row, "header has 7 columns" in e.message) for e in result.errors if e.row == 2] == [(2, True)]
    assert any(e.row == 3 and e.column for e in result.errors)  # the sex of row 3, in the same pass
