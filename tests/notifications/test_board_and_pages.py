"""The deadline board, the notification centre, preferences and delegations: pages and API, with role boundaries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from admission.party.models.delegations import Delegation
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState
from notifications.models import Notification, NotificationKind, NotificationPreference
from notifications.scan import scan
from notifications.selectors import BoardFilters, deadline_board
from tests.factories import UserFactory, give_role
from tests.notifications.helpers import DAY, at, first_task, open_case, working_days_after

D = datetime.date


def web(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# ------------------------------------------------------------------------------------------------------------------
# Deadline board
# ------------------------------------------------------------------------------------------------------------------


def test_the_board_lists_open_cases_overdue_first_with_the_body_that_must_act(world):
    late = open_case(world, on=DAY)
    later = open_case(world, on=D(2026, 3, 9))
    other = open_case(world, on=DAY, cell=world.other_cell, by=world.outsider)
    day = working_days_after(DAY, 11)  # the first case is one working day late
    rows = deadline_board(user=world.approver, on=day)
    assert [r.candidate for r in rows] == [late, later]
    assert rows[0].overdue and rows[0].days_late == 1 and rows[0].acting_org == world.village_cell
    assert not rows[1].overdue and rows[1].days_left is not None
    assert [r.candidate for r in deadline_board(user=world.outsider, on=day)] == [other]
    assert deadline_board(user=world.approver, on=day, filters=BoardFilters(overdue_only=True))[0].candidate == late
    filtered = deadline_board(user=world.approver, on=day, filters=BoardFilters(state=CandidateState.SYMPATHISER))
    assert filtered == []


def test_an_escalated_case_is_flagged_on_the_superiors_board(world):
    case = open_case(world)
    due = working_days_after(DAY, 10)
    escalation_day = working_days_after(due, 5)
    with at(escalation_day):
        scan()
        response = web(world.approver).get("/app/notifications/board/?escalated=on")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.candidate for r in rows] == [case] and rows[0].escalation.to_org == world.commune
    assert b'data-testid="escalated"' in response.content


def test_the_board_page_answers_404_for_an_org_outside_the_users_units(world):
    open_case(world)
    client = web(world.outsider)
    assert client.get(f"/app/notifications/board/?org={world.commune.pk}").status_code == 404
    assert client.get(f"/app/notifications/board/?org={world.other_cell.pk}").status_code == 200
    assert api(world.outsider).get(f"/api/v1/deadline-board/?org={world.commune.pk}").status_code == 404


def test_the_board_api_gives_the_next_deadline(world):
    case = open_case(world)
    with at(DAY):
        response = api(world.secretary).get("/api/v1/deadline-board/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["candidate_id"] == case.pk and row["acting_org_id"] == world.village_cell.pk
    assert row["due_on"] == working_days_after(DAY, 10).isoformat() and row["overdue"] is False
    assert row["task_id"] == first_task(case).pk and row["escalated"] is False


def test_the_board_answers_only_get(world):
    assert web(world.secretary).post("/app/notifications/board/").status_code == 405


# ------------------------------------------------------------------------------------------------------------------
# Notification centre
# ------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def notified(world):
    case = open_case(world)
    open_case(world)
    with at(DAY):
        scan()
    return case


def test_the_centre_lists_unread_first_and_marks_read(world, notified):
    client = web(world.secretary)
    first, second = Notification.objects.filter(user=world.secretary).order_by("pk")
    response = client.post(f"/app/notifications/inbox/{first.pk}/read/")
    assert response.status_code == 302
    page = client.get("/app/notifications/inbox/")
    assert page.status_code == 200
    assert [n.pk for n in page.context["notifications"]] == [second.pk, first.pk]
    assert page.context["unread"] == 1
    assert b'data-testid="notification-badge">1<' in page.content
    client.post("/app/notifications/inbox/read-all/")
    assert not Notification.objects.filter(user=world.secretary, read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read_and_goes_to_the_case(world, notified):
    note = Notification.objects.filter(user=world.secretary).first()
    response = web(world.secretary).post(f"/app/notifications/inbox/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == note.url


def test_someone_elses_notification_is_404(world, notified):
    note = Notification.objects.filter(user=world.secretary).first()
    assert web(world.outsider).post(f"/app/notifications/inbox/{note.pk}/read/").status_code == 404
    assert api(world.outsider).post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    assert web(world.outsider).get(f"/app/notifications/inbox/{note.pk}/read/").status_code == 405


def test_the_api_lists_and_marks_read(world, notified):
    client = api(world.secretary)
    response = client.get("/api/v1/notifications/?unread=true")
    assert response.status_code == 200 and response.json()["count"] == 2
    note_id = response.json()["results"][0]["id"]
    assert client.post(f"/api/v1/notifications/{note_id}/read/").json()["read_at"] is not None
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert api(world.outsider).get("/api/v1/notifications/").json()["count"] == 0


def test_preferences_are_saved_from_the_page_and_the_api(world):
    client = web(world.secretary)
    assert client.get("/app/notifications/inbox/preferences/").status_code == 200
    data = {"language": "en"}
    for kind in NotificationKind.values:
        data[f"{kind}__in_app"] = "on"
        data[f"{kind}__delivery"] = "digest"
    data["overdue__email"] = "on"
    data["overdue__delivery"] = "immediate"
    assert client.post("/app/notifications/inbox/preferences/", data).status_code == 302
    pref = NotificationPreference.objects.get(user=world.secretary, kind="overdue")
    assert (pref.email, pref.delivery) == (True, "immediate")
    assert not NotificationPreference.objects.get(user=world.secretary, kind="task_assigned").email
    assert client.post("/app/notifications/inbox/preferences/", {"language": "xx"}).status_code == 422
    response = api(world.secretary).put(
        "/api/v1/notifications/preferences/",
        {"preferences": [{"kind": "overdue", "in_app": True, "email": False, "delivery": "digest"}]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["language"] == "en"
    assert not NotificationPreference.objects.get(user=world.secretary, kind="overdue").email


# ------------------------------------------------------------------------------------------------------------------
# Delegations
# ------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def deputy(world):
    user = UserFactory(username="deputy")
    give_role(user, world.agency_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    return user


def test_a_delegation_is_made_and_revoked_from_the_page(world, deputy):
    client = web(world.secretary)
    assert client.get("/app/notifications/delegations/").status_code == 200
    data = {
        "org": world.village_cell.pk,
        "to_user": deputy.pk,
        "starts_on": "10/03/2026",
        "ends_on": "20/03/2026",
        "reason": "Nghỉ phép",
    }
    with at(DAY):
        assert client.post("/app/notifications/delegations/", {**data, "ends_on": "01/03/2026"}).status_code == 422
        assert client.post("/app/notifications/delegations/", data).status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.from_user, delegation.to_user, delegation.org) == (world.secretary, deputy, world.village_cell)
    assert web(deputy).post(f"/app/notifications/delegations/{delegation.pk}/revoke/").status_code == 403
    assert web(world.outsider).post(f"/app/notifications/delegations/{delegation.pk}/revoke/").status_code == 404
    assert client.post(f"/app/notifications/delegations/{delegation.pk}/revoke/").status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_by == world.secretary


def test_the_page_offers_only_the_users_own_orgs_and_colleagues(world, deputy):
    form = web(world.secretary).get("/app/notifications/delegations/").context["form"]
    assert list(form.fields["org"].queryset) == [world.village_cell]
    assert world.outsider not in form.fields["to_user"].queryset


def test_the_delegation_api_creates_lists_and_revokes(world, deputy):
    client = api(world.secretary)
    payload = {
        "org": world.village_cell.pk,
        "to_user": "deputy",
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-20",
        "reason": "Nghỉ phép",
    }
    with at(DAY):
        assert client.post("/api/v1/delegations/", {**payload, "to_user": "outsider"}, format="json").status_code == 400
        assert (
            client.post("/api/v1/delegations/", {**payload, "org": world.other_cell.pk}, format="json").status_code
            == 404
        )
        assert (
            client.post("/api/v1/delegations/", {**payload, "org": world.commune.pk}, format="json").status_code == 404
        )
        response = client.post("/api/v1/delegations/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert [d["id"] for d in api(deputy).get("/api/v1/delegations/").json()["results"]] == [pk]
    assert api(world.outsider).get("/api/v1/delegations/").json()["results"] == []
    with at(DAY):
        bad = client.post(
            "/api/v1/delegations/", {**payload, "starts_on": "2026-03-12"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert bad.status_code == 400 and "already covers" in bad.json()["detail"]
    assert api(deputy).post(f"/api/v1/delegations/{pk}/revoke/").status_code == 403
    assert client.post(f"/api/v1/delegations/{pk}/revoke/").json()["revoked_at"] is not None


def test_the_openapi_schema_documents_the_endpoints(world):
    response = api(world.secretary).get("/api/schema/?format=json")
    paths = response.json()["paths"]
    for url in (
        "/api/v1/notifications/",
        "/api/v1/notifications/{notification_id}/read/",
        "/api/v1/notifications/preferences/",
        "/api/v1/deadline-board/",
        "/api/v1/delegations/",
        "/api/v1/delegations/{delegation_id}/revoke/",
    ):
        assert url in paths, url
