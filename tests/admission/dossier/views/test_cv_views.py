"""The forms of 1-KNĐ and 2-KNĐ: the application and its scan, the CV with its family and work history, the page-join
stamp, the verification requests and replies, the comment and the certification. Per form: the happy path and its
row in the database, a refused input (422 with the reason), a bad scan, the reader who does not act (403), the wrong
method (405). Today is frozen on 15/06/2026.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admission.dossier import services
from admission.dossier.models import Application, BackgroundCheck, Curriculum
from admission.sourcing.services.candidates import candidate_nominate
from tests.admission.dossier.views.helpers import (
    FATHER,
    MOTHER,
    PDF,
    PNG,
    SISTER,
    D,
    cv_data,
    errors_of,
    page,
    pdf,
    png,
    record_application,
    record_cv,
    rows,
    seal,
    u,
    verify_all,
    vi,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("frozen_today")


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
