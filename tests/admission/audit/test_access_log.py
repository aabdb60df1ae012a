"""The personal-data read log: every answer that shows a person's data (the case, its dossier, the CV and relatives,
scans, documents, probation, the person page, the API, the admin) records who, when, what and from which page; a
404 records nothing; exports with citizen IDs ask for a reason; the unit's leaders and administrators see the log per
person, and the candidate sees it on their own page."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from admission.audit.access import names_a_subject, subject_for_route, what_for_route
from admission.audit.models import PersonalDataRead, ReadKind
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows import test_admission_flow as flow

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def client():
    """Pages in English: the assertions read the English interface text."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def case(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    return flow.open_case(world, world.village_cell, world.secretary)


def reads(**filters):
    return list(PersonalDataRead.objects.filter(**filters).order_by("pk"))


def test_reading_a_case_page_records_who_when_what_and_from_which_page(client, world, case):
    client.force_login(world.secretary)
    url = reverse("admission:candidates:detail", args=[case.pk])
    response = client.get(url, HTTP_REFERER="http://testserver/app/admission/candidates/")
    assert response.status_code == 200
    [read] = reads()
    assert (read.user, read.username, read.person, read.candidate) == (world.secretary, "secretary", case.person, case)
    assert (read.what, read.view_name, read.path, read.via_api) == (
        ReadKind.CASE,
        "admission:candidates:detail",
        url,
        False,
    )
    assert read.referer == "http://testserver/app/admission/candidates/" and read.at is not None


def test_the_dossier_the_cv_and_a_scan_are_recorded_as_such(client, world, case):
    case.application.scan.save("don.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    client.force_login(world.secretary)
    for name, args in (
        ("dossier", [case.pk]),
        ("dossier_curriculum", [case.pk]),
        ("dossier_scan", [case.pk, "application", case.application.pk]),
    ):
        assert client.get(reverse(f"admission:candidates:{name}", args=args)).status_code == 200
    assert [r.what for r in reads(person=case.person)] == [ReadKind.DOSSIER, ReadKind.CV, ReadKind.SCAN]


def test_api_reads_are_recorded_as_such(client, world, case):
    client.force_login(world.approver)
    assert client.get(reverse("api-candidate-detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("api-candidate-history", args=[case.pk])).status_code == 200
    member = Membership.objects.filter(cell=world.village_cell).first()
    assert client.get(reverse("api-person-detail", args=[member.person_id])).status_code == 200
    rows = reads()
    assert [(r.what, r.via_api, r.user) for r in rows] == [
        (ReadKind.CASE, True, world.approver),
        (ReadKind.HISTORY, True, world.approver),
        (ReadKind.PERSON, True, world.approver),
    ]
    assert rows[2].person_id == member.person_id


def test_a_foreign_case_answers_404_and_records_nothing(client, world, case):
    client.force_login(world.outsider)
    assert client.get(reverse("admission:candidates:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api-dossier", args=[case.pk])).status_code == 404
    assert reads() == []


def test_a_person_reading_their_own_case_is_not_recorded(client, world, case):
    case.person.user = world.candidate_user
    case.person.save(update_fields=["user"])
    client.force_login(world.candidate_user)
    assert client.get(reverse("portal:my_case", args=[case.pk])).status_code == 200
    assert reads() == []


def test_an_export_with_citizen_ids_asks_for_a_reason_and_records_each_person_exported(client, world):
    client.force_login(world.secretary)
    url = reverse("admission:imports:export", args=["members", "csv"])
    response = client.get(url, {"org": world.village_cell.pk})
    assert response.status_code == 302 and response["Location"] == reverse("admission:imports:index")
    assert reads() == []
    response = client.get(url, {"org": world.village_cell.pk, "reason": "Báo cáo Ban Tổ chức"})
    assert response.status_code == 200
    exported = set(Membership.objects.filter(cell=world.village_cell).values_list("person_id", flat=True))
    rows = reads(what=ReadKind.EXPORT)
    assert {r.person_id for r in rows} == exported and len(rows) == len(exported)
    assert {(r.reason, r.user_id, r.view_name) for r in rows} == {
        ("Báo cáo Ban Tổ chức", world.secretary.pk, "admission:imports:export")
    }


def test_the_import_page_asks_for_the_exports_reason(client, world):
    client.force_login(world.secretary)
    page = client.get(reverse("admission:imports:index")).content.decode()
    assert 'name="reason"' in page and "required" in page


# ------------------------------------------------------------------------------------------------------------------
# Who sees the log
# ------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def member_read(client, world):
    """A member of the village cell whose page the commune's approver has read."""
    member = Membership.objects.filter(cell=world.village_cell).select_related("person").first()
    client.force_login(world.approver)
    assert client.get(reverse("admission:members:person", args=[member.person_id])).status_code == 200
    client.logout()
    return member.person


def test_the_cells_secretary_sees_who_read_a_member_from_the_person_page(client, world, member_read):
    client.force_login(world.secretary)
    page = client.get(reverse("admission:members:person", args=[member_read.pk])).content.decode()
    link = reverse("admission:members:person_reads", args=[member_read.pk])
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    text = response.content.decode()
    assert "approver" in text and "Personal details" in text
    assert reverse("admission:members:person", args=[member_read.pk]) in text
    # Opening the log is not itself a read of the person's data.
    assert PersonalDataRead.objects.filter(person=member_read).count() == 2  # the approver's and the secretary's


def test_an_administrator_sees_the_log(client, world, member_read):
    admin = UserFactory(username="quantri")
    give_role(admin, world.province, RoleKind.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("admission:members:person_reads", args=[member_read.pk])).status_code == 200


def test_someone_in_scope_but_not_a_leader_gets_403_and_no_link(client, world, member_read):
    officer = UserFactory(username="tochuc")
    give_role(officer, world.commune, RoleKind.ORG_BOARD_OFFICER)
    client.force_login(officer)
    page = client.get(reverse("admission:members:person", args=[member_read.pk])).content.decode()
    assert reverse("admission:members:person_reads", args=[member_read.pk]) not in page
    assert client.get(reverse("admission:members:person_reads", args=[member_read.pk])).status_code == 403


def test_outsiders_and_anonymous_visitors_get_nothing(client, world, member_read):
    url = reverse("admission:members:person_reads", args=[member_read.pk])
    assert client.get(url).status_code == 302  # to the login page
    for user in (world.outsider, world.candidate_user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_a_leader_sees_the_log_of_a_candidate_who_is_not_a_member(client, world, case):
    client.force_login(world.secretary)
    assert client.get(reverse("admission:candidates:dossier_curriculum", args=[case.pk])).status_code == 200
    client.force_login(world.approver)
    response = client.get(reverse("admission:members:person_reads", args=[case.person_id]))
    assert response.status_code == 200 and "CV and relatives" in response.content.decode()


def test_the_candidate_sees_on_their_own_page_who_read_their_data(client, world, case):
    case.person.user = world.candidate_user
    case.person.save(update_fields=["user"])
    client.force_login(world.secretary)
    client.get(reverse("admission:candidates:dossier_curriculum", args=[case.pk]))
    client.force_login(world.candidate_user)
    page = client.get(reverse("portal:my_cases")).content.decode()
    assert "Who read your personal data" in page
    assert "Hoàng Văn Bí Thư" in page and "CV and relatives" in page


# ------------------------------------------------------------------------------------------------------------------
# Every route that shows a case or a person is covered
# ------------------------------------------------------------------------------------------------------------------

# Routes with an object in their path that is not a person or a case (an org, a course, a plan, the user's own
# notification or delegation, a flow's task list...). A new route naming a case or a person some other way fails the
# test below until it is logged or listed here with its reason.
NOT_ABOUT_A_PERSON = (
    "orgs/<",  # an org: its name and tree
    "restructurings/<",  # a restructuring of the tree: orgs, dates, the reason
    "courses/<",  # a course: its roster shows names only
    "plans/<",  # a sourcing plan: targets and counts
    "notifications/<",  # the user's own notification
    "inbox/<",  # the user's own notification
    "delegations/<",  # the user's own delegation
    "security/browsers/<",  # the user's own remembered browser
    "security/tokens/<",  # the user's own API token
    "auth/tokens/<",  # the user's own API token
    "template/<",  # an empty import template
    "export/<",  # logged by the view, with the reason asked for
    "imports/<",  # an import, not a read
    "reset/<",  # password reset
)


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_route_with_an_object_in_its_path_is_logged_or_known_not_to_show_a_person():
    unclassified = [
        route
        for route in _routes()
        if "<" in route
        and not names_a_subject(route)
        and not any(known in route for known in NOT_ABOUT_A_PERSON)
        and not route.startswith(("admin/", "app/sourcing/", "app/admissioncase/", "app/probation/"))
    ]
    assert unclassified == []


def test_routes_name_their_subject_whatever_the_parameter_is_called():
    assert names_a_subject("api/v1/candidates/<id:candidate_id>/dossier/")
    assert names_a_subject("api/v1/probation-transfers/<id:transfer_id>/receive/")
    assert names_a_subject("app/probation/<int:process_pk>/wait/<int:task_pk>/")
    assert not names_a_subject("api/v1/candidates/nominate/")


def test_routes_are_classified_by_what_they_show():
    assert what_for_route("app/admission/candidates/<int:pk>/dossier/curriculum/") == ReadKind.CV
    assert what_for_route("app/admission/candidates/<int:pk>/dossier/scans/<str:kind>/<int:obj_pk>/") == ReadKind.SCAN
    assert what_for_route("api/v1/candidates/<int:pk>/documents/<int:doc_pk>/file/") == ReadKind.DOCUMENT
    assert what_for_route("api/v1/candidates/<int:pk>/probation/") == ReadKind.PROBATION
    assert what_for_route("app/admission/members/person/<int:pk>/") == ReadKind.PERSON
    assert what_for_route("admin/admission/person/<path:object_id>/change/") == ReadKind.PERSON
    assert what_for_route("app/admission/candidates/<int:pk>/") == ReadKind.CASE


def test_admin_pages_of_a_person_or_of_a_record_of_a_case_are_logged(world, case):
    member = Membership.objects.filter(cell=world.village_cell).first()
    assert subject_for_route("admin/admission/person/<path:object_id>/change/", {"object_id": str(member.person_id)})[
        0
    ] == (member.person_id)
    route = "admin/admission/membership/<path:object_id>/change/"
    assert subject_for_route(route, {"object_id": str(member.pk)})[0] == member.person_id
    assert subject_for_route("admin/admission/candidate/<path:object_id>/change/", {"object_id": str(case.pk)}) == (
        case.person_id,
        None,
        case.pk,
    )
