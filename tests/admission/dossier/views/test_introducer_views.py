"""The forms of 3-KNĐ to 5-KNĐ: an introduction and an introducer's replacement, the Youth Union or trade-union
resolution, the compiled opinions with the organisations consulted. Today is frozen on 15/06/2026.
"""

from __future__ import annotations

from typing import Any

import pytest

from admission.dossier import services
from admission.dossier.models import Introduction, MassOrgResolution, OpinionSummary
from tests.admission.dossier.views.helpers import D, errors_of, page, png, rows, u, vi
from tests.factories import MembershipFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


# ------------------------------------------------------------------------------------------------------------------
# 3-KNĐ, 4-KNĐ, 5-KNĐ
# ------------------------------------------------------------------------------------------------------------------


def introduction_data(member: Any, **kw: Any) -> dict[str, Any]:
    return {"introducer": member.pk, "worked_together_from": "01/01/2024", "written_on": "10/03/2026", **kw}


def test_an_introduction_is_recorded_with_its_scan(client, world, case):
    member = MembershipFactory(cell=world.village_cell)
    client.force_login(world.secretary)
    form = client.get(u("dossier_introduction", case))
    assert member.person.full_name in form.content.decode()
    assert world.other_cell.name not in form.content.decode()
    response = client.post(u("dossier_introduction", case), introduction_data(member, scan=png()))
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.introducer, introduction.written_on) == (member, D(2026, 3, 10))
    html = client.get(page(case)).content.decode()
    assert member.person.full_name in html and 'data-testid="action-replace"' in html


def test_a_probationary_introducer_is_refused_with_the_explanation(client, world, case):
    probationary = MembershipFactory(cell=world.village_cell, official_on=None)
    client.force_login(world.secretary)
    response = client.post(u("dossier_introduction", case), introduction_data(probationary))
    assert response.status_code == 422
    assert vi(
        "%(name)s is not an official member on %(day)s.", name=probationary.person.full_name, day="10/03/2026"
    ) in errors_of(response)
    assert not Introduction.objects.exists()


def test_an_introducer_outside_the_users_units_is_not_a_choice(client, world, case):
    stranger = MembershipFactory(cell=world.other_cell)
    client.force_login(world.secretary)
    response = client.post(u("dossier_introduction", case), introduction_data(stranger))
    assert response.status_code == 422 and "introducer" in response.context["form"].errors


def test_the_add_button_goes_once_the_introductions_needed_are_there(client, world, case):
    for _ in range(2):
        services.introduction_add(
            candidate=case,
            introducer=MembershipFactory(cell=world.village_cell),
            worked_together_from=D(2024, 1, 1),
            written_on=D(2026, 3, 10),
            by=world.secretary,
        )
    client.force_login(world.secretary)
    assert 'data-testid="action-introduction"' not in client.get(page(case)).content.decode()


def test_an_introducer_is_replaced_with_the_reason(client, world, case):
    old = services.introduction_add(
        candidate=case,
        introducer=MembershipFactory(cell=world.village_cell),
        worked_together_from=D(2024, 1, 1),
        written_on=D(2026, 3, 10),
        by=world.secretary,
    )
    new_member = MembershipFactory(cell=world.village_cell)
    client.force_login(world.secretary)
    url = u("dossier_introduction_replace", case, old.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, introduction_data(new_member, written_on="20/04/2026", reason="Chuyển công tác"))
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.replaced_by.introducer, old.replaced_on, old.replacement_reason) == (
        new_member,
        D(2026, 4, 20),
        "Chuyển công tác",
    )
    assert 'data-active="false"' in client.get(page(case)).content.decode()


def test_a_replacement_without_a_reason_is_a_422(client, world, case):
    old = services.introduction_add(
        candidate=case,
        introducer=MembershipFactory(cell=world.village_cell),
        worked_together_from=D(2024, 1, 1),
        written_on=D(2026, 3, 10),
        by=world.secretary,
    )
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_introduction_replace", case, old.pk), introduction_data(MembershipFactory(cell=world.village_cell))
    )
    assert response.status_code == 422 and "reason" in response.context["form"].errors
    assert Introduction.objects.count() == 1


def test_the_youth_union_resolution_is_recorded_and_one_introducer_is_then_enough(client, world, case):
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_mass_org", case),
        {
            "kind": "youth_union",
            "body_name": "BCH Đoàn xã Hoành Mô",
            "number": "05-NQ/ĐTN",
            "adopted_on": "12/03/2026",
            "scan": png(),
        },
    )
    assert response.status_code == 302
    assert MassOrgResolution.objects.get().number == "05-NQ/ĐTN"
    assert client.get(page(case)).context["introducers_needed"] == 1


def test_a_trade_union_resolution_for_a_non_member_is_a_422(client, world, case):
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_mass_org", case),
        {"kind": "trade_union", "body_name": "BCH Công đoàn", "number": "1/NQ", "adopted_on": "12/03/2026"},
    )
    assert response.status_code == 422
    assert vi("Only a trade-union member is introduced by the trade union.") in errors_of(response)


def test_the_compiled_opinions_are_recorded_with_the_organisations(client, world, case):
    client.force_login(world.secretary)
    data = {
        "compiled_on": "01/04/2026",
        "residence_cell": "Chi bộ thôn Nà Sa",
        "residence_opinion": "Gương mẫu",
        "synthesis": "Đủ điều kiện",
        **rows(
            "orgs", [{"name": "Đoàn trường", "met_on": "20/03/2026", "participants": "25", "strengths": "Tích cực"}, {}]
        ),
    }
    response = client.post(u("dossier_opinions", case), data)
    assert response.status_code == 302, errors_of(response)
    summary = OpinionSummary.objects.get()
    assert summary.organisations == [
        {"name": "Đoàn trường", "met_on": "2026-03-20", "participants": 25, "strengths": "Tích cực", "weaknesses": ""}
    ]
    again = client.get(u("dossier_opinions", case))
    assert again.context["sections"]["organisations"].formset.forms[0].initial["met_on"] == D(2026, 3, 20)


def test_an_organisation_meeting_after_the_compilation_is_a_422(client, world, case):
    client.force_login(world.secretary)
    data = {
        "compiled_on": "01/04/2026",
        "residence_cell": "Chi bộ thôn Nà Sa",
        "residence_opinion": "Gương mẫu",
        **rows("orgs", [{"name": "Đoàn trường", "met_on": "02/04/2026"}]),
    }
    response = client.post(u("dossier_opinions", case), data)
    assert response.status_code == 422
    assert vi("%(name)s met after the opinions were compiled.", name="Đoàn trường") in errors_of(response)
    assert not OpinionSummary.objects.exists()


def test_opinions_without_the_residence_opinion_are_a_422(client, world, case):
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_opinions", case), {"compiled_on": "01/04/2026", "residence_cell": "Chi bộ", **rows("orgs", [])}
    )
    assert response.status_code == 422 and "residence_opinion" in response.context["form"].errors
