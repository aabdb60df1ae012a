"""The form pages of the dossier and the helpers (certificate, discipline, 10–12-KNĐ, replacing a helper), one
service each: the happy path and its row in the database, a refused input (422 with the reason), the outsider (404),
the commune approver who reads but does not act for the cell (403), the wrong method (405). The member's own login
writes the self-review but none of the cell's records; a helper writes their own comments.

Probation runs from 15/08/2025 (decision of 01/08/2025) to 15/08/2026; today is frozen on 15/06/2026 unless a test
travels elsewhere.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from admission.party.models.people import Membership, Person
from admission.party.models.roles import RoleKind
from admission.probation.models import (
    HelperComment,
    NewMemberCertificate,
    ProbationDiscipline,
    ProbationOpinions,
    SelfReview,
)
from tests.admission.probation.helpers import login, probationer, u
from tests.factories import UserFactory, give_role

D = datetime.date
pytestmark = pytest.mark.usefixtures("english", "frozen_today")


def rows(prefix: str, lines: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(lines)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        data.update({f"{prefix}-{i}-{k}": v for k, v in line.items()})
    return data


def opinions_data(**overrides: Any) -> dict[str, Any]:
    return {
        "compiled_on": "10/06/2026",
        "residence_cell": "Chi bộ thôn Nà Sa",
        "residence_opinion": "Gương mẫu, được nhân dân tín nhiệm.",
        "synthesis": "Đủ điều kiện.",
        **rows(
            "orgs",
            [
                {"name": "Đoàn thanh niên xã", "met_on": "05/06/2026", "participants": "20", "strengths": "Nhiệt tình"},
                {"name": "", "met_on": "", "participants": "", "strengths": "", "weaknesses": ""},
            ],
        ),
        **overrides,
    }


# ------------------------------------------------------------------------------------------------------------------
# Certificate, discipline
# ------------------------------------------------------------------------------------------------------------------


def test_the_secretary_records_the_certificate(client, world, probation):
    c = login(client, world.secretary)
    assert c.get(u("probation_certificate", probation)).status_code == 200
    response = c.post(
        u("probation_certificate", probation),
        {"number": "88/CN", "issued_on": "02/06/2026", "issuer": "Trung tâm Chính trị huyện"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/probation/#dossier")
    cert = NewMemberCertificate.objects.get(probation=probation)
    assert (cert.number, cert.issued_on, cert.recorded_by) == ("88/CN", D(2026, 6, 2), world.secretary)
    page = c.get(u("probation", probation)).content.decode()
    assert "The certificate is recorded." in page and "88/CN" in page


def test_a_certificate_dated_before_the_ceremony_comes_back_with_the_reason(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_certificate", probation), {"number": "88/CN", "issued_on": "01/08/2025", "issuer": "TTCT"}
    )
    assert response.status_code == 422
    assert "between the ceremony and today" in response.content.decode()
    assert not NewMemberCertificate.objects.exists()


def test_a_certificate_without_a_date_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_certificate", probation), {"number": "88/CN", "issued_on": "", "issuer": "TTCT"}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "name",
    ["probation_certificate", "probation_discipline", "probation_opinions", "probation_removal", "probation_transfer"],
)
def test_the_cells_forms_are_403_for_the_approver_404_for_the_outsider_and_405_for_put(client, world, probation, name):
    assert login(client, world.approver).get(u(name, probation)).status_code == 403
    assert client.post(u(name, probation), {}).status_code == 403
    client.logout()
    assert login(client, world.outsider).get(u(name, probation)).status_code == 404
    client.logout()
    assert login(client, world.secretary).put(u(name, probation)).status_code == 405


def test_the_secretary_records_a_warning(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_discipline", probation),
        {
            "kind": "warning",
            "decided_on": "01/06/2026",
            "decision_ref": "3-QĐ/CB",
            "decided_by": "Chi bộ thôn Nà Sa",
            "reason": "Vi phạm quy định sinh hoạt",
        },
    )
    assert response.status_code == 302
    row = ProbationDiscipline.objects.get(probation=probation)
    assert (row.kind, row.decision_ref) == ("warning", "3-QĐ/CB")


def test_it_rejects_a_sanction_other_than_reprimand_or_warning(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_discipline", probation),
        {"kind": "expulsion", "decided_on": "01/06/2026", "decision_ref": "3", "decided_by": "CB", "reason": "x"},
    )
    assert response.status_code == 422
    assert not ProbationDiscipline.objects.exists()


# ------------------------------------------------------------------------------------------------------------------
# 10-KNĐ, 11-KNĐ, 12-KNĐ
# ------------------------------------------------------------------------------------------------------------------


def test_the_member_writes_their_own_self_review(client, probation, member):
    c = login(client, member)
    assert c.get(u("probation_self_review", probation)).status_code == 200
    response = c.post(
        u("probation_self_review", probation),
        {"written_on": "14/06/2026", "strengths": "Hoàn thành tốt nhiệm vụ.", "weaknesses": "", "remedies": ""},
    )
    assert response.status_code == 302
    review = SelfReview.objects.get(probation=probation)
    assert (review.recorded_by, review.strengths) == (member, "Hoàn thành tốt nhiệm vụ.")


def test_the_member_cannot_write_the_cells_records(client, world, probation, member):
    c = login(client, member)
    for name in ("probation_certificate", "probation_opinions", "probation_discipline", "probation_removal"):
        assert c.post(u(name, probation), {}).status_code == 403, name
    mentor = probation.helpers().get()
    assert c.post(u("probation_comment", probation, mentor.pk), {}).status_code == 403
    assert not NewMemberCertificate.objects.exists()


def test_a_self_review_without_its_assessment_is_422(client, probation, member):
    response = login(client, member).post(u("probation_self_review", probation), {"written_on": "14/06/2026"})
    assert response.status_code == 422
    assert not SelfReview.objects.exists()


def test_a_self_review_dated_in_the_future_comes_back_with_the_reason(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_self_review", probation), {"written_on": "16/06/2026", "strengths": "Tốt"}
    )
    assert response.status_code == 422
    assert "between the ceremony and today" in response.content.decode()


def test_the_approver_cannot_write_the_self_review_and_the_outsider_does_not_see_it(client, world, probation):
    assert login(client, world.approver).get(u("probation_self_review", probation)).status_code == 403
    client.logout()
    assert login(client, world.outsider).get(u("probation_self_review", probation)).status_code == 404


def test_the_secretary_records_a_helpers_comments(client, world, probation):
    mentor = probation.helpers().get()
    c = login(client, world.secretary)
    assert c.get(u("probation_comment", probation, mentor.pk)).status_code == 200
    response = c.post(
        u("probation_comment", probation, mentor.pk),
        {"written_on": "12/06/2026", "assessment": "Đủ tư cách đảng viên.", "recommends_recognition": "yes"},
    )
    assert response.status_code == 302
    comment = HelperComment.objects.get(probation=probation)
    assert (comment.mentor, comment.recommends_recognition) == (mentor, True)


def test_a_helpers_comment_dated_before_the_assignment_is_422(client, world, probation):
    mentor = probation.helpers().get()
    response = login(client, world.secretary).post(
        u("probation_comment", probation, mentor.pk),
        {"written_on": "01/08/2025", "assessment": "Tốt", "recommends_recognition": "no"},
    )
    assert response.status_code == 422
    assert "between the assignment and today" in response.content.decode()


def test_the_helper_writes_their_own_comments(client, world, probation):
    mentor = probation.helpers().select_related("member__person").get()
    helper = UserFactory(username="nguoi.giup")
    Person.objects.filter(pk=mentor.member.person_id).update(user=helper)
    give_role(
        helper, world.commune, RoleKind.COMMITTEE_MEMBER
    )  # sees the case through the commune, acts not for the cell
    response = login(client, helper).post(
        u("probation_comment", probation, mentor.pk),
        {"written_on": "12/06/2026", "assessment": "Tiến bộ rõ.", "recommends_recognition": "yes"},
    )
    assert response.status_code == 302
    assert HelperComment.objects.get(probation=probation).recorded_by == helper


def test_a_helper_of_another_case_is_404(client, world, probation):
    other = probationer(world)
    mentor = other.helpers().get()
    assert login(client, world.secretary).get(u("probation_comment", probation, mentor.pk)).status_code == 404


def test_the_opinions_form_offers_the_saved_rows_and_two_empty_lines(client, world, probation):
    c = login(client, world.secretary)
    assert c.get(u("probation_opinions", probation)).content.decode().count('data-testid="row-organisations"') == 2
    response = c.post(u("probation_opinions", probation), opinions_data())
    assert response.status_code == 302
    summary = ProbationOpinions.objects.get(probation=probation)
    assert summary.organisations == [
        {
            "name": "Đoàn thanh niên xã",
            "met_on": "2026-06-05",
            "participants": 20,
            "strengths": "Nhiệt tình",
            "weaknesses": "",
        }
    ]
    again = c.get(u("probation_opinions", probation)).content.decode()
    assert again.count('data-testid="row-organisations"') == 3 and "Đoàn thanh niên xã" in again


def test_opinions_without_the_residence_opinion_are_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_opinions", probation), opinions_data(residence_opinion="")
    )
    assert response.status_code == 422
    assert not ProbationOpinions.objects.exists()


def test_an_organisation_that_met_after_the_compilation_comes_back_with_the_reason(client, world, probation):
    data = opinions_data(**{"orgs-0-met_on": "12/06/2026"})
    response = login(client, world.secretary).post(u("probation_opinions", probation), data)
    assert response.status_code == 422
    assert "met after the opinions were compiled" in response.content.decode()


# ------------------------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------------------------


def test_the_secretary_replaces_a_helper_and_both_stay_on_record(client, world, probation):
    old = probation.helpers().get()
    c = login(client, world.secretary)
    form = c.get(u("probation_helper", probation, old.pk))
    offered = list(form.context["form"].fields["replacement"].queryset)
    assert old.member not in offered and offered
    response = c.post(
        u("probation_helper", probation, old.pk),
        {"replacement": offered[0].pk, "on": "10/06/2026", "reason": "Chuyển công tác"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ended_on == D(2026, 6, 10)
    assert [m.member for m in probation.helpers().filter(ended_on__isnull=True)] == [offered[0]]
    page = c.get(u("probation", probation)).content.decode()
    assert page.count('data-testid="helper"') == 2 and "Chuyển công tác" in page


def test_a_replacement_without_its_reason_is_422(client, world, probation):
    old = probation.helpers().get()
    other = Membership.objects.filter(cell=world.village_cell).exclude(pk=old.member_id).first()
    response = login(client, world.secretary).post(
        u("probation_helper", probation, old.pk), {"replacement": other.pk, "on": "10/06/2026", "reason": ""}
    )
    assert response.status_code == 422
    old.refresh_from_db()
    assert old.ended_on is None


def test_the_approver_cannot_replace_a_helper(client, world, probation):
    old = probation.helpers().get()
    assert login(client, world.approver).get(u("probation_helper", probation, old.pk)).status_code == 403
