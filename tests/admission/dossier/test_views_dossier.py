"""Dossier screens (1-KNĐ to 5-KNĐ): the page and its checklist, then one form per action, each calling one service.

Per screen: the happy path and its row in the database, a refused input (422 with the reason), a bad scan, the
outsider (404), the commune approver and the applicant who read but do not act (403, no buttons), the wrong method
(405). Today is frozen on 15/06/2026.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from admission.dossier import services
from admission.dossier.models import (
    Application,
    BackgroundCheck,
    CheckResult,
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


def vi(msgid: str, **params: Any) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


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


def u(name: str, case: Candidate, *args: Any) -> str:
    return reverse(f"admission:candidates:{name}", args=[case.pk, *args])


def page(case: Candidate) -> str:
    return u("dossier", case)


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


FATHER = {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": "1970", "occupation": "Làm ruộng"}
MOTHER = {
    "relation": "mother",
    "full_name": "Lường Thị Xuân",
    "birth_year": "1972",
    "is_party_member": "on",
    "fully_declared": "on",
}
SISTER = {"relation": "sibling", "full_name": "Lò Thị Hoa", "birth_year": "2003"}


def cv_data(relatives: list[dict[str, Any]] | None = None, initial: int = 0, **overrides: Any) -> dict[str, Any]:
    data = {
        "declared_on": "10/01/2026",
        "name_in_use": "Lò Thị Mai",
        "hometown": "Hoành Mô, Quảng Ninh",
        "permanent_residence": "Thôn Nà Sa",
        "youth_union_joined_on": "26/03/2015",
        "youth_union_joined_at": "Trường THCS Hoành Mô",
        **rows("relatives", [FATHER, MOTHER] if relatives is None else relatives, initial),
        **rows("work", [{"start": "09/2018", "end": "06/2022", "what": "Sinh viên Đại học Sư phạm"}]),
        **overrides,
    }
    return data


def record_application(case: Candidate, world: Any) -> None:
    services.application_record(candidate=case, written_on=D(2026, 1, 5), received_on=D(2026, 1, 6), by=world.secretary)


def record_cv(case: Candidate, world: Any) -> Curriculum:
    record_application(case, world)
    return services.curriculum_record(
        candidate=case,
        declared_on=D(2026, 1, 10),
        name_in_use="Lò Thị Mai",
        hometown="Hoành Mô",
        permanent_residence="Thôn Nà Sa",
        relatives=[
            {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": 1970},
            {"relation": "mother", "full_name": "Lường Thị Xuân", "birth_year": 1972},
        ],
        by=world.secretary,
    )


def seal(case: Candidate, world: Any) -> list[BackgroundCheck]:
    record_cv(case, world)
    services.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    return list(case.background_checks.order_by("pk"))


def verify_all(case: Candidate, world: Any) -> list[BackgroundCheck]:
    checks = seal(case, world)
    for check in checks:
        services.background_check_request(
            check=check, method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary
        )
        services.background_check_reply(
            check=check, reply_received_on=D(2026, 2, 20), result=CheckResult.CLEAR, by=world.secretary
        )
    return checks


def errors_of(response: Any) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------------------------


def test_the_case_page_links_to_the_dossier(client, world, case):
    client.force_login(world.secretary)
    response = client.get(reverse("admission:candidates:detail", args=[case.pk]))
    assert f'href="{page(case)}"' in response.content.decode()


def test_the_secretary_sees_each_item_with_its_status_date_and_validity(client, world, case):
    client.force_login(world.secretary)
    response = client.get(page(case))
    assert response.status_code == 200
    assert [(i.code, i.status) for i in response.context["items"]] == [
        ("certificate", "done"),
        ("application", "missing"),
        ("curriculum", "missing"),
        ("verification", "missing"),
        ("introductions", "missing"),
        ("mass_org_resolution", "missing"),
        ("opinions", "missing"),
    ]
    html = response.content.decode()
    assert "10/10/2025" in html and "09/10/2030" in html  # the certificate's date and last valid day
    assert vi("The application has not been received.") in html
    assert 'data-testid="action-application"' in html and 'data-testid="action-introduction"' in html


def test_on_a_later_date_an_expired_item_is_flagged(client, world, case):
    client.force_login(world.secretary)
    response = client.get(page(case), {"date": "10/10/2030"})
    certificate = response.context["items"][0]
    assert certificate.status == "expired"
    html = response.content.decode()
    assert 'data-testid="item-expired"' in html and "10/10/2030" in html
    assert client.get(page(case), {"date": "09/10/2030"}).context["items"][0].status == "done"


def test_the_commune_approver_reads_the_dossier_without_buttons(client, world, case):
    record_application(case, world)
    client.force_login(world.approver)
    response = client.get(page(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "05/01/2026" in html
    assert 'data-testid="action-' not in html


def test_the_outsider_gets_404_on_the_page_every_form_and_the_scans(client, world, case):
    checks = seal(case, world)
    client.force_login(world.outsider)
    assert client.get(page(case)).status_code == 404
    for name, args in [
        ("dossier_application", []),
        ("dossier_curriculum", []),
        ("dossier_seal", []),
        ("dossier_certify", []),
        ("dossier_check_request", [checks[0].pk]),
        ("dossier_check_reply", [checks[0].pk]),
        ("dossier_introduction", []),
        ("dossier_mass_org", []),
        ("dossier_opinions", []),
        ("dossier_scan", ["application", case.application.pk]),
    ]:
        assert client.get(u(name, case, *args)).status_code == 404, name
        assert client.post(u(name, case, *args), {}).status_code in (404, 405), name


def test_the_applicant_sees_where_items_stand_but_not_the_units_assessments(client, world, case):
    verify_all(case, world)
    BackgroundCheck.objects.filter(subject_name="Lò Văn Pấng").update(result="concerns", note="Nghi vấn")
    case.person.user = world.candidate_user
    case.person.save()
    client.force_login(world.candidate_user)
    response = client.get(page(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nghi vấn" not in html and "Lò Văn Pấng" in html  # declared in the CV, not its verification
    assert 'data-testid="check"' not in html and 'data-testid="action-' not in html
    assert client.get(u("dossier_application", case)).status_code == 403
    assert client.get(u("dossier_scan", case, "application", case.application.pk)).status_code == 404


def test_a_case_not_at_the_dossier_step_is_read_only(client, world, case):
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.TRAINED)
    client.force_login(world.secretary)
    html = client.get(page(case)).content.decode()
    assert 'data-testid="dossier-frozen"' in html and 'data-testid="action-' not in html
    response = client.post(u("dossier_application", case), {"written_on": "05/01/2026", "received_on": "06/01/2026"})
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_the_page_refuses_post(client, world, case):
    client.force_login(world.secretary)
    assert client.post(page(case)).status_code == 405


def test_anonymous_users_do_not_get_the_page(client, case):
    assert client.get(page(case)).status_code in (302, 403)


# ------------------------------------------------------------------------------------------------------------------
# 1-KNĐ
# ------------------------------------------------------------------------------------------------------------------


def test_the_application_is_recorded_with_its_scan(client, world, case):
    client.force_login(world.secretary)
    assert client.get(u("dossier_application", case)).status_code == 200
    response = client.post(
        u("dossier_application", case),
        {"written_on": "05/01/2026", "received_on": "06/01/2026", "scan": png("don.png")},
    )
    assert response.status_code == 302
    assert response["Location"] == page(case) + "#item-application"
    application = Application.objects.get()
    assert (application.written_on, application.received_on, application.recorded_by) == (
        D(2026, 1, 5),
        D(2026, 1, 6),
        world.secretary,
    )
    assert application.scan.name.startswith(f"dossier/{case.pk}/application/don")
    followed = client.get(page(case))
    assert [m.message for m in followed.context["messages"]] == [vi("The application is recorded.")]
    scan = client.get(u("dossier_scan", case, "application", application.pk))
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == PNG


def test_an_application_received_before_it_was_written_is_a_422_with_the_reason(client, world, case):
    client.force_login(world.secretary)
    response = client.post(u("dossier_application", case), {"written_on": "06/01/2026", "received_on": "05/01/2026"})
    assert response.status_code == 422
    assert vi("The application cannot be received before it was written.") in errors_of(response)
    assert not Application.objects.exists()


def test_a_missing_date_is_a_422_on_its_field(client, world, case):
    client.force_login(world.secretary)
    response = client.post(u("dossier_application", case), {"written_on": "31/02/2026", "received_on": ""})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"written_on", "received_on"}


def test_a_text_file_named_pdf_is_refused_with_the_scan_message(client, world, case):
    client.force_login(world.secretary)
    fake = SimpleUploadedFile("don.pdf", b"plain text, not a PDF", content_type="application/pdf")
    response = client.post(
        u("dossier_application", case), {"written_on": "05/01/2026", "received_on": "06/01/2026", "scan": fake}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["scan"] == [vi("Only PDF, JPEG or PNG scans are accepted.")]
    assert not Application.objects.exists()


def test_a_real_png_with_a_wrong_extension_is_refused(client, world, case):
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_application", case), {"written_on": "05/01/2026", "received_on": "06/01/2026", "scan": png("a.exe")}
    )
    assert response.status_code == 422 and "scan" in response.context["form"].errors


def test_a_scan_over_the_limit_is_refused_with_its_size(client, world, case, settings):
    settings.SCAN_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("don.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_application", case), {"written_on": "05/01/2026", "received_on": "06/01/2026", "scan": big}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["scan"] == [
        vi("The file is too large (%(size).1f MB); the limit is %(limit)d MB.", size=big.size / 1024 / 1024, limit=1)
    ]


def test_the_commune_approver_gets_403_on_the_form_and_on_post(client, world, case):
    client.force_login(world.approver)
    assert client.get(u("dossier_application", case)).status_code == 403
    response = client.post(u("dossier_application", case), {"written_on": "05/01/2026", "received_on": "06/01/2026"})
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_a_form_refuses_other_methods(client, world, case):
    client.force_login(world.secretary)
    assert client.put(u("dossier_application", case)).status_code == 405
    assert client.delete(u("dossier_curriculum", case)).status_code == 405


# ------------------------------------------------------------------------------------------------------------------
# 2-KNĐ, the stamp, the verification, the certification
# ------------------------------------------------------------------------------------------------------------------


def test_the_cv_is_recorded_with_its_family_and_work_history(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    form = client.get(u("dossier_curriculum", case))
    assert form.status_code == 200 and form.context["form"].initial["name_in_use"] == "Lò Thị Mai"
    response = client.post(u("dossier_curriculum", case), cv_data([FATHER, MOTHER, SISTER, {}]))
    assert response.status_code == 302, errors_of(response)
    cv = Curriculum.objects.get()
    assert cv.youth_union_joined_on == D(2015, 3, 26)
    assert cv.work_history == [{"from": "09/2018", "to": "06/2022", "what": "Sinh viên Đại học Sư phạm"}]
    assert [(r.relation, r.full_name, r.is_party_member, r.fully_declared) for r in cv.relatives.all()] == [
        ("father", "Lò Văn Pấng", False, False),
        ("mother", "Lường Thị Xuân", True, True),
        ("sibling", "Lò Thị Hoa", False, False),
    ]


def test_a_relative_is_removed_and_another_added_when_the_cv_is_corrected(client, world, case):
    record_cv(case, world)
    client.force_login(world.secretary)
    again = client.get(u("dossier_curriculum", case))
    assert len(again.context["sections"]["relatives"].formset.forms) == 2 + 2  # two saved rows, two empty lines
    data = cv_data([{**FATHER, "DELETE": "on"}, MOTHER, SISTER], initial=2)
    response = client.post(u("dossier_curriculum", case), data)
    assert response.status_code == 302
    assert [r.full_name for r in Curriculum.objects.get().relatives.all()] == ["Lường Thị Xuân", "Lò Thị Hoa"]


def test_save_and_add_more_lines_comes_back_to_the_cv(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    response = client.post(u("dossier_curriculum", case), {**cv_data(), "_continue": "1"})
    assert response.status_code == 302 and response["Location"] == u("dossier_curriculum", case)


def test_a_relative_without_a_year_of_birth_is_a_422_on_the_row(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    response = client.post(u("dossier_curriculum", case), cv_data([{**FATHER, "birth_year": ""}]))
    assert response.status_code == 422
    assert "birth_year" in response.context["sections"]["relatives"].formset.forms[0].errors
    assert not Curriculum.objects.exists()


def test_two_fathers_are_refused_by_the_service(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    response = client.post(u("dossier_curriculum", case), cv_data([FATHER, {**FATHER, "full_name": "Lò Văn B"}]))
    assert response.status_code == 422
    assert vi("The CV declares only one %(relation)s.", relation=vi("Father").lower()) in errors_of(response)


def test_a_work_history_month_in_the_wrong_shape_is_a_422(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    data = {**cv_data(), **rows("work", [{"start": "Tháng chín", "what": "Sinh viên"}])}
    response = client.post(u("dossier_curriculum", case), data)
    assert response.status_code == 422
    assert "start" in response.context["sections"]["work_history"].formset.forms[0].errors


def test_the_cv_before_the_application_is_refused(client, world, case):
    client.force_login(world.secretary)
    response = client.post(u("dossier_curriculum", case), cv_data())
    assert response.status_code == 422
    assert vi("Record the application (1-KNĐ) first: the CV follows it.") in errors_of(response)


def test_stamping_prepares_the_checks_and_exempts_the_declared_party_member(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    client.post(u("dossier_curriculum", case), cv_data([FATHER, MOTHER, SISTER]))
    response = client.post(u("dossier_seal", case), {"sealed_on": "20/01/2026"})
    assert response.status_code == 302 and response["Location"].endswith("#item-verification")
    assert Curriculum.objects.get().page_join_sealed_on == D(2026, 1, 20)
    assert [(c.subject_name, c.exempt) for c in case.background_checks.order_by("pk")] == [
        ("Lò Thị Mai", False),
        ("Lò Văn Pấng", False),
        ("Lường Thị Xuân", True),
    ]
    html = client.get(page(case)).content.decode()
    assert html.count('data-testid="action-check-request"') == 2
    assert 'data-testid="action-curriculum"' not in html  # stamped: frozen


def test_stamping_before_the_cv_was_declared_is_a_422(client, world, case):
    record_cv(case, world)
    client.force_login(world.secretary)
    response = client.post(u("dossier_seal", case), {"sealed_on": "09/01/2026"})
    assert response.status_code == 422
    assert vi("The CV cannot be stamped before it was declared.") in errors_of(response)
    assert not BackgroundCheck.objects.exists()


def test_a_request_and_a_reply_are_recorded_with_the_replys_scan(client, world, case):
    check = seal(case, world)[1]
    client.force_login(world.secretary)
    assert client.get(u("dossier_check_request", case, check.pk)).status_code == 200
    response = client.post(
        u("dossier_check_request", case, check.pk),
        {"method": "letter", "request_sent_on": "22/01/2026", "addressed_to": "Đảng ủy xã Lục Hồn"},
    )
    assert response.status_code == 302
    response = client.post(
        u("dossier_check_reply", case, check.pk),
        {"reply_received_on": "20/02/2026", "result": "clear", "scan": pdf("tra-loi.pdf")},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.method, check.addressed_to, check.request_sent_on, check.reply_received_on, check.result) == (
        "letter",
        "Đảng ủy xã Lục Hồn",
        D(2026, 1, 22),
        D(2026, 2, 20),
        "clear",
    )
    assert check.scan.name.startswith(f"dossier/{case.pk}/backgroundcheck/tra-loi")


def test_a_reply_before_the_request_was_sent_is_a_422(client, world, case):
    check = seal(case, world)[0]
    services.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary)
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_check_reply", case, check.pk), {"reply_received_on": "21/01/2026", "result": "clear"}
    )
    assert response.status_code == 422
    assert vi("The reply cannot arrive before the request was sent (%(day)s).", day="22/01/2026") in errors_of(response)


def test_concerns_without_a_note_are_a_422(client, world, case):
    check = seal(case, world)[0]
    services.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary)
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_check_reply", case, check.pk), {"reply_received_on": "20/02/2026", "result": "concerns"}
    )
    assert response.status_code == 422 and vi("Say what the concerns are.") in errors_of(response)


def test_a_request_for_an_exempt_relative_is_refused(client, world, case):
    record_application(case, world)
    services.curriculum_record(
        candidate=case,
        declared_on=D(2026, 1, 10),
        name_in_use="Lò Thị Mai",
        hometown="Hoành Mô",
        permanent_residence="Thôn Nà Sa",
        relatives=[
            {
                "relation": "mother",
                "full_name": "Lường Thị Xuân",
                "birth_year": 1972,
                "is_party_member": True,
                "fully_declared": True,
            }
        ],
        by=world.secretary,
    )
    services.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    exempt = BackgroundCheck.objects.get(exempt=True)
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_check_request", case, exempt.pk), {"method": "letter", "request_sent_on": "22/01/2026"}
    )
    assert response.status_code == 422
    assert vi("%(name)s is exempt from verification: no request is needed.", name="Lường Thị Xuân") in errors_of(
        response
    )


def test_a_check_of_another_case_is_a_404(client, world, case):
    other = candidate_nominate(
        person=PersonFactory(),
        cell=world.village_cell,
        nominated_by="cell",
        nominated_on=D(2025, 9, 1),
        by=world.secretary,
    )
    stray = BackgroundCheck.objects.create(candidate=other, subject_name="X")
    client.force_login(world.secretary)
    assert client.get(u("dossier_check_request", case, stray.pk)).status_code == 404


def test_the_comment_and_the_certification_are_written_after_the_replies(client, world, case):
    verify_all(case, world)
    client.force_login(world.secretary)
    response = client.post(
        u("dossier_certify", case),
        {
            "cell_comment": "Chi ủy nhận xét tốt",
            "cell_commented_on": "01/03/2026",
            "committee_certification": "Đảng ủy chứng nhận",
            "committee_certified_on": "05/03/2026",
        },
    )
    assert response.status_code == 302
    cv = Curriculum.objects.get()
    assert (cv.cell_commented_on, cv.committee_certified_on) == (D(2026, 3, 1), D(2026, 3, 5))
    items = {i.code: i for i in client.get(page(case)).context["items"]}
    assert (items["curriculum"].status, items["curriculum"].valid_until) == ("done", D(2027, 3, 4))


def test_the_comment_before_the_replies_is_a_422_naming_who_is_waited_for(client, world, case):
    seal(case, world)
    client.force_login(world.secretary)
    response = client.post(u("dossier_certify", case), {"cell_comment": "Sớm", "cell_commented_on": "01/02/2026"})
    assert response.status_code == 422
    assert "Lò Văn Pấng" in errors_of(response)
    assert not Curriculum.objects.get().cell_comment


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


# ------------------------------------------------------------------------------------------------------------------
# Role boundaries on every form
# ------------------------------------------------------------------------------------------------------------------

FORMS = [
    "dossier_application",
    "dossier_curriculum",
    "dossier_seal",
    "dossier_certify",
    "dossier_check_request",
    "dossier_check_reply",
    "dossier_introduction",
    "dossier_mass_org",
    "dossier_opinions",
]


def form_url(name: str, case: Candidate) -> str:
    if name in ("dossier_check_request", "dossier_check_reply"):
        return u(name, case, case.background_checks.order_by("pk").first().pk)
    return u(name, case)


@pytest.mark.parametrize("name", FORMS)
def test_readers_who_do_not_act_for_the_cell_get_403_on_every_form(client, world, case, name):
    seal(case, world)
    case.person.user = world.candidate_user
    case.person.save()
    # The commune approver and the applicant see the case but do not act for its cell; the agency's committee member
    # works under another branch of the commune: the case does not exist for them.
    for reader, status in ((world.approver, 403), (world.candidate_user, 403), (world.agency_officer, 404)):
        client.force_login(reader)
        assert client.get(form_url(name, case)).status_code == status, reader
        assert client.post(form_url(name, case), {}).status_code == status, reader


@pytest.mark.parametrize("name", FORMS)
def test_every_form_answers_get_and_post_only(client, world, case, name):
    seal(case, world)
    client.force_login(world.secretary)
    assert client.get(form_url(name, case)).status_code == 200
    assert client.put(form_url(name, case)).status_code == 405
    assert client.patch(form_url(name, case)).status_code == 405


def test_a_stamped_cv_can_no_longer_be_changed(client, world, case):
    seal(case, world)
    client.force_login(world.secretary)
    response = client.post(u("dossier_curriculum", case), cv_data())
    assert response.status_code == 422
    assert vi("The CV is stamped across its page joins: it can no longer be changed.") in errors_of(response)
    assert Curriculum.objects.get().relatives.count() == 2


def test_an_unknown_scan_kind_or_a_record_without_scan_is_a_404(client, world, case):
    record_application(case, world)
    client.force_login(world.secretary)
    assert client.get(u("dossier_scan", case, "passport", case.application.pk)).status_code == 404
    assert client.get(u("dossier_scan", case, "application", case.application.pk)).status_code == 404
