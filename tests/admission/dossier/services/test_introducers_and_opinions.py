"""The introducers (3-KNĐ), judged on the meeting date (Charter Art. 4.2), and their replacement; the Youth Union's or
trade union's resolution (4-KNĐ) that takes the place of one; the compiled opinions (5-KNĐ)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from admission.dossier import services as svc
from admission.dossier.checklist import check_introducer, introducers_needed
from admission.dossier.models import Introduction
from tests.admission.dossier.services.helpers import TODAY, D, introduce, items, make_case, official, opinions, pdf, png
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


# Introducers (Charter Art. 4.2)


def test_an_introducer_who_worked_together_exactly_twelve_months_passes_and_one_day_less_fails(case, world):
    member = official(world)

    def cowork(meeting_on, to=None):
        verdicts = check_introducer(
            introducer=member,
            worked_together_from=D(2025, 3, 2),
            worked_together_to=to,
            rule_set=case.rule_set,
            meeting_on=meeting_on,
        )
        return {v.code: v.passed for v in verdicts}["introducer_cowork"]

    assert cowork(D(2026, 3, 2)) is True
    assert cowork(D(2026, 3, 1)) is False
    # A period that ended counts its last day: 02/03/2025 to 01/03/2026 is exactly twelve months.
    assert cowork(D(2026, 6, 1), to=D(2026, 3, 1)) is True
    assert cowork(D(2026, 6, 1), to=D(2026, 2, 28)) is False


def test_an_introducer_must_be_official_on_the_meeting_date_with_no_minimum_seniority(case, world):
    member = official(world, official_on=D(2026, 3, 1))

    def is_official(meeting_on):
        verdicts = check_introducer(
            introducer=member,
            worked_together_from=D(2024, 1, 1),
            worked_together_to=None,
            rule_set=case.rule_set,
            meeting_on=meeting_on,
        )
        return {v.code: v for v in verdicts}["introducer_official"]

    assert is_official(D(2026, 3, 1)).passed  # official for a day, two years together: qualifies
    failed = is_official(D(2026, 2, 28))
    assert not failed.passed and "is not an official member on 28/02/2026" in failed.reason


def test_a_probationary_member_cannot_write_an_introduction(case, world):
    member = official(world, official_on=None)
    with pytest.raises(ValidationError, match="is not an official member"):
        introduce(case, world.secretary, member)


def test_a_period_together_that_ended_short_is_refused_at_once(case, world):
    with pytest.raises(ValidationError, match="only from 01/01/2025 to 30/06/2025; 12 months are needed"):
        introduce(case, world.secretary, official(world), worked_from=D(2025, 1, 1), worked_together_to=D(2025, 6, 30))


def test_a_period_still_running_is_judged_on_the_meeting_date(case, world):
    introduce(case, world.secretary, official(world), written_on=D(2026, 3, 10), worked_from=D(2025, 6, 1))
    introduce(case, world.secretary, official(world))
    assert items(case, D(2026, 5, 31))["introductions"].status == "in_progress"
    assert "reached only on 01/06/2026" in items(case, D(2026, 5, 31))["introductions"].reason
    assert items(case, D(2026, 6, 1))["introductions"].status == "done"


def test_an_introducer_who_left_the_cell_no_longer_counts(case, world):
    member = official(world)
    introduce(case, world.secretary, member)
    introduce(case, world.secretary, official(world))
    member.left_cell_on = D(2026, 5, 1)
    member.save()
    item = items(case, D(2026, 5, 1))
    assert item["introductions"].status == "in_progress" and "replace the introducer" in item["introductions"].reason
    assert items(case, D(2026, 4, 30))["introductions"].status == "done"


def test_two_introducers_are_needed_and_a_third_is_refused(case, world):
    assert introducers_needed(case, TODAY) == 2
    introduce(case, world.secretary, official(world))
    assert items(case, TODAY)["introductions"].status == "in_progress"
    introduce(case, world.secretary, official(world))
    assert items(case, TODAY)["introductions"].status == "done"
    with pytest.raises(ValidationError, match="already has the 2 introduction"):
        introduce(case, world.secretary, official(world))


def test_the_same_member_introduces_once_and_the_applicant_never(case, world):
    member = official(world)
    introduce(case, world.secretary, member)
    with pytest.raises(ValidationError, match="already introduces"):
        introduce(case, world.secretary, member)
    own = MembershipFactory(cell=world.other_cell, person=case.person)
    with pytest.raises(ValidationError, match="cannot introduce themself"):
        introduce(case, world.secretary, own)


def test_a_youth_union_resolution_replaces_one_introducer(world):
    case = make_case(world, person=PersonFactory(full_name="Đinh Văn Trẻ", youth_union_member=True))
    item = items(case, TODAY)["mass_org_resolution"]
    assert item.status == "missing" and "Youth Union" in item.reason
    svc.mass_org_resolution_record(
        candidate=case,
        kind="youth_union",
        body_name="BCH Đoàn xã Hoành Mô",
        number="05-NQ/ĐTN",
        adopted_on=D(2026, 3, 12),
        scan=png(),
        by=world.secretary,
    )
    assert introducers_needed(case, TODAY) == 1
    assert introducers_needed(case, D(2026, 3, 11)) == 2  # not adopted yet on that day
    introduce(case, world.secretary, official(world))
    checklist = items(case, TODAY)
    assert (checklist["introductions"].status, checklist["mass_org_resolution"].status) == ("done", "done")
    assert checklist["mass_org_resolution"].expires_on == D(2027, 3, 12)
    assert items(case, D(2027, 3, 12))["mass_org_resolution"].status == "expired"
    with pytest.raises(ValidationError, match="already has the 1 introduction"):
        introduce(case, world.secretary, official(world))


def test_only_union_members_are_introduced_by_their_union(case, world):
    with pytest.raises(ValidationError, match="Only a Youth Union member"):
        svc.mass_org_resolution_record(
            candidate=case,
            kind="youth_union",
            body_name="BCH",
            number="1",
            adopted_on=D(2026, 3, 1),
            by=world.secretary,
        )
    with pytest.raises(ValidationError, match="Only a trade-union member"):
        svc.mass_org_resolution_record(
            candidate=case,
            kind="trade_union",
            body_name="BCH",
            number="1",
            adopted_on=D(2026, 3, 1),
            by=world.secretary,
        )


def test_a_replaced_introducer_stops_counting_and_keeps_the_link_and_reason(case, world):
    leaving, staying, incoming = official(world), official(world), official(world)
    old = introduce(case, world.secretary, leaving)
    introduce(case, world.secretary, staying)
    new = svc.introduction_replace(
        introduction=old,
        introducer=incoming,
        worked_together_from=D(2023, 5, 1),
        written_on=D(2026, 4, 20),
        reason="Chuyển công tác",
        scan=pdf(),
        by=world.secretary,
    )
    old.refresh_from_db()
    assert (old.replaced_by, old.replaced_on, old.replacement_reason) == (new, D(2026, 4, 20), "Chuyển công tác")
    assert [i.introducer for i in Introduction.objects.filter(replaced_by__isnull=True)] == [staying, incoming]
    item = items(case, TODAY)["introductions"]
    assert item.status == "done" and leaving.person.full_name not in item.reason
    # On the day before the replacement, the old introduction still stood.
    assert leaving.person.full_name in items(case, D(2026, 4, 19))["introductions"].reason
    with pytest.raises(ValidationError, match="already been replaced"):
        svc.introduction_replace(
            introduction=old,
            introducer=official(world),
            worked_together_from=D(2023, 5, 1),
            written_on=D(2026, 4, 21),
            reason="x",
            by=world.secretary,
        )


def test_a_replacement_needs_a_reason_and_another_member(case, world):
    member = official(world)
    old = introduce(case, world.secretary, member)
    kwargs = {"introduction": old, "worked_together_from": D(2023, 5, 1), "written_on": D(2026, 4, 20)}
    with pytest.raises(ValidationError, match="Say why"):
        svc.introduction_replace(introducer=official(world), reason=" ", by=world.secretary, **kwargs)
    with pytest.raises(ValidationError, match="Choose another member"):
        svc.introduction_replace(introducer=member, reason="Kỷ luật", by=world.secretary, **kwargs)


# 5-KNĐ


def test_the_opinions_need_the_residence_cells_opinion_and_keep_the_organisations(case, world):
    with pytest.raises(ValidationError, match="cell where the applicant lives"):
        svc.opinions_record(
            candidate=case, compiled_on=D(2026, 3, 15), residence_cell="", residence_opinion="", by=world.secretary
        )
    summary = opinions(case, world.secretary, scan=png())
    assert summary.organisations == [
        {"name": "Chi đoàn thôn Nà Sa", "met_on": "2026-03-12", "participants": 18, "strengths": "", "weaknesses": ""}
    ]
    with pytest.raises(ValidationError, match="met after the opinions were compiled"):
        opinions(case, world.secretary, compiled_on=D(2026, 3, 11))
