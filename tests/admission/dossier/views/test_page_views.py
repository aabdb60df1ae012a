"""The dossier page and its checklist (who sees what, and the buttons of whoever acts for the cell), and the role
boundaries on every form: readers who do not act for the cell get 403, every form answers GET and POST only.

Today is frozen on 15/06/2026.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from admission.dossier.models import Application, BackgroundCheck, Curriculum
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.admission.dossier.views.helpers import cv_data, errors_of, page, record_application, seal, u, verify_all, vi

pytestmark = pytest.mark.usefixtures("frozen_today")


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
