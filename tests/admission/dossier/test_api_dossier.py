"""API v1 for the admission dossier: the checklist on a date, one POST per item with multipart scans, scoped like the
rest of the API (outsider 404; the commune approver reads but may not write: 403; a refusing service 400 {"detail"}),
and every endpoint in the OpenAPI schema under its own component names."""

from __future__ import annotations

import datetime
import json
import struct
import zlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from admission.dossier.models import (
    Application,
    BackgroundCheck,
    Curriculum,
    Introduction,
    MassOrgResolution,
    OpinionSummary,
)
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen_today")


def _png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def frozen_today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def vi(msgid, **params):
    """What a Vietnamese caller reads (the default language) for an English msgid."""
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture
def case(world):
    person = PersonFactory(full_name="Lò Thị Mai", date_of_birth=D(2000, 4, 2), youth_union_member=True)
    candidate = candidate_nominate(
        person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2025, 9, 1), by=world.secretary
    )
    AwarenessCertificate.objects.create(person=person, number="12/CN", issued_on=D(2025, 10, 10), issuer="TTCT")
    Candidate.objects.filter(pk=candidate.pk).update(state=CandidateState.DOSSIER)
    candidate.refresh_from_db()
    return candidate


def url(case, suffix=""):
    return f"/api/v1/candidates/{case.pk}/dossier/{suffix}"


def png(name="scan.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


CV = {
    "declared_on": "10/01/2026",
    "name_in_use": "Lò Thị Mai",
    "hometown": "Hoành Mô, Quảng Ninh",
    "permanent_residence": "Thôn Nà Sa",
    "youth_union_joined_on": "2015-03-26",
    "youth_union_joined_at": "Trường THCS Hoành Mô",
}
RELATIVES = [
    {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": 1970},
    {"relation": "mother", "full_name": "Lường Thị Xuân", "birth_year": 1972, "is_party_member": True},
    {"relation": "sibling", "full_name": "Lò Văn Tùng", "birth_year": 2003},
]


def post_application(api, case):
    return api.post(
        url(case, "application/"),
        {"written_on": "2026-01-05", "received_on": "2026-01-06", "scan": png("don.png")},
        format="multipart",
    )


def post_cv(api, case):
    return api.post(url(case, "curriculum/"), {**CV, "relatives": RELATIVES}, format="json")


def walk_to_verified(api, case):
    assert post_application(api, case).status_code == 200
    assert post_cv(api, case).status_code == 200
    checks = api.post(url(case, "curriculum/seal/"), {"sealed_on": "2026-01-20"}, format="json").json()
    for check in checks:
        base = url(case, f"checks/{check['id']}/")
        assert api.post(base + "request/", {"method": "letter", "request_sent_on": "2026-01-22"}).status_code == 200
        reply = {"reply_received_on": "2026-02-20", "result": "clear", "scan": pdf("tra-loi.pdf")}
        assert api.post(base + "reply/", reply, format="multipart").status_code == 200
    return checks


def member(world):
    return MembershipFactory(cell=world.village_cell)


def introduction(world, **kw):
    return {"introducer": member(world).pk, "worked_together_from": "2024-01-01", "written_on": "2026-03-10", **kw}


# Reading the dossier


def test_the_secretary_reads_the_checklist_of_today(api, world, case):
    response = as_user(api, world.secretary).get(url(case))
    assert response.status_code == 200
    body = response.json()
    assert (body["candidate_id"], body["on"], body["complete"], body["introducers_needed"]) == (
        case.pk,
        "2026-06-15",
        False,
        2,
    )
    assert [(i["code"], i["status"]) for i in body["items"]] == [
        ("certificate", "done"),
        ("application", "missing"),
        ("curriculum", "missing"),
        ("verification", "missing"),
        ("introductions", "missing"),
        ("mass_org_resolution", "missing"),
        ("opinions", "missing"),
    ]
    certificate = body["items"][0]
    assert (certificate["valid_until"], certificate["expires_on"], certificate["form"]) == (
        "2030-10-09",
        "2030-10-10",
        "CN-NTVĐ",
    )
    assert body["application"] is None and body["background_checks"] == [] and body["introductions"] == []


@pytest.mark.parametrize("value", ["2030-10-10", "10/10/2030"])
def test_the_checklist_on_a_later_date_shows_the_certificate_expired_on_the_day(api, world, case, value):
    body = as_user(api, world.secretary).get(url(case), {"date": value}).json()
    assert body["on"] == "2030-10-10" and body["items"][0]["status"] == "expired"
    assert as_user(api, world.secretary).get(url(case), {"date": "2030-10-09"}).json()["items"][0]["status"] == "done"


def test_a_bad_date_is_a_400(api, world, case):
    response = as_user(api, world.secretary).get(url(case), {"date": "31/02/2026"})
    assert response.status_code == 400 and "31/02/2026" in response.json()["detail"]


def test_the_commune_approver_reads_the_dossier_but_may_not_write_it(api, world, case):
    as_user(api, world.approver)
    assert api.get(url(case)).status_code == 200
    response = post_application(api, case)
    assert response.status_code == 403
    assert world.village_cell.name in response.json()["detail"]
    assert not Application.objects.exists()


def test_the_outsider_gets_404_for_reads_and_writes(api, world, case):
    as_user(api, world.outsider)
    assert api.get(url(case)).status_code == 404
    assert post_application(api, case).status_code == 404
    assert api.post(url(case, "curriculum/seal/"), {"sealed_on": "2026-01-20"}).status_code == 404
    assert api.post(url(case, "introductions/"), introduction(world)).status_code == 404


def test_the_applicant_sees_where_each_item_stands_but_not_the_units_assessments(api, world, case):
    as_user(api, world.secretary)
    walk_to_verified(api, case)
    BackgroundCheck.objects.filter(relative__full_name="Lò Văn Pấng").update(result="concerns", note="Nghi vấn")
    case.person.user = world.candidate_user
    case.person.save()
    as_user(api, world.candidate_user)
    body = api.get(url(case)).json()
    verification = next(i for i in body["items"] if i["code"] == "verification")
    assert verification["status"] == "done" and "Lò Văn Pấng" not in verification["reason"]
    assert body["background_checks"] == [] and body["introductions"] == [] and body["opinion_summary"] is None
    assert body["curriculum"]["name_in_use"] == "Lò Thị Mai"
    assert "Lò Văn Pấng" in as_user(api, world.secretary).get(url(case)).json()["items"][3]["reason"]
    assert post_application(as_user(api, world.candidate_user), case).status_code == 403


def test_anonymous_callers_are_refused(api, case):
    assert api.get(url(case)).status_code in (401, 403)
    assert api.post(url(case, "application/"), {}).status_code in (401, 403)


def test_the_checklist_refuses_post_and_the_item_endpoints_refuse_get(api, world, case):
    as_user(api, world.secretary)
    assert api.post(url(case), {}).status_code == 405
    for suffix in ("application/", "curriculum/", "curriculum/seal/", "introductions/", "opinions/"):
        assert api.get(url(case, suffix)).status_code == 405


# Recording items


def test_the_application_is_recorded_with_its_scan(api, world, case):
    response = post_application(as_user(api, world.secretary), case)
    assert response.status_code == 200
    body = response.json()
    assert (body["written_on"], body["received_on"]) == ("2026-01-05", "2026-01-06")
    assert body["scan"].startswith(f"dossier/{case.pk}/application/don")
    assert Application.objects.get().recorded_by == world.secretary


def test_a_fake_pdf_is_a_400_with_the_scan_message(api, world, case):
    fake = SimpleUploadedFile("don.pdf", b"plain text, not a PDF", content_type="application/pdf")
    response = as_user(api, world.secretary).post(
        url(case, "application/"),
        {"written_on": "2026-01-05", "received_on": "2026-01-06", "scan": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == vi("Only PDF, JPEG or PNG scans are accepted.")


def test_the_cv_is_recorded_with_its_relatives_from_a_json_body(api, world, case):
    as_user(api, world.secretary)
    post_application(api, case)
    response = post_cv(api, case)
    assert response.status_code == 200
    body = response.json()
    assert [(r["relation"], r["full_name"]) for r in body["relatives"]] == [
        ("father", "Lò Văn Pấng"),
        ("mother", "Lường Thị Xuân"),
        ("sibling", "Lò Văn Tùng"),
    ]
    assert body["youth_union_joined_on"] == "2015-03-26"


def test_the_cv_travels_as_multipart_with_its_scan_and_rows_as_json_strings(api, world, case):
    as_user(api, world.secretary)
    post_application(api, case)
    data = {
        **CV,
        "relatives": json.dumps(RELATIVES[:1]),
        "work_history": json.dumps([{"from": "09/2018", "to": "06/2022", "what": "Sinh viên"}]),
        "scan": pdf("ly-lich.pdf"),
    }
    response = api.post(url(case, "curriculum/"), data, format="multipart")
    assert response.status_code == 200, response.json()
    cv = Curriculum.objects.get()
    assert cv.work_history == [{"from": "09/2018", "to": "06/2022", "what": "Sinh viên"}]
    assert [r.full_name for r in cv.relatives.all()] == ["Lò Văn Pấng"]
    assert cv.scan.name.startswith(f"dossier/{case.pk}/curriculum/ly-lich")


def test_relatives_that_are_not_a_list_are_a_field_error(api, world, case):
    as_user(api, world.secretary)
    post_application(api, case)
    response = api.post(url(case, "curriculum/"), {**CV, "relatives": "{not json"}, format="multipart")
    assert response.status_code == 400 and "relatives" in {error["field"] for error in response.json()["errors"]}


def test_the_cv_before_the_application_is_a_400(api, world, case):
    response = post_cv(as_user(api, world.secretary), case)
    assert response.status_code == 400
    assert response.json()["detail"] == vi("Record the application (1-KNĐ) first: the CV follows it.")


def test_stamping_returns_the_checks_and_the_exempt_relative_is_not_among_those_waiting(api, world, case):
    as_user(api, world.secretary)
    post_application(api, case)
    api.post(url(case, "curriculum/"), {**CV, "relatives": [{**RELATIVES[1], "fully_declared": True}]}, format="json")
    checks = api.post(url(case, "curriculum/seal/"), {"sealed_on": "2026-01-20"}, format="json").json()
    assert [(c["subject_name"], c["relation"], c["exempt"]) for c in checks] == [
        ("Lò Thị Mai", "", False),
        ("Lường Thị Xuân", "mother", True),
    ]


def test_the_verification_is_requested_and_answered_then_the_cv_is_certified(api, world, case):
    as_user(api, world.secretary)
    checks = walk_to_verified(api, case)
    assert [c["subject_name"] for c in checks] == ["Lò Thị Mai", "Lò Văn Pấng", "Lường Thị Xuân"]
    check = BackgroundCheck.objects.get(relative__isnull=True)
    assert (check.result, check.scan.name.split("/")[2]) == ("clear", "backgroundcheck")
    response = api.post(
        url(case, "curriculum/certification/"),
        {
            "cell_comment": "Chi ủy nhận xét",
            "cell_commented_on": "2026-03-01",
            "committee_certification": "Đảng ủy chứng nhận",
            "committee_certified_on": "2026-03-05",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["committee_certified_on"] == "2026-03-05"
    items = {i["code"]: i for i in api.get(url(case)).json()["items"]}
    assert (items["curriculum"]["status"], items["curriculum"]["valid_until"]) == ("done", "2027-03-04")


def test_the_certification_before_the_replies_is_a_400(api, world, case):
    as_user(api, world.secretary)
    post_application(api, case)
    post_cv(api, case)
    api.post(url(case, "curriculum/seal/"), {"sealed_on": "2026-01-20"}, format="json")
    response = api.post(
        url(case, "curriculum/certification/"), {"cell_comment": "Sớm", "cell_commented_on": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "Lò Thị Mai" in response.json()["detail"]
    assert not Curriculum.objects.get().cell_comment


def test_a_check_of_another_case_is_a_404(api, world, case):
    other = PersonFactory()
    other_case = candidate_nominate(
        person=other, cell=world.other_cell, nominated_by="cell", nominated_on=D(2025, 9, 1), by=world.outsider
    )
    stray = BackgroundCheck.objects.create(candidate=other_case, subject_name="X")
    response = as_user(api, world.secretary).post(
        url(case, f"checks/{stray.pk}/request/"), {"method": "letter", "request_sent_on": "2026-01-22"}
    )
    assert response.status_code == 404


def test_introducers_are_added_and_one_is_replaced(api, world, case):
    as_user(api, world.secretary)
    first = api.post(url(case, "introductions/"), introduction(world, scan=png()), format="multipart")
    assert first.status_code == 201, first.json()
    assert [v["passed"] for v in first.json()["verdicts"]] == [True, True, True]
    assert api.post(url(case, "introductions/"), introduction(world), format="json").status_code == 201
    replaced = api.post(
        url(case, f"introductions/{first.json()['id']}/replace/"),
        introduction(world, written_on="2026-04-20", reason="Chuyển công tác"),
        format="json",
    )
    assert replaced.status_code == 201
    old = Introduction.objects.get(pk=first.json()["id"])
    assert (old.replaced_by_id, old.replacement_reason) == (replaced.json()["id"], "Chuyển công tác")
    body = api.get(url(case)).json()
    assert [i["active"] for i in body["introductions"]] == [False, True, True]


def test_an_ineligible_introducer_is_a_400_with_the_reason(api, world, case):
    probationary = MembershipFactory(cell=world.village_cell, official_on=None)
    data = {"introducer": probationary.pk, "worked_together_from": "2024-01-01", "written_on": "2026-03-10"}
    response = as_user(api, world.secretary).post(url(case, "introductions/"), data)
    assert response.status_code == 400
    assert probationary.person.full_name in response.json()["detail"]


def test_an_introducer_outside_the_callers_units_is_a_field_error(api, world, case):
    stranger = MembershipFactory(cell=world.other_cell)
    data = {"introducer": stranger.pk, "worked_together_from": "2024-01-01", "written_on": "2026-03-10"}
    response = as_user(api, world.secretary).post(url(case, "introductions/"), data)
    assert response.status_code == 400 and "introducer" in {error["field"] for error in response.json()["errors"]}


def test_the_youth_union_resolution_replaces_one_introducer(api, world, case):
    as_user(api, world.secretary)
    data = {
        "organisation": "youth_union",
        "body_name": "BCH Đoàn xã Hoành Mô",
        "number": "05-NQ/ĐTN",
        "adopted_on": "2026-03-12",
        "scan": png(),
    }
    response = api.post(url(case, "mass-org-resolution/"), data, format="multipart")
    assert response.status_code == 200
    assert response.json()["organisation"] == "youth_union"
    assert MassOrgResolution.objects.get().kind == "youth_union"
    assert api.get(url(case)).json()["introducers_needed"] == 1


def test_the_opinions_are_recorded_with_the_organisations_as_a_json_string(api, world, case):
    data = {
        "compiled_on": "2026-03-15",
        "organisations": json.dumps([{"name": "Chi đoàn thôn", "met_on": "2026-03-12", "participants": 18}]),
        "residence_cell": "Chi bộ thôn Nà Sa",
        "residence_opinion": "Gương mẫu",
        "scan": pdf(),
    }
    response = as_user(api, world.secretary).post(url(case, "opinions/"), data, format="multipart")
    assert response.status_code == 200, response.json()
    assert OpinionSummary.objects.get().organisations[0]["met_on"] == "2026-03-12"


def test_a_full_walk_through_the_api_completes_the_dossier(api, world, case):
    as_user(api, world.secretary)
    walk_to_verified(api, case)
    api.post(
        url(case, "curriculum/certification/"),
        {"cell_comment": "Tốt", "cell_commented_on": "2026-03-01"},
        format="json",
    )
    api.post(
        url(case, "curriculum/certification/"),
        {"committee_certification": "Chứng nhận", "committee_certified_on": "2026-03-05"},
        format="json",
    )
    api.post(
        url(case, "mass-org-resolution/"),
        {"organisation": "youth_union", "body_name": "BCH Đoàn", "number": "05", "adopted_on": "2026-03-12"},
    )
    assert api.post(url(case, "introductions/"), introduction(world)).status_code == 201
    api.post(
        url(case, "opinions/"),
        {"compiled_on": "2026-03-15", "residence_cell": "Chi bộ thôn", "residence_opinion": "Tốt"},
        format="json",
    )
    body = api.get(url(case)).json()
    assert body["complete"], [(i["code"], i["reason"]) for i in body["items"] if i["status"] != "done"]
    assert not api.get(url(case), {"date": "2027-03-05"}).json()["complete"]


def test_writes_are_refused_once_the_case_has_left_the_dossier_step(api, world, case):
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.PROPOSED)
    response = post_application(as_user(api, world.secretary), case)
    assert response.status_code == 400
    state = vi("Proposed by the cell, with the committees")
    expected = vi(
        "The dossier can be changed only while the case is at the dossier step (now: “%(state)s”).", state=state
    )
    assert response.json()["detail"] == expected
    assert api.get(url(case)).status_code == 200


# The schema


def test_the_schema_documents_every_dossier_endpoint_with_its_own_components(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    prefix = "/api/v1/candidates/{candidate_id}/dossier/"
    expected = {
        "": "get",
        "application/": "post",
        "curriculum/": "post",
        "curriculum/seal/": "post",
        "curriculum/certification/": "post",
        "checks/{check_id}/request/": "post",
        "checks/{check_id}/reply/": "post",
        "introductions/": "post",
        "introductions/{introduction_id}/replace/": "post",
        "mass-org-resolution/": "post",
        "opinions/": "post",
    }
    for suffix, method in expected.items():
        assert method in paths[prefix + suffix], suffix
    components = schema["components"]["schemas"]
    for name in ("Dossier", "DossierChecklistItem", "DossierCurriculumInput", "DossierRelativeInput"):
        assert name in components
    upload = paths[prefix + "application/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    assert components["DossierCurriculumInput"]["properties"]["relatives"]["items"] == {
        "$ref": "#/components/schemas/DossierRelativeInput"
    }
