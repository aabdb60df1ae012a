"""The probation page: dates that must never be wrong, what comes next and by when, overdue in red, the reminders,
the dossier checklist, the chain; who sees it (the outsider 404, the approver without buttons, the member with only
the self-review button) and the wrong method (405).

Probation runs from 15/08/2025 (decision of 01/08/2025) to 15/08/2026; today is frozen on 15/06/2026 unless a test
travels elsewhere.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from admission.probation.models import Probation
from admission.probation.services import next_step, probation_deadlines, recognition_step_complete
from tests.admission.probation.helpers import DECIDED, END, TODAY, at, cell_vote, complete_dossier, login, u

D = datetime.date
pytestmark = pytest.mark.usefixtures("english", "frozen_today")


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
