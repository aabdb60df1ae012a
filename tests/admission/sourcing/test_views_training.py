"""Course pages per role: a cell sees its commune's and province's courses, the commune creates its own, places
left are counted from every enrollment but only the user's own units' candidates are named."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from admission.party.models.roles import RoleKind
from admission.sourcing.models.training import AwarenessCourse
from admission.sourcing.services.candidates import candidate_list_as_sympathiser, candidate_nominate
from admission.sourcing.services.training import course_create, enrollment_decide, enrollment_propose
from tests.factories import PersonFactory, UserFactory, give_role

D = datetime.date
LIST = reverse("admission:courses:index")
ADD = reverse("admission:courses:add")
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def detail(course):
    return reverse("admission:courses:detail", args=[course.pk])


def course_for(org, by, capacity=3, name=None):
    return course_create(
        name=name or f"Lớp {org.name}",
        organiser=org,
        issuer_name=org.name,
        starts_on=D(2026, 3, 10),
        ends_on=D(2026, 3, 14),
        capacity=capacity,
        by=by,
    )


@pytest.fixture
def courses(world):
    province_officer = UserFactory(username="province")
    give_role(province_officer, world.province, RoleKind.TRAINING_OFFICER)
    give_role(world.outsider, world.other_commune, RoleKind.TRAINING_OFFICER)
    return {
        "commune": course_for(world.commune, world.approver, name="Lớp xã Hoành Mô"),
        "province": course_for(world.province, province_officer, name="Lớp tỉnh"),
        "other": course_for(world.other_commune, world.outsider, name="Lớp xã Lục Hồn"),
    }


def enroll(cell, secretary, approver, course, name):
    case = candidate_nominate(
        person=PersonFactory(full_name=name), cell=cell, nominated_by="cell", nominated_on=D(2026, 2, 1), by=secretary
    )
    case = candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 2, 10), by=secretary)
    enrollment = enrollment_propose(candidate=case, course=course, on=D(2026, 3, 1), by=secretary)
    return enrollment_decide(enrollment=enrollment, approve=True, on=D(2026, 3, 2), by=approver)


def test_a_cell_secretary_sees_the_courses_of_their_commune_and_province_only(client, world, courses):
    client.force_login(world.secretary)
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(response.context["courses"]) == {courses["commune"], courses["province"]}
    assert "Lớp xã Lục Hồn" not in response.content.decode()


def test_the_outsider_gets_404_for_another_communes_course(client, world, courses):
    client.force_login(world.outsider)
    assert client.get(detail(courses["commune"])).status_code == 404
    client.force_login(world.secretary)
    assert client.get(detail(courses["other"])).status_code == 404


def test_anonymous_users_are_refused(client, courses):
    for url in (LIST, ADD, detail(courses["commune"])):
        response = client.get(url)
        assert response.status_code == 403 or response["Location"].startswith("/accounts/login/")


def test_the_commune_creates_a_course_it_organises(client, world):
    client.force_login(world.approver)
    form = client.get(ADD).context["form"]
    assert list(form.fields["organiser"].queryset) == [world.commune]
    response = client.post(
        ADD,
        {
            "name": "Lớp nhận thức về Đảng khóa 2/2026",
            "organiser": world.commune.pk,
            "issuer_name": "Đảng ủy xã Hoành Mô",
            "starts_on": "06/04/2026",
            "ends_on": "10/04/2026",
            "capacity": "40",
            "location": "Hội trường xã",
        },
    )
    course = AwarenessCourse.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(course)
    assert (course.organiser, course.starts_on, course.capacity) == (world.commune, D(2026, 4, 6), 40)


def test_a_secretary_cannot_choose_the_commune_as_organiser(client, world):
    client.force_login(world.secretary)
    response = client.post(
        ADD,
        {
            "name": "x",
            "organiser": world.commune.pk,
            "issuer_name": "x",
            "starts_on": "06/04/2026",
            "ends_on": "10/04/2026",
            "capacity": "4",
        },
    )
    assert response.status_code == 422
    assert "organiser" in response.context["form"].errors
    assert not AwarenessCourse.objects.exists()


def test_a_course_ending_before_it_starts_is_refused(client, world):
    client.force_login(world.approver)
    response = client.post(
        ADD,
        {
            "name": "x",
            "organiser": world.commune.pk,
            "issuer_name": "x",
            "starts_on": "10/04/2026",
            "ends_on": "06/04/2026",
            "capacity": "4",
        },
    )
    assert response.status_code == 422 and "ends_on" in response.context["form"].errors
    assert not AwarenessCourse.objects.exists()


def test_the_new_course_button_shows_only_to_those_who_act_for_an_org(client, world, courses):
    viewer = UserFactory(username="viewer")
    give_role(viewer, world.commune, RoleKind.ADMINISTRATOR)
    client.force_login(viewer)
    assert not client.get(LIST).context["can_create"]
    client.force_login(world.approver)
    assert client.get(LIST).context["can_create"]


def test_the_course_page_counts_places_left_and_names_only_the_users_candidates(client, world, courses):
    course = courses["province"]
    other_approver = UserFactory(username="other-approver")
    give_role(other_approver, world.other_commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    enroll(world.village_cell, world.secretary, world.approver, course, "Lò Văn Một")
    enroll(world.other_cell, world.outsider, other_approver, course, "Đinh Thị Hai")
    client.force_login(world.secretary)
    response = client.get(detail(course))
    assert response.status_code == 200
    assert (response.context["taken"], response.context["places_left"], response.context["hidden"]) == (2, 1, 1)
    html = response.content.decode()
    assert "Lò Văn Một" in html and "Đinh Thị Hai" not in html
    client.force_login(UserFactory(username="province"))  # the province's training officer sees everyone
    html = client.get(detail(course)).content.decode()
    assert "Lò Văn Một" in html and "Đinh Thị Hai" in html


def test_the_course_pages_accept_only_their_methods(client, world, courses):
    client.force_login(world.approver)
    assert client.post(LIST).status_code == 405
    assert client.post(detail(courses["commune"])).status_code == 405
    assert client.put(ADD).status_code == 405
