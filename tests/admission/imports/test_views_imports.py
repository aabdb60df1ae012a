"""Import and export screens: the dry run, the per-row errors with 422, the act-for-org boundary, the files."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from admission.party.models.people import Membership
from tests.factories import citizen_id_for

INDEX = reverse("admission:imports:index")
HEADER = ["citizen_id", "full_name", "date_of_birth", "sex", "cell_code", "admitted_on"]


def upload(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("roster.xlsx", out.getvalue())


def good_row(world):
    import datetime

    dob = datetime.date(1991, 2, 3)
    return [citizen_id_for(dob, "male"), "Đinh Văn Màn", "03/02/1991", "male", world.village_cell.code, "01/03/2020"]


def test_checking_a_file_previews_and_importing_writes(client, world):
    client.force_login(world.approver)
    before = Membership.objects.count()
    data = {"kind": "members", "target": world.commune.pk, "check": "1"}
    response = client.post(INDEX, {**data, "file": upload([HEADER, good_row(world)])})
    assert response.status_code == 200 and response.context["result"].dry_run
    assert Membership.objects.count() == before
    data.pop("check")
    response = client.post(INDEX, {**data, "confirm": "1", "file": upload([HEADER, good_row(world)])})
    assert response.status_code == 200 and response.context["result"].imported
    assert Membership.objects.count() == before + 1


def test_a_bad_row_answers_422_with_the_row_and_nothing_written(client, world):
    client.force_login(world.approver)
    bad = good_row(world)
    bad[3] = "unknown"
    before = Membership.objects.count()
    response = client.post(
        INDEX, {"kind": "members", "target": world.commune.pk, "confirm": "1", "file": upload([HEADER, bad])}
    )
    assert response.status_code == 422
    assert [e.row for e in response.context["result"].errors] == [2]
    assert Membership.objects.count() == before


def test_an_outsider_cannot_choose_another_org_as_target(client, world):
    client.force_login(world.outsider)
    response = client.post(
        INDEX,
        {"kind": "members", "target": world.commune.pk, "confirm": "1", "file": upload([HEADER, good_row(world)])},
    )
    assert response.status_code == 422 and "target" in response.context["form"].errors


def test_the_template_downloads_as_xlsx(client, world):
    client.force_login(world.secretary)
    response = client.get(reverse("admission:imports:template", args=["candidates", "xlsx"]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value


def test_the_roster_export_is_scoped_and_404_outside(client, world):
    client.force_login(world.secretary)
    url = reverse("admission:imports:export", args=["members", "xlsx"])
    response = client.get(url, {"org": world.village_cell.pk, "reason": "Rà soát danh sách"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row == 1 + 3
    assert client.get(url, {"org": world.other_cell.pk, "reason": "Rà soát"}).status_code == 404


def test_the_api_import_refuses_a_bad_file_with_400_and_the_rows(client, world):
    client.force_login(world.approver)
    bad = good_row(world)
    bad[2] = "xx"
    response = client.post(
        reverse("api-import-run", args=["members"]),
        {"target": world.commune.pk, "dry_run": "false", "file": upload([HEADER, bad])},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["row"] == 2
    client.force_login(world.outsider)
    response = client.post(
        reverse("api-import-run", args=["members"]),
        {"target": world.commune.pk, "file": upload([HEADER, good_row(world)])},
    )
    assert response.status_code == 404
