"""The approval chain for every variant of domain.md §1.4, and restructuring that keeps history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from admission.party.hierarchy import ChainError, Purpose, StepKind, ancestors_on, approval_chain
from admission.party.models.orgs import DecidingBody, OrgKind
from admission.party.services.orgs import authority_grant, org_dissolve, org_move
from admission.rules.models.rulesets import VoteBody
from tests.factories import make_org

D = datetime.date(2026, 3, 2)


def shape(steps):
    return [(s.kind, s.org.name, s.form, s.vote_body) for s in steps]


def test_a_cell_under_a_grassroots_committee_goes_8_then_the_superior_standing_committee(world):
    steps = approval_chain(world.agency_cell, D)
    assert shape(steps) == [
        (StepKind.CELL_RESOLUTION, world.agency_cell.name, "6-KNĐ", VoteBody.CELL),
        (StepKind.COMMITTEE_RESOLUTION, world.agency.name, "8-KNĐ", VoteBody.GRASSROOTS_COMMITTEE),
        (StepKind.DECISION, world.commune.name, "9-KNĐ", VoteBody.STANDING_COMMITTEE),
    ]
    assert steps[-1].deciding_body == DecidingBody.SUPERIOR_STANDING_COMMITTEE


def test_an_authorised_grassroots_committee_decides_itself_without_an_8_knd(world):
    authority_grant(
        org=world.agency,
        deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
        valid_from=datetime.date(2026, 1, 1),
        granted_by=world.commune,
        decision_number="15-QĐ/ĐU",
        decision_date=datetime.date(2025, 12, 20),
    )
    steps = approval_chain(world.agency_cell, D)
    assert shape(steps) == [
        (StepKind.CELL_RESOLUTION, world.agency_cell.name, "6-KNĐ", VoteBody.CELL),
        (StepKind.DECISION, world.agency.name, "9-KNĐ", VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE),
    ]


def test_the_delegation_counts_only_within_its_dates(world):
    authority_grant(
        org=world.agency,
        deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 6, 1),
        decision_number="15-QĐ/ĐU",
    )
    assert approval_chain(world.agency_cell, datetime.date(2025, 12, 31))[-1].org == world.commune
    assert approval_chain(world.agency_cell, datetime.date(2026, 1, 1))[-1].org == world.agency
    assert approval_chain(world.agency_cell, datetime.date(2026, 5, 31))[-1].org == world.agency
    assert approval_chain(world.agency_cell, datetime.date(2026, 6, 1))[-1].org == world.commune


def test_a_delegation_needs_its_decision_number(world):
    with pytest.raises(ValidationError):
        authority_grant(org=world.agency, deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE, valid_from=D)


def test_only_a_grassroots_committee_can_be_authorised(world):
    with pytest.raises(ValidationError):
        authority_grant(
            org=world.partial,
            deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
            valid_from=D,
            decision_number="1-QĐ",
        )


def test_a_cell_under_a_partial_committee_gets_an_appraisal_first(world):
    steps = approval_chain(world.cell, D)
    assert [s.kind for s in steps] == [
        StepKind.CELL_RESOLUTION,
        StepKind.APPRAISAL,
        StepKind.COMMITTEE_RESOLUTION,
        StepKind.DECISION,
    ]
    assert [s.form for s in steps] == ["6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ"]
    assert steps[1].org == world.partial and steps[1].vote_body is None


def test_a_cell_under_a_partial_committee_of_an_authorised_committee_skips_the_8_knd(world):
    authority_grant(
        org=world.agency,
        deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
        valid_from=datetime.date(2025, 1, 1),
        decision_number="3-QĐ/ĐU",
    )
    assert [s.form for s in approval_chain(world.cell, D)] == ["6-KNĐ", "7-KNĐ", "9-KNĐ"]


def test_a_grassroots_cell_goes_straight_to_the_commune_standing_committee_in_the_2025_model(world):
    steps = approval_chain(world.village_cell, D)
    assert shape(steps) == [
        (StepKind.CELL_RESOLUTION, world.village_cell.name, "6-KNĐ", VoteBody.CELL),
        (StepKind.DECISION, world.commune.name, "9-KNĐ", VoteBody.STANDING_COMMITTEE),
    ]


def test_a_grassroots_cell_directly_under_the_province_goes_to_the_provincial_standing_office(world):
    cell = make_org(OrgKind.GRASSROOTS_CELL, world.province, name="Chi bộ Văn phòng Tỉnh ủy")
    steps = approval_chain(cell, D)
    assert steps[-1].org == world.province
    assert steps[-1].deciding_body == DecidingBody.PROVINCIAL_STANDING_BODY
    assert steps[-1].vote_body == VoteBody.PROVINCIAL_STANDING_BODY


def test_a_grassroots_committee_directly_under_the_province_is_decided_by_the_provincial_standing_office(world):
    committee = make_org(OrgKind.GRASSROOTS_COMMITTEE, world.province, name="Đảng bộ Sở Y tế")
    cell = make_org(OrgKind.CELL, committee, name="Chi bộ Phòng Nghiệp vụ")
    assert [s.form for s in approval_chain(cell, D)] == ["6-KNĐ", "8-KNĐ", "9-KNĐ"]
    assert approval_chain(cell, D)[-1].deciding_body == DecidingBody.PROVINCIAL_STANDING_BODY


def test_the_2026_commune_model_lets_the_commune_standing_committee_decide_for_its_own_cells(world):
    commune = make_org(OrgKind.COMMUNE_COMMITTEE, world.province, name="Đảng bộ xã Quảng Hà")
    authority_grant(
        org=commune,
        deciding_body=DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026,
        valid_from=datetime.date(2026, 7, 26),
        note="208-QĐ/TW",
    )
    cell = make_org(OrgKind.CELL, commune, name="Chi bộ khu phố Trần Hưng Đạo")
    sub = make_org(OrgKind.SUB_GRASSROOTS_COMMITTEE, commune, name="Đảng bộ Khu công nghiệp cảng biển")
    company_cell = make_org(OrgKind.CELL, sub, name="Chi bộ Công ty TNHH Dệt may Quảng Hà")
    day = datetime.date(2026, 9, 1)
    assert [(s.kind, s.org) for s in approval_chain(cell, day)] == [
        (StepKind.CELL_RESOLUTION, cell),
        (StepKind.DECISION, commune),
    ]
    assert approval_chain(cell, day)[-1].deciding_body == DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026
    assert [(s.kind, s.org) for s in approval_chain(company_cell, day)] == [
        (StepKind.CELL_RESOLUTION, company_cell),
        (StepKind.APPRAISAL, sub),
        (StepKind.DECISION, commune),
    ]


def test_recognition_uses_forms_13_to_16(world):
    assert [s.form for s in approval_chain(world.cell, D, purpose=Purpose.RECOGNITION)] == [
        "13-KNĐ",
        "14-KNĐ",
        "15-KNĐ",
        "16-KNĐ",
    ]


def test_a_committee_is_not_a_cell(world):
    with pytest.raises(ChainError):
        approval_chain(world.agency, D)


def test_a_cell_dissolved_before_the_date_has_no_chain(world):
    org_dissolve(org=world.agency_cell, on=datetime.date(2026, 1, 1))
    with pytest.raises(ChainError):
        approval_chain(world.agency_cell, D)
    assert approval_chain(world.agency_cell, datetime.date(2025, 12, 31))[-1].org == world.commune


def test_a_move_changes_the_chain_from_its_date_and_keeps_the_old_one_before(world):
    """The 2026 dissolution of partial committees: cells move up to the grassroots committee on a date."""
    org_move(org=world.cell, new_parent=world.agency, on=datetime.date(2026, 10, 1), reason="Giải thể đảng ủy bộ phận")
    before = approval_chain(world.cell, datetime.date(2026, 9, 30))
    after = approval_chain(world.cell, datetime.date(2026, 10, 1))
    assert [s.form for s in before] == ["6-KNĐ", "7-KNĐ", "8-KNĐ", "9-KNĐ"]
    assert [s.form for s in after] == ["6-KNĐ", "8-KNĐ", "9-KNĐ"]
    world.cell.refresh_from_db()
    assert world.cell.parent == world.agency
    assert world.cell.path == f"{world.agency.path}{world.cell.pk}/"
    assert ancestors_on(world.cell, datetime.date(2026, 9, 30))[0] == world.partial


def test_moving_a_committee_moves_its_whole_subtree_path(world):
    org_move(org=world.agency, new_parent=world.other_commune, on=datetime.date(2026, 10, 1), reason="Điều chỉnh")
    world.cell.refresh_from_db()
    assert world.cell.path.startswith(world.other_commune.path)
    assert approval_chain(world.cell, datetime.date(2026, 10, 2))[-1].org == world.other_commune
    assert approval_chain(world.cell, datetime.date(2026, 9, 1))[-1].org == world.commune


def test_a_merger_moves_the_units_to_the_successor_and_closes_the_old_org(world):
    org_dissolve(org=world.other_commune, on=datetime.date(2026, 7, 1), merged_into=world.commune)
    world.other_commune.refresh_from_db()
    world.other_cell.refresh_from_db()
    assert world.other_commune.valid_to == datetime.date(2026, 7, 1)
    assert world.other_commune.merged_into == world.commune
    assert world.other_cell.parent == world.commune
    assert approval_chain(world.other_cell, datetime.date(2026, 6, 30))[-1].org == world.other_commune
    assert approval_chain(world.other_cell, datetime.date(2026, 7, 1))[-1].org == world.commune


def test_dissolving_an_org_with_open_units_and_no_successor_is_refused(world):
    with pytest.raises(ValidationError):
        org_dissolve(org=world.partial, on=datetime.date(2026, 7, 1))


def test_an_org_cannot_move_under_its_own_unit(world):
    with pytest.raises(ValidationError):
        org_move(org=world.agency, new_parent=world.partial, on=D, reason="x")


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [(OrgKind.CELL, "province"), (OrgKind.PARTIAL_COMMITTEE, "province"), (OrgKind.COMMUNE_COMMITTEE, "commune")],
)
def test_impossible_parents_are_refused(world, kind, parent_attr):
    with pytest.raises(ValidationError):
        make_org(kind, getattr(world, parent_attr))
