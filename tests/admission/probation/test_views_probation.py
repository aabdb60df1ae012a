"""Probation screens: the page (dates that must never be wrong, what comes next and by when, overdue in red, the
dossier checklist, the chain, removals and transfers) and one form per action, each calling one service.

Per screen: the happy path and its row in the database, a refused input (422 with the reason), the outsider (404),
the commune approver who reads but does not act for the cell (403, no buttons), the wrong method (405). The member's
own login writes the self-review but none of the cell's records. Probation runs from 15/08/2025 (decision of
01/08/2025) to 15/08/2026; today is frozen on 15/06/2026 unless a test travels elsewhere.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from admission.party.models.people import Membership, Person
from admission.party.models.roles import RoleKind
from admission.probation.models import (
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationDiscipline,
    ProbationOpinions,
    ProbationRemoval,
    ProbationStatus,
    ProbationTransfer,
    RemovalStatus,
    SelfReview,
    TransferStatus,
)
from admission.probation.services import next_step, probation_deadlines, recognition_step_complete
from tests.admission.probation.test_probation import DECIDED, END, at, cell_vote, complete_dossier, probationer
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import MEETING, open_case, run, step_data, vote_data
from tests.workflows.test_probation_flow import waiting

D = datetime.date
TODAY = D(2026, 6, 15)
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def probation(world) -> Probation:
    return probationer(world)


@pytest.fixture
def member(probation) -> Any:
    """The probationer's own login (Person.user)."""
    user = UserFactory(username="dangvien.duby")
    Person.objects.filter(pk=probation.candidate.person_id).update(user=user)
    probation.candidate.person.refresh_from_db()
    return user


def u(name: str, probation: Probation, *args: Any) -> str:
    return reverse(f"admission:candidates:{name}", args=[probation.candidate_id, *args])


def login(client, user):
    """Log in, reading the screens in English (the msgids): the assertions do not depend on the translations."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


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
# The page
# ------------------------------------------------------------------------------------------------------------------


def test_the_page_shows_the_official_date_the_party_age_date_and_the_days_left(client, world, probation):
    response = login(client, world.secretary).get(u("probation", probation))
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context
    assert page["dates"].deadlines.ends_on == END
    assert page["dates"].party_age_from == DECIDED
    assert page["dates"].days_left == (END - TODAY).days == 61
    assert "15/08/2026" in html and "01/08/2025" in html and "15/08/2025" in html
    assert 'data-testid="official-date"' in html and 'data-testid="party-age-date"' in html
    assert "61 days left" in html
    assert 'data-status="running"' in html


def test_the_page_lists_what_the_dossier_misses_and_what_comes_next_with_the_cells_due_date(client, world, probation):
    response = login(client, world.secretary).get(u("probation", probation))
    html = response.content.decode()
    cell_due = probation_deadlines(probation.candidate).cell_due
    assert "the new-member course certificate" in html and "the compiled opinions (12-KNĐ)" in html
    assert f"Due by {cell_due:%d/%m/%Y}" in html
    assert 'data-overdue="true"' not in html
    for action in ("certificate", "self-review", "opinions", "discipline", "removal", "transfer", "replace", "comment"):
        assert f'data-testid="action-{action}"' in html, action
    assert 'data-testid="action-extend"' not in html


def test_the_reminders_show_which_went_out(client, world, probation):
    c = login(client, world.secretary)
    before = [(r.days_before, r.on, r.sent, r.planned) for r in c.get(u("probation", probation)).context["reminders"]]
    assert before[:2] == [(90, D(2026, 5, 17), False, False), (60, D(2026, 6, 16), False, True)]
    Probation.objects.filter(pk=probation.pk).update(last_reminder_days=90)
    response = c.get(u("probation", probation))
    sent = [(r.days_before, r.sent, r.planned) for r in response.context["reminders"]]
    assert sent == [(90, True, False), (60, False, True), (30, False, True), (15, False, True), (7, False, True)]
    assert response.content.decode().count('data-sent="true"') == 1


def test_a_cell_past_its_recognition_deadline_is_flagged_overdue_in_red(client, world, probation):
    cell_due = probation_deadlines(probation.candidate).cell_due
    late = cell_due + datetime.timedelta(days=1)
    with at(late):
        response = login(client, world.secretary).get(u("probation", probation))
    html = response.content.decode()
    assert 'data-overdue="true"' in html and 'data-testid="overdue"' in html
    assert f'<span class="kn-late" data-testid="next-due">Due by {cell_due:%d/%m/%Y}' in html


def test_the_cell_acting_on_its_last_day_is_not_overdue(client, world, probation):
    cell_due = probation_deadlines(probation.candidate).cell_due
    with at(cell_due):
        response = login(client, world.secretary).get(u("probation", probation))
    assert 'data-overdue="true"' not in response.content.decode()


def test_a_late_recognition_shows_the_official_date_as_the_end_of_probation(client, world, probation):
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 20), 3)
    late = D(2026, 11, 20)
    with at(late):
        recognition_step_complete(
            step=next_step(probation), by=world.approver, on=late, document_number="70-QĐ/ĐU", late_reason="Bổ sung"
        )
        response = login(client, world.secretary).get(u("probation", probation))
    html = response.content.decode()
    assert response.context["dates"].official_on == END
    assert "Official member from" in html and "15/08/2026" in html and "01/08/2025" in html
    assert 'data-status="recognised"' in html
    assert 'data-testid="action-certificate"' not in html  # closed: nothing to record any more
    assert html.count('data-testid="chain-step"') == 2 and "70-QĐ/ĐU" in html


def test_the_deciding_body_sees_the_decisions_due_date_and_may_extend_it(client, world, probation):
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 20), 3)
    due = probation_deadlines(probation.candidate).decision_due
    with at(D(2026, 8, 25)):
        approver = login(client, world.approver).get(u("probation", probation)).content.decode()
        client.logout()
        secretary = login(client, world.secretary).get(u("probation", probation)).content.decode()
    assert f"Due by {due:%d/%m/%Y}" in approver and "16-KNĐ" in approver
    assert 'data-testid="action-extend"' in approver
    assert 'data-testid="action-extend"' not in secretary


def test_an_outsider_gets_404_on_the_page(client, world, probation):
    assert login(client, world.outsider).get(u("probation", probation)).status_code == 404
    client.logout()
    assert login(client, world.candidate_user).get(u("probation", probation)).status_code == 404


def test_a_case_without_a_probation_is_404(client, world, probation):
    url = reverse("admission:candidates:probation", args=[probation.candidate_id + 999])
    assert login(client, world.secretary).get(url).status_code == 404


def test_the_commune_approver_reads_the_page_without_buttons(client, world, probation):
    response = login(client, world.approver).get(u("probation", probation))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="action-' not in html


def test_the_page_refuses_a_post(client, world, probation):
    assert login(client, world.secretary).post(u("probation", probation)).status_code == 405


def test_the_member_sees_their_page_and_only_the_self_review_button(client, world, probation, member):
    opinions_record_for(probation, world)
    response = login(client, member).get(u("probation", probation))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="action-self-review"' in html and "Write my self-review" in html
    assert 'data-testid="action-certificate"' not in html and 'data-testid="action-opinions"' not in html
    assert "Gương mẫu" not in html  # the units' assessments are not shown to the member


def test_the_case_page_links_to_the_probation(client, world, probation):
    html = login(client, world.secretary).get(reverse("admission:candidates:detail", args=[probation.candidate_id]))
    assert u("probation", probation) in html.content.decode()


def opinions_record_for(probation, world):
    from admission.probation.services import opinions_record

    opinions_record(
        probation=probation,
        compiled_on=TODAY,
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu.",
        by=world.secretary,
    )


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


# ------------------------------------------------------------------------------------------------------------------
# Removal, transfer, extension
# ------------------------------------------------------------------------------------------------------------------


def test_the_cell_proposes_the_removal(client, world, probation):
    c = login(client, world.secretary)
    response = c.post(
        u("probation_removal", probation),
        {"reason_code": "abandoned_activity", "reason": "Bỏ sinh hoạt ba tháng", "proposed_on": "15/06/2026"},
    )
    assert response.status_code == 302
    removal = ProbationRemoval.objects.get(probation=probation)
    assert (removal.status, removal.reason_code, removal.proposed_by_org) == (
        RemovalStatus.PROPOSED,
        "abandoned_activity",
        world.village_cell,
    )
    page = c.get(u("probation", probation)).content.decode()
    assert "Bỏ sinh hoạt ba tháng" in page and 'data-testid="action-removal"' not in page
    assert "decides the removal proposed on 15/06/2026" in page


def test_a_removal_without_its_details_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_removal", probation), {"reason_code": "other", "reason": "", "proposed_on": "15/06/2026"}
    )
    assert response.status_code == 422
    assert not ProbationRemoval.objects.exists()


def test_a_second_removal_while_one_waits_comes_back_with_the_reason(client, world, probation):
    c = login(client, world.secretary)
    data = {"reason_code": "other", "reason": "Lý do", "proposed_on": "15/06/2026"}
    assert c.post(u("probation_removal", probation), data).status_code == 302
    response = c.post(u("probation_removal", probation), data)
    assert response.status_code == 422
    assert "already waiting" in response.content.decode()


def test_the_cell_transfers_the_member_and_the_receiving_cell_reads_its_comments(client, world, probation):
    c = login(client, world.secretary)
    form = c.get(u("probation_transfer", probation))
    cells = list(form.context["form"].fields["to_cell"].queryset)
    assert world.cell in cells and world.other_cell in cells and world.village_cell not in cells
    response = c.post(
        u("probation_transfer", probation),
        {"moved_on": "10/06/2026", "to_cell": world.cell.pk, "former_cell_comment": "Chấp hành tốt, nhiệt tình."},
    )
    assert response.status_code == 302
    transfer = ProbationTransfer.objects.get(probation=probation)
    assert (transfer.status, transfer.to_cell, transfer.from_cell) == (
        TransferStatus.PENDING,
        world.cell,
        world.village_cell,
    )
    receiver = UserFactory(username="bithu.toan")
    give_role(receiver, world.cell, RoleKind.CELL_SECRETARY)
    client.logout()
    page = login(client, receiver).get(u("probation", probation))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chấp hành tốt, nhiệt tình." in html and f"{world.cell.name} receives the member" in html
    assert 'data-testid="action-' not in html  # the receiving cell acts through its task, not here


def test_a_transfer_outside_the_system_closes_the_probation(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_transfer", probation),
        {"moved_on": "10/06/2026", "destination": "Đảng bộ tỉnh Lạng Sơn", "former_cell_comment": "Tốt."},
    )
    assert response.status_code == 302
    probation.refresh_from_db()
    assert probation.status == ProbationStatus.TRANSFERRED_OUT


def test_a_transfer_naming_both_a_cell_and_an_outside_organisation_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_transfer", probation),
        {"moved_on": "10/06/2026", "to_cell": world.cell.pk, "destination": "Nơi khác", "former_cell_comment": "x"},
    )
    assert response.status_code == 422
    assert not ProbationTransfer.objects.exists()


def test_a_transfer_without_the_former_cells_comments_is_422(client, world, probation):
    response = login(client, world.secretary).post(
        u("probation_transfer", probation), {"moved_on": "10/06/2026", "to_cell": world.cell.pk}
    )
    assert response.status_code == 422


def waiting_for_the_decision(probation, world):
    complete_dossier(probation, world.secretary)
    cell_vote(probation, world.secretary, D(2026, 8, 20), 3)


def test_the_deciding_body_extends_the_decisions_deadline_once(client, world, probation):
    waiting_for_the_decision(probation, world)
    before = probation_deadlines(probation.candidate).decision_due
    with at(D(2026, 9, 1)):
        c = login(client, world.approver)
        assert c.get(u("probation_extend", probation)).status_code == 200
        response = c.post(u("probation_extend", probation), {"reason": "Chờ xác minh bổ sung"})
        assert response.status_code == 302
        again = c.post(u("probation_extend", probation), {"reason": "Lần nữa"})
    probation.refresh_from_db()
    assert probation.decision_extension_reason == "Chờ xác minh bổ sung"
    assert probation_deadlines(probation.candidate).decision_due > before
    assert again.status_code == 422 and "already been extended" in again.content.decode()


def test_an_extension_without_a_reason_is_422(client, world, probation):
    waiting_for_the_decision(probation, world)
    with at(D(2026, 9, 1)):
        response = login(client, world.approver).post(u("probation_extend", probation), {"reason": ""})
    assert response.status_code == 422


def test_the_cell_cannot_extend_the_decisions_deadline(client, world, probation):
    waiting_for_the_decision(probation, world)
    with at(D(2026, 9, 1)):
        assert login(client, world.secretary).post(u("probation_extend", probation), {"reason": "x"}).status_code == 403
        client.logout()
        assert login(client, world.outsider).post(u("probation_extend", probation), {"reason": "x"}).status_code == 404
        client.logout()
        assert login(client, world.approver).delete(u("probation_extend", probation)).status_code == 405


def test_a_removed_member_shows_the_decision_and_no_buttons(client, world, probation):
    from admission.probation.services import removal_decide, removal_propose

    removal = removal_propose(
        probation=probation,
        reason_code="abandoned_activity",
        reason="Bỏ sinh hoạt",
        proposed_on=TODAY,
        by=world.secretary,
    )
    removal_decide(removal=removal, approve=True, decided_on=TODAY, decision_number="12-QĐ/ĐU", by=world.approver)
    response = login(client, world.secretary).get(u("probation", probation))
    html = response.content.decode()
    assert 'data-status="removed"' in html and "12-QĐ/ĐU" in html
    assert 'data-testid="action-' not in html and 'data-testid="probation-next"' not in html


@pytest.fixture
def flow_case(world):
    """A member admitted through the admission flow, whose ceremony of 20/04/2026 starts the ProbationFlow."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 4, 1)):
        run(case, "chain_step", world.approver, step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU"))
        run(case, "receive_decision", world.secretary, {"received_on": D(2026, 4, 1)})
    helpers = list(Membership.objects.filter(cell=world.village_cell).official_on(MEETING)[:1])
    with at(D(2026, 4, 20)):
        run(
            case,
            "ceremony",
            world.secretary,
            {"held_on": D(2026, 4, 20), "decision_read_by": "Bí thư", "mentors": helpers},
        )
    case.refresh_from_db()
    return case


def test_a_transfer_on_the_screen_hands_the_flows_work_to_the_receiving_cell(client, world, flow_case):
    """Through the viewflow ProbationFlow: the out-of-band transfer re-routes the waiting task (probation_changed)."""
    case = flow_case
    assert waiting(case)[1] == ["wait"]
    response = login(client, world.secretary).post(
        reverse("admission:candidates:probation_transfer", args=[case.pk]),
        {"moved_on": "10/06/2026", "to_cell": world.other_cell.pk, "former_cell_comment": "Chấp hành tốt."},
    )
    assert response.status_code == 302
    _process, names, tasks = waiting(case)
    assert names == ["receive_transfer"] and tasks[0].owner_permission_obj == world.other_cell
