"""The restructuring API: only the organisation board of the province or commune above the org acts (403 for the
others in its units, 404 outside them), bad dates are refused with a sentence, a preview saves nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.restructuring import RestructuringOperation, RestructuringStatus
from admission.party.models.roles import RoleKind
from tests.factories import UserFactory, give_role, make_org

D = datetime.date
TODAY = D(2026, 3, 10)
LIST = "/api/v1/restructurings/"
PREVIEW = "/api/v1/restructurings/preview/"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.UTC), tick=False):
        yield


def client(user):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


@pytest.fixture
def boards(world):
    province_board = UserFactory(username="province-board")
    give_role(province_board, world.province, RoleKind.ORG_BOARD_OFFICER)
    commune_board = UserFactory(username="commune-board")
    give_role(commune_board, world.commune, RoleKind.ORG_BOARD_OFFICER)
    return province_board, commune_board


def body(org, **extra):
    return {"org_id": org.pk, "effective_on": TODAY.isoformat(), "reason": "Quyết định 12-QĐ/ĐU", **extra}


def test_the_commune_board_dissolves_a_committee_of_its_tree(world, boards):
    _, commune_board = boards
    successor = make_org(OrgKind.GRASSROOTS_COMMITTEE, world.commune, name="Đảng bộ Trường liên cấp")
    data = body(world.agency, kind="dissolve", target_id=successor.pk)
    preview = client(commune_board).post(PREVIEW, data, format="json")
    assert preview.status_code == 200, preview.json()
    assert preview.json()["applies_now"] is True and preview.json()["board_id"] == world.commune.pk
    assert len(preview.json()["members"]) == 3  # the members of the cell under the partial committee
    assert not RestructuringOperation.objects.exists()  # a preview saves nothing
    response = client(commune_board).post(LIST, data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == RestructuringStatus.APPLIED
    assert response.json()["requested_by"] == "commune-board" and response.json()["owner_org"] == world.commune.pk
    assert PartyOrg.objects.get(pk=world.agency.pk).merged_into == successor
    assert [row["id"] for row in client(commune_board).get(LIST).json()["results"]] == [response.json()["id"]]


@pytest.mark.parametrize(
    ("who", "org"), [("approver", "village_cell"), ("secretary", "village_cell"), ("agency_officer", "agency_cell")]
)
def test_others_in_the_units_are_refused(world, boards, who, org):
    user = getattr(world, who)
    data = body(getattr(world, org), kind="rename", new_name="Chi bộ mới")
    for url in (PREVIEW, LIST):
        response = client(user).post(url, data, format="json")
        assert response.status_code == 403, response.json()
        assert "organisation board" in response.json()["detail"]
    assert client(user).get(LIST).json()["results"] == []


def test_a_board_cannot_restructure_its_own_organisation(world, boards):
    _, commune_board = boards
    response = client(commune_board).post(LIST, body(world.commune, kind="rename", new_name="Xã mới"), format="json")
    assert response.status_code == 403


def test_outsiders_get_404_for_the_org_and_for_a_successor_outside_their_units(world, boards):
    _, commune_board = boards
    response = client(world.outsider).post(LIST, body(world.village_cell, kind="rename", new_name="X"), format="json")
    assert response.status_code == 404
    foreign = body(world.village_cell, kind="merge", target_id=world.other_cell.pk)
    assert client(commune_board).post(PREVIEW, foreign, format="json").status_code == 404
    assert client(world.outsider).get(LIST).json()["results"] == []


@pytest.mark.parametrize(
    ("effective_on", "message"),
    [
        ("2019-06-01", "after Chi bộ thôn Nà Sa was founded (01/01/2020)"),
        ("2027-03-12", "no later than 11/03/2027"),
        ("1800-01-01", "cannot be before"),
        ("2026-02-30", "Date has wrong format"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(world, boards, effective_on, message):
    province_board, _ = boards
    data = body(world.village_cell, kind="rename", new_name="Chi bộ mới", effective_on=effective_on)
    for url in (PREVIEW, LIST):
        response = client(province_board).post(url, data, format="json")
        assert response.status_code == 400
        assert message in str(response.json()), response.json()
    assert not RestructuringOperation.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"kind": "dissolve"}, "Choose the successor"),
        ({"kind": "merge", "target_id": "agency"}, "same kind"),
        ({"kind": "move", "target_id": "commune"}, "already under"),
        ({"kind": "rename", "new_name": ""}, "Type the new name"),
        ({"kind": "dissolve", "target_id": "village_cell", "reason": " "}, "reason"),
    ],
)
def test_impossible_operations_are_refused_with_a_sentence(world, boards, extra, message):
    province_board, _ = boards
    if "target_id" in extra:
        extra = {**extra, "target_id": getattr(world, extra["target_id"]).pk}
    data = {**body(world.agency_cell if extra["kind"] != "move" else world.village_cell), **extra}
    response = client(province_board).post(LIST, data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()), response.json()


def test_a_future_operation_is_scheduled_and_can_be_cancelled_by_the_board_only(world, boards):
    province_board, _ = boards
    data = body(world.village_cell, kind="move", target_id=world.other_commune.pk, effective_on="2026-04-01")
    response = client(province_board).post(LIST, data, format="json")
    assert response.status_code == 201 and response.json()["status"] == RestructuringStatus.SCHEDULED
    assert PartyOrg.objects.get(pk=world.village_cell.pk).parent == world.commune  # nothing moved yet
    again = client(province_board).post(LIST, {**data, "effective_on": "2026-04-02"}, format="json")
    assert again.status_code == 400 and "already has a restructuring scheduled" in again.json()["detail"]
    cancel = f"/api/v1/restructurings/{response.json()['id']}/cancel/"
    assert client(world.outsider).post(cancel, {"reason": "x"}, format="json").status_code == 404
    assert client(world.approver).post(cancel, {"reason": "x"}, format="json").status_code == 403
    cancelled = client(province_board).post(cancel, {"reason": "Chờ đề án mới"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == RestructuringStatus.CANCELLED
