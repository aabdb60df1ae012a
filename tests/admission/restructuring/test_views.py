"""The restructuring screen (form → preview → confirm) and the admin that no longer edits the tree's links."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation

from admission.party.models.orgs import PartyOrg
from admission.party.models.restructuring import RestructuringOperation, RestructuringStatus
from admission.party.models.roles import RoleKind
from tests.factories import UserFactory, give_role


@pytest.fixture(autouse=True)
def today():
    with (
        time_machine.travel(datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.UTC), tick=False),
        translation.override("en"),
    ):
        yield


@pytest.fixture
def board(world):
    user = UserFactory(username="commune-board")
    give_role(user, world.commune, RoleKind.ORG_BOARD_OFFICER)
    return user


def url(org):
    return f"/app/admission/orgs/{org.pk}/restructure/"


def test_the_board_previews_then_confirms(client, world, board):
    client.force_login(board)
    page = client.get(f"/app/admission/orgs/{world.village_cell.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'data-testid="restructure-link"' in page.content
    assert client.get(url(world.village_cell), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    data = {"kind": "rename", "new_name": "Chi bộ thôn Nà Sa 1", "effective_on": "10/03/2026", "reason": "Đổi tên"}
    preview = client.post(url(world.village_cell), data, HTTP_ACCEPT_LANGUAGE="en")
    assert preview.status_code == 200
    assert b'data-testid="restructure-confirm"' in preview.content
    assert "3 members concerned" in preview.content.decode()
    assert not RestructuringOperation.objects.exists()
    done = client.post(url(world.village_cell), {**data, "confirm": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 302 and done["Location"].endswith("/app/admission/orgs/restructurings/")
    assert PartyOrg.objects.get(pk=world.village_cell.pk).name == "Chi bộ thôn Nà Sa 1"
    assert RestructuringOperation.objects.get().status == RestructuringStatus.APPLIED
    listing = client.get("/app/admission/orgs/restructurings/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Đổi tên" in listing.content.decode()


def test_a_bad_date_is_explained_on_the_form(client, world, board):
    client.force_login(board)
    data = {"kind": "rename", "new_name": "X", "effective_on": "01/01/2019", "reason": "Đổi tên"}
    response = client.post(url(world.village_cell), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "founded" in response.content.decode()


def test_others_are_refused_and_outsiders_see_nothing(client, world, board):
    client.force_login(world.approver)
    assert client.get(url(world.village_cell)).status_code == 403
    page = client.get(f"/app/admission/orgs/{world.village_cell.pk}/")
    assert b'data-testid="restructure-link"' not in page.content
    client.force_login(world.outsider)
    assert client.get(url(world.village_cell)).status_code == 404
    client.force_login(board)
    assert client.get(url(world.commune)).status_code == 403  # not its own organisation


def test_the_admin_shows_the_tree_links_read_only_and_points_to_the_screen(admin_client, world):
    response = admin_client.get(f"/admin/admission/partyorg/{world.village_cell.pk}/change/")
    assert response.status_code == 200
    content = response.content.decode()
    for field in ("parent", "valid_from", "valid_to", "merged_into"):
        assert f'name="{field}"' not in content
    assert f"/app/admission/orgs/{world.village_cell.pk}/restructure/" in content
    admin_client.post(
        f"/admin/admission/partyorg/{world.village_cell.pk}/change/",
        {"code": world.village_cell.code, "name": world.village_cell.name, "valid_to": "2026-03-01"},
    )
    assert PartyOrg.objects.get(pk=world.village_cell.pk).valid_to is None


def test_the_board_finds_the_list_and_cancels_a_scheduled_operation(client, world, board):
    from admission.restructuring import services

    operation = services.restructuring_request(
        user=board,
        kind="rename",
        org=world.village_cell,
        new_name="Chi bộ thôn Nà Sa 2",
        effective_on=datetime.date(2026, 4, 1),
        reason="Đổi tên",
    )
    client.force_login(board)
    page = client.get(f"/app/admission/orgs/{world.village_cell.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'data-testid="restructurings-link"' in page.content
    listing = client.get("/app/admission/orgs/restructurings/", HTTP_ACCEPT_LANGUAGE="en")
    assert listing.content.count(b'data-testid="restructuring-cancel"') == 1
    data = {"operation": operation.pk, "reason": "Chờ đề án mới"}
    unconfirmed = client.post("/app/admission/orgs/restructurings/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert unconfirmed.status_code == 422
    assert RestructuringOperation.objects.get().status == RestructuringStatus.SCHEDULED
    client.force_login(world.secretary)  # not on the board: the operation is not theirs to see
    stranger = client.post("/app/admission/orgs/restructurings/", {**data, "confirm": "1"})
    assert stranger.status_code == 404
    client.force_login(board)
    done = client.post("/app/admission/orgs/restructurings/", {**data, "confirm": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 302
    cancelled = RestructuringOperation.objects.get()
    assert cancelled.status == RestructuringStatus.CANCELLED and cancelled.outcome["cancel_reason"] == "Chờ đề án mới"
