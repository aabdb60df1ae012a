"""Case pages per role: the secretary acts in their cell, the commune approver sees but cannot write the cell's
notes, the outsider gets 404 everywhere, anonymous users go to the login page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.status import PROCESS, STATUS

from admission.party.models.people import Membership
from admission.sourcing.models.candidates import CandidateState, ReviewNote
from tests.factories import PersonFactory
from workflows import services as flow_services
from workflows.steps import STEPS

D = datetime.date
LIST = reverse("admission:candidates:index")
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def detail(case):
    return reverse("admission:candidates:detail", args=[case.pk])


def note_url(case):
    return reverse("admission:candidates:review_note", args=[case.pk])


def close_url(case):
    return reverse("admission:candidates:close", args=[case.pk])


def nominate(world, cell=None, by=None, **person):
    return flow_services.case_nominate(
        person=PersonFactory(**person),
        cell=cell or world.village_cell,
        nominated_by="youth_union",
        nominated_on=D(2026, 2, 20),
        by=by or world.secretary,
    )


def run(case, step, user, data):
    """Complete a flow step as its task view would (the FSM and the flow move together)."""
    flow_services.run_step(
        candidate=case, node_name=step, user=user, action=lambda: STEPS[step].action(case, user, data)
    )


@pytest.fixture
def case(world):
    """A person of the village cell walked through the flow: listed, helped, certificate of 05/03/2021 recorded
    (valid until 04/03/2026), waiting for the dossier to be opened."""
    candidate = nominate(world, full_name="Lò Thị Mai", date_of_birth=D(2000, 4, 2))
    run(candidate, "list_sympathiser", world.secretary, {"meeting_on": D(2026, 2, 25), "note": "Họp chi bộ tháng 2"})
    helper = Membership.objects.filter(cell=world.village_cell).select_related("person").first()
    run(candidate, "assign_mentors", world.secretary, {"members": [helper], "assigned_on": D(2026, 2, 26)})
    certificate = {"certificate_number": "12/CN", "certificate_issued_on": D(2021, 3, 5), "certificate_issuer": "TTCT"}
    run(candidate, "propose_training", world.secretary, {"course": None, "certificate_scan": None, **certificate})
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.TRAINED
    return candidate


@pytest.fixture
def foreign_case(world):
    from tests.factories import give_role

    give_role(world.outsider, world.other_cell, "cell_committee_member")
    return nominate(world, cell=world.other_cell, by=world.outsider, full_name="Đinh Văn Xa")


# The list


def test_the_secretary_lists_only_the_cases_of_their_units(client, world, case, foreign_case):
    client.force_login(world.secretary)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"]) == [case]
    assert "Đinh Văn Xa" not in response.content.decode()


def test_the_list_filters_by_state_by_cell_and_by_name(client, world, case):
    other = nominate(world, full_name="Hà Văn Tùng")
    client.force_login(world.secretary)
    assert list(client.get(LIST, {"state": CandidateState.NOMINATED}).context["page"]) == [other]
    assert list(client.get(LIST, {"state": CandidateState.TRAINED}).context["page"]) == [case]
    assert set(client.get(LIST, {"cell": world.village_cell.pk}).context["page"]) == {case, other}
    assert list(client.get(LIST, {"q": "mai"}).context["page"]) == [case]
    assert list(client.get(LIST, {"q": other.code}).context["page"]) == [other]


def test_a_cell_outside_the_users_units_is_not_a_filter_choice(client, world, case, foreign_case):
    client.force_login(world.secretary)
    response = client.get(LIST, {"cell": world.other_cell.pk})
    assert response.context["form"].errors
    assert world.other_cell.name not in response.content.decode()


def test_the_commune_approver_lists_the_cases_of_its_cells(client, world, case):
    client.force_login(world.approver)
    assert list(client.get(LIST).context["page"]) == [case]


def test_the_outsider_lists_nothing_of_this_commune(client, world, case):
    client.force_login(world.outsider)
    assert list(client.get(LIST).context["page"]) == []


def refused_anonymous(response):
    """viewflow's Application permission answers 403 before `login_required` could redirect to the login page."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    )


def test_anonymous_users_are_refused_and_nothing_leaks(client, case):
    for url in (LIST, detail(case)):
        response = client.get(url)
        assert refused_anonymous(response)
        assert "Lò Thị Mai" not in response.content.decode()
    assert refused_anonymous(client.post(note_url(case), {"reviewed_on": "01/03/2026", "text": "x"}))
    assert refused_anonymous(
        client.post(close_url(case), {"outcome": "withdrawn", "reason": "x", "closed_on": "01/03/2026"})
    )
    assert not ReviewNote.objects.exists()


# The case page


def test_the_case_page_shows_the_person_code_state_rule_set_and_timeline(client, world, case):
    client.force_login(world.secretary)
    response = client.get(detail(case))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Lò Thị Mai", case.code, "294-QĐ/TW", "01/07/2025", "02/04/2000", "12/CN"):
        assert text in html
    assert 'data-testid="case-state"' in html and str(CandidateState.SYMPATHISER.label) in html
    first, second = response.context["timeline"]
    assert (first.source_state, first.state, first.description) == ("nominated", "sympathiser", "Họp chi bộ tháng 2")
    assert (second.source_state, second.state) == ("sympathiser", "trained") and "12/CN" in second.description
    assert first.by == world.secretary.get_full_name() == "Hoàng Văn Bí Thư"
    assert html.count('data-testid="timeline-row"') == 2
    assert "Họp chi bộ tháng 2" in html and "Hoàng Văn Bí Thư" in html
    assert response.context["mentors"][0].member.person.full_name in html


def test_the_eligibility_panel_checks_today_by_default_and_lists_every_rule(client, world, case):
    client.force_login(world.secretary)
    response = client.get(detail(case))
    report = response.context["report"]
    assert report.meeting_on == D(2026, 3, 2)
    assert {r.code for r in report.results} == {"age_min", "age_max", "education", "certificate"}
    assert report.eligible
    html = response.content.decode()
    assert 'name="date" value="02/03/2026"' in html  # the date input starts at today
    assert html.count('data-testid="rule-row"') == 4
    assert 'data-rule="certificate" data-passed="true"' in html


def test_the_eligibility_panel_checks_the_planned_meeting_date(client, world, case):
    client.force_login(world.secretary)
    for value in ("05/03/2026", "2026-03-05"):
        response = client.get(detail(case), {"date": value})
        report = response.context["report"]
        assert report.meeting_on == D(2026, 3, 5)
        assert [r.code for r in report.failures] == ["certificate"]
        html = response.content.decode()
        assert 'data-rule="certificate" data-passed="false"' in html and "05/03/2026" in html


def test_a_wrong_date_is_reported_and_today_is_checked_instead(client, world, case):
    client.force_login(world.secretary)
    response = client.get(detail(case), {"date": "31/02/2026"})
    assert response.status_code == 200
    assert response.context["eligibility_form"].errors
    assert response.context["report"].meeting_on == D(2026, 3, 2)


def test_the_approver_sees_the_case_but_no_cell_forms(client, world, case):
    client.force_login(world.approver)
    response = client.get(detail(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="review-note-form"' not in html and 'data-testid="close-form"' not in html


def test_the_secretary_sees_the_cell_forms(client, world, case):
    client.force_login(world.secretary)
    html = client.get(detail(case)).content.decode()
    assert 'data-testid="review-note-form"' in html and 'data-testid="close-form"' in html


def test_the_outsider_gets_404_for_the_case_and_its_actions(client, world, case):
    client.force_login(world.outsider)
    assert client.get(detail(case)).status_code == 404
    assert client.post(note_url(case), {"reviewed_on": "01/03/2026", "text": "x"}).status_code == 404
    assert (
        client.post(close_url(case), {"outcome": "withdrawn", "reason": "x", "closed_on": "01/03/2026"}).status_code
        == 404
    )
    case.refresh_from_db()
    assert case.is_open and not ReviewNote.objects.exists()


def test_a_case_code_that_does_not_exist_is_404(client, world):
    client.force_login(world.secretary)
    assert client.get(reverse("admission:candidates:detail", args=[999999])).status_code == 404


# Review notes


def test_the_secretary_adds_a_review_note(client, world, case):
    client.force_login(world.secretary)
    response = client.post(note_url(case), {"reviewed_on": "01/03/2026", "text": "Tích cực tham gia"})
    assert response.status_code == 302 and response["Location"] == detail(case)
    note = ReviewNote.objects.get()
    assert (note.candidate, note.reviewed_on, note.text, note.author) == (
        case,
        D(2026, 3, 1),
        "Tích cực tham gia",
        world.secretary,
    )


def test_an_empty_review_note_is_refused_with_the_form_shown_again(client, world, case):
    client.force_login(world.secretary)
    response = client.post(note_url(case), {"reviewed_on": "01/03/2026", "text": "  "})
    assert response.status_code == 422
    assert response.context["review_form"].errors
    assert not ReviewNote.objects.exists()


def test_a_review_note_dated_in_the_future_is_refused_by_the_service(client, world, case):
    client.force_login(world.secretary)
    response = client.post(note_url(case), {"reviewed_on": "03/03/2026", "text": "Sớm"})
    assert response.status_code == 422
    assert response.context["review_form"].non_field_errors()
    assert not ReviewNote.objects.exists()


def test_the_approver_cannot_add_a_cell_review_note(client, world, case):
    client.force_login(world.approver)
    response = client.post(note_url(case), {"reviewed_on": "01/03/2026", "text": "Ý kiến của xã"})
    assert response.status_code == 403
    assert not ReviewNote.objects.exists()


def test_the_review_note_address_only_accepts_post(client, world, case):
    client.force_login(world.secretary)
    assert client.get(note_url(case)).status_code == 405
    assert client.get(close_url(case)).status_code == 405


# Closing the case


def test_the_secretary_closes_the_case_and_its_waiting_tasks_are_cancelled(client, world, case):
    client.force_login(world.secretary)
    assert flow_services.open_tasks(case)
    response = client.post(
        close_url(case), {"outcome": "withdrawn", "reason": "Chuyển đi nơi khác", "closed_on": "01/03/2026"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.closed_on, case.closing_reason) == (
        CandidateState.WITHDRAWN,
        D(2026, 3, 1),
        "Chuyển đi nơi khác",
    )
    assert flow_services.open_tasks(case) == []
    process = flow_services.process_for(case)
    assert process.status == PROCESS.CANCELED
    assert process.task_set.filter(status=STATUS.CANCELED).exists()
    timeline = client.get(detail(case)).context["timeline"]
    assert (timeline[-1].state, timeline[-1].description) == ("withdrawn", "Chuyển đi nơi khác")


def test_closing_as_not_admitted(client, world, case):
    client.force_login(world.secretary)
    client.post(
        close_url(case), {"outcome": "not_admitted", "reason": "Không đủ tiêu chuẩn", "closed_on": "02/03/2026"}
    )
    case.refresh_from_db()
    assert case.state == CandidateState.NOT_ADMITTED


def test_closing_needs_a_reason_and_a_date_not_in_the_future(client, world, case):
    client.force_login(world.secretary)
    for data in (
        {"outcome": "withdrawn", "reason": "", "closed_on": "01/03/2026"},
        {"outcome": "withdrawn", "reason": "Rút", "closed_on": "03/03/2026"},
        {"outcome": "maybe", "reason": "Rút", "closed_on": "01/03/2026"},
    ):
        response = client.post(close_url(case), data)
        assert response.status_code == 422
        assert response.context["close_form"].errors
    case.refresh_from_db()
    assert case.is_open and flow_services.open_tasks(case)


def test_the_approver_cannot_close_a_cells_case(client, world, case):
    client.force_login(world.approver)
    response = client.post(close_url(case), {"outcome": "withdrawn", "reason": "x", "closed_on": "01/03/2026"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.is_open and flow_services.open_tasks(case)


def test_the_list_and_the_case_page_only_read(client, world, case):
    client.force_login(world.secretary)
    assert client.post(LIST).status_code == 405
    assert client.post(detail(case)).status_code == 405


def api_client_for(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_candidate_is_sent_to_their_own_page_without_the_cells_notes(world, client):
    from admission.sourcing.services.candidates import candidate_nominate, review_note_add

    person = PersonFactory(user=world.candidate_user)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC), tick=False):
        case = candidate_nominate(
            person=person,
            cell=world.village_cell,
            nominated_by="cell",
            nominated_on=datetime.date(2026, 3, 1),
            by=world.secretary,
        )
        review_note_add(
            candidate=case, reviewed_on=datetime.date(2026, 3, 2), text="Ghi chú nội bộ của chi ủy", by=world.secretary
        )
    client.force_login(world.candidate_user)
    response = client.get(f"/app/admission/candidates/{case.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/ho-so-cua-toi/{case.pk}/"  # their own page
    page = client.get(response["Location"]).content.decode()
    assert case.code in page
    assert "Ghi chú nội bộ của chi ủy" not in page
    assert api_client_for(world.candidate_user).get(f"/api/v1/candidates/{case.pk}/").status_code == 404
    client.force_login(world.secretary)
    assert "Ghi chú nội bộ của chi ủy" in client.get(f"/app/admission/candidates/{case.pk}/").content.decode()
