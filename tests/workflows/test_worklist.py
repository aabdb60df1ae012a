"""The work page ("Việc cần làm"): every open step a body the user acts for must do, across the flows, overdue
first; the read model agrees with the permission checks for every user; the page's cost does not grow with the
number of cases."""

from __future__ import annotations

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from admission.party import permissions
from admission.party.models.delegations import Delegation
from admission.party.models.orgs import PartyOrg
from admission.party.models.roles import RoleKind
from admission.party.models.users import User
from tests.factories import PersonFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import MEETING, at, open_case, run, village, vote_data  # noqa: F401
from workflows import services, worklist
from workflows.models import WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def urls():
    """The flows' nodes reverse their URLs only once the URLconf is loaded."""
    import config.urls  # noqa: F401


D = datetime.date
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def task_ids(rows):
    return {row.item.task_id for row in rows}


def nominate(world, n=1):
    cases = []
    with at(D(2026, 1, 5)):
        for _ in range(n):
            cases.append(
                services.case_nominate(
                    person=PersonFactory(),
                    cell=world.village_cell,
                    nominated_by="cell",
                    nominated_on=D(2026, 1, 5),
                    by=world.secretary,
                )
            )
    return cases


def test_the_cells_open_step_is_on_the_secretarys_work_page_and_nobody_elses(world):
    (case,) = nominate(world)
    with at(D(2026, 1, 6)):
        mine = worklist.work_for_user(user=world.secretary)
        assert [(row.item.candidate, row.item.node) for row in mine] == [(case, "list_sympathiser")]
        assert mine[0].due_on is not None and mine[0].working_days_left > 0 and not mine[0].overdue
        assert worklist.work_for_user(user=world.approver) == []
        assert worklist.work_for_user(user=world.outsider) == []


def test_a_step_past_its_due_date_counts_its_working_days_overdue_and_comes_first(world):
    first, second = nominate(world, 2)
    WorkItem.objects.filter(candidate=second).update(due_on=D(2026, 2, 13))  # a Friday before the Tết holiday
    WorkItem.objects.filter(candidate=first).update(due_on=D(2026, 3, 31))
    with at(D(2026, 2, 24)):  # Tết 2026: 14–22/02 are not working days
        rows = worklist.work_for_user(user=world.secretary)
    assert [row.item.candidate for row in rows] == [second, first]
    assert rows[0].overdue and rows[0].days_overdue == 2  # 23/02 and 24/02
    assert not rows[1].overdue


def test_the_chain_step_moves_to_the_committees_page_and_the_cell_sees_it_waiting_above(village):  # noqa: F811
    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 5))
        approver_rows = worklist.work_for_user(user=world.approver)
        assert [(row.item.candidate, row.item.node) for row in approver_rows] == [(case, "chain_step")]
        assert approver_rows[0].title.endswith("(9-KNĐ): Đảng bộ xã Hoành Mô")
        assert worklist.work_for_user(user=world.secretary) == []
        waiting = worklist.waiting_above_for_user(user=world.secretary)
        assert [(row.item.candidate, row.item.org) for row in waiting] == [(case, world.commune)]
        assert worklist.waiting_above_for_user(user=world.outsider) == []


def test_work_waiting_at_a_lower_body_is_not_waiting_above(village):  # noqa: F811
    """The commune's approver: the cell's own step is the cell's work, not a case waiting at a higher body."""
    world = village
    case = open_case(world, world.village_cell, world.secretary)  # waits at the cell (its vote)
    with at(MEETING):
        assert [row.item.candidate for row in worklist.work_for_user(user=world.secretary)] == [case]
        assert worklist.waiting_above_for_user(user=world.approver) == []


def test_a_substitute_sees_the_bodys_work_for_the_dates_of_the_delegation_only(world):
    (case,) = nominate(world)
    deputy = UserFactory(username="deputy")
    Delegation.objects.create(
        from_user=world.secretary,
        to_user=deputy,
        org=world.village_cell,
        starts_on=D(2026, 1, 10),
        ends_on=D(2026, 1, 20),
        reason="Đi công tác",
    )
    with at(D(2026, 1, 9)):
        assert worklist.work_for_user(user=deputy) == []
    with at(D(2026, 1, 12)):
        assert [row.item.candidate for row in worklist.work_for_user(user=deputy)] == [case]
    with at(D(2026, 1, 20)):
        assert worklist.work_for_user(user=deputy) == []


def test_finished_steps_leave_the_read_model(world):
    (case,) = nominate(world)
    with at(D(2026, 1, 6)):
        run(case, "list_sympathiser", world.secretary, {"meeting_on": D(2026, 1, 6)})
    nodes = set(WorkItem.objects.filter(candidate=case).values_list("node", flat=True))
    assert nodes == {"assign_mentors"}
    open_tasks = Task.objects.filter(process__artifact_object_id=case.pk, status__in=OPEN, flow_task_type="HUMAN")
    assert set(WorkItem.objects.filter(candidate=case).values_list("task_id", flat=True)) == set(
        open_tasks.values_list("pk", flat=True)
    )


def test_the_page_costs_the_same_queries_for_one_case_as_for_ten(world, client):
    client.force_login(world.secretary)
    nominate(world, 1)
    with at(D(2026, 1, 6)), CaptureQueriesContext(connection) as one:
        assert client.get("/app/admission/home/").status_code == 200
    nominate(world, 9)
    with at(D(2026, 1, 6)), CaptureQueriesContext(connection) as ten:
        response = client.get("/app/admission/home/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="work-row"') == 10
    assert len(ten.captured_queries) == len(one.captured_queries)


def test_the_home_page_lists_the_work_in_vietnamese_and_hides_it_from_an_outsider(world, client):
    (case,) = nominate(world)
    client.force_login(world.secretary)
    with at(D(2026, 1, 6)):
        page = client.get("/app/admission/home/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Việc cần làm" in page and case.code in page and "ngày làm việc" in page
    client.force_login(world.outsider)
    with at(D(2026, 1, 6)):
        page = client.get("/app/admission/home/").content.decode()
    assert case.code not in page


def test_a_candidate_is_sent_to_their_own_case(world, client):
    person = PersonFactory(user=world.candidate_user)
    with at(D(2026, 1, 5)):
        services.case_nominate(
            person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=world.secretary
        )
    client.force_login(world.candidate_user)
    response = client.get("/app/admission/home/")
    assert response.status_code == 302 and "/ho-so-cua-toi/" in response["Location"]


def test_the_work_page_shows_exactly_what_the_permission_checks_allow_for_every_demo_user():
    """The demo province (every step, every chain variant) plus random delegations: for each user and day, the
    work page's steps are the open human tasks of the orgs the user acts for (`permissions.can_act_for_org`)."""
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    users = list(User.objects.filter(is_active=True).order_by("pk"))
    orgs = list(PartyOrg.objects.filter(valid_to__isnull=True).order_by("pk"))
    rng = random.Random(20261206)
    today = permissions.today()
    for _ in range(40):
        giver, taker = rng.sample(users, 2)
        starts = today + datetime.timedelta(days=rng.randint(-20, 5))
        Delegation.objects.create(
            from_user=giver,
            to_user=taker,
            org=rng.choice(orgs),
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=rng.randint(1, 30)),
            reason="thử",
        )
    for user in users[:10]:
        give_role(user, rng.choice(orgs), "committee_member", starts_on=today)
    tasks = list(Task.objects.filter(status__in=OPEN, flow_task_type="HUMAN", owner_permission_obj_pk__isnull=False))
    assert len(tasks) > 20
    org_of = {org.pk: org for org in orgs}
    for day in (today, today + datetime.timedelta(days=3)):
        for user in users:
            expected = {
                task.pk
                for task in tasks
                if (
                    not permissions.sees_everything(user)
                    and permissions.can_act_for_org(user, org_of[int(task.owner_permission_obj_pk)], on=day)
                )
                or (
                    permissions.sees_everything(user)
                    and (
                        permissions.acts_in_own_right(user, org_of[int(task.owner_permission_obj_pk)], on=day)
                        or permissions.active_delegations(user, on=day)
                        .filter(org_id=int(task.owner_permission_obj_pk))
                        .exists()
                    )
                )
            }
            assert task_ids(worklist.work_for_user(user=user, on=day)) == expected, user.username


def test_the_deadline_board_and_the_work_page_tell_the_same_story():
    """For every demo user, each board row of a body the user acts for is on the work page with the same title, the
    same due date and the same working days late or left."""
    from notifications.selectors import deadline_board

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    today = permissions.today()
    compared = 0
    for user in User.objects.filter(is_active=True, is_superuser=False):
        work = {row.item.task_id: row for row in worklist.work_for_user(user=user, on=today)}
        for board_row in deadline_board(user=user, on=today):
            if not permissions.can_act_for_org(user, board_row.acting_org, on=today):
                continue
            row = work[board_row.task_id]
            assert (row.title, row.due_on) == (board_row.task_title, board_row.due_on)
            if board_row.overdue:
                assert row.days_overdue == board_row.days_late
            elif board_row.days_left is not None:
                assert row.working_days_left == board_row.days_left
            compared += 1
    assert compared > 10


def test_the_cell_filter_offers_the_cells_with_work_only(village):  # noqa: F811
    """A committee chooses among the cells its open steps come from, not every cell of its scope (a province's
    board among 1,500)."""
    from workflows.work_views import WorkFilterForm

    world = village
    case = open_case(world, world.village_cell, world.secretary)
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 5))
        offered = list(WorkFilterForm(user=world.approver).fields["cell"].queryset)
        assert offered == [world.village_cell]  # the commune's other cells (Tổ Toán, Văn phòng trường) have no work
        assert list(WorkFilterForm(user=world.outsider).fields["cell"].queryset) == []


# A body with a long queue: one user acting for two cells, 63 open steps (more than one page of WORK_PAGE_SIZE).
HOME = "/app/admission/home/"
SEEN_ON = D(2026, 1, 6)


def two_cell_committee(world):
    committee = UserFactory(username="committee")
    give_role(committee, world.village_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    give_role(committee, world.cell, RoleKind.CELL_COMMITTEE_MEMBER)
    return committee


def nominate_in(cell, by, n):
    with at(D(2026, 1, 5)):
        for _ in range(n):
            services.case_nominate(
                person=PersonFactory(), cell=cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=by
            )


def long_queue(world):
    """55 steps at the village cell, 8 at Tổ Toán. The three oldest have no due date, five of the newest are overdue
    (two of the village's, three of Tổ Toán's), the others are due on dates that run against their order of
    creation."""
    committee = two_cell_committee(world)
    nominate_in(world.village_cell, committee, 55)
    nominate_in(world.cell, committee, 8)
    items = list(WorkItem.objects.order_by("task_id"))
    assert len(items) == 63
    for i, item in enumerate(items):
        item.due_on = D(2026, 3, 1) - datetime.timedelta(days=i % 17)
    for item in items[:3]:
        item.due_on = None
    late = [items[52], items[54], *items[-3:]]
    overdue_on = (D(2026, 1, 5), D(2025, 12, 31), D(2026, 1, 2), D(2025, 12, 29), D(2026, 1, 5))
    for item, due in zip(late, overdue_on, strict=True):
        item.due_on = due
    assert [item.org_id for item in late] == [world.village_cell.pk] * 2 + [world.cell.pk] * 3
    WorkItem.objects.bulk_update(items, ["due_on"])
    return committee


def page_order(*orgs):
    """The page's order, computed here: due date (overdue ones are the earliest), no date last, then created, id."""
    items = WorkItem.objects.filter(org__in=orgs)
    return [
        item.task_id
        for item in sorted(items, key=lambda i: (i.due_on is None, i.due_on or D.max, i.created, i.task_id))
    ]


def shown(response):
    return [row.item.task_id for row in response.context["page"].object_list]


def test_the_page_costs_the_same_queries_for_three_steps_as_for_sixty_three(world, client, monkeypatch):
    built = []  # how many rows each call made into WorkRows: only the page's, never the whole queue

    def rows(items, **kwargs):
        built.append(len(items))
        return make_rows(items, **kwargs)

    make_rows = worklist._rows
    monkeypatch.setattr(worklist, "_rows", rows)
    committee = two_cell_committee(world)
    nominate_in(world.village_cell, committee, 2)
    nominate_in(world.cell, committee, 1)
    client.force_login(committee)
    with at(SEEN_ON), CaptureQueriesContext(connection) as small:
        response = client.get(HOME)
    assert response.status_code == 200 and len(shown(response)) == 3
    assert 'data-testid="work-pager"' not in response.content.decode()
    nominate_in(world.village_cell, committee, 40)
    nominate_in(world.cell, committee, 20)
    with at(SEEN_ON), CaptureQueriesContext(connection) as large:
        response = client.get(HOME)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="work-row"') == worklist.WORK_PAGE_SIZE == 50
    assert response.context["counts"].total == 63
    assert max(built) == worklist.WORK_PAGE_SIZE
    assert len(large.captured_queries) == len(small.captured_queries)


def test_page_two_shows_the_rest_overdue_first_and_undated_last(world, client):
    client.force_login(long_queue(world))
    expected = page_order(world.village_cell, world.cell)
    with at(SEEN_ON):
        first = client.get(HOME)
        second = client.get(HOME, {"page": 2})
    assert shown(first) == expected[:50] and shown(second) == expected[50:]
    assert [row.overdue for row in first.context["page"].object_list[:6]] == [True] * 5 + [False]
    assert [row.due_on for row in second.context["page"].object_list[-3:]] == [None, None, None]
    assert second.content.decode().count('data-testid="work-row"') == 13


def test_the_summary_and_the_table_by_organisation_count_every_step_not_the_page(world, client):
    client.force_login(long_queue(world))
    with at(SEEN_ON):
        response = client.get(HOME, {"page": 2}, HTTP_ACCEPT_LANGUAGE="vi")
    mine = WorkItem.objects.filter(org__in=[world.village_cell, world.cell])
    late = mine.filter(due_on__lt=SEEN_ON)
    counts = response.context["counts"]
    assert (counts.total, counts.overdue) == (mine.count(), late.count()) == (63, 5)
    by_org = [(row.org_id, row.name, row.open, row.overdue) for row in response.context["by_org"]]
    assert by_org == [  # Tổ Toán first: fewer steps, more of them overdue
        (world.cell.pk, world.cell.name, mine.filter(org=world.cell).count(), late.filter(org=world.cell).count()),
        (
            world.village_cell.pk,
            world.village_cell.name,
            mine.filter(org=world.village_cell).count(),
            late.filter(org=world.village_cell).count(),
        ),
    ]
    assert [row[2:] for row in by_org] == [(8, 3), (55, 2)]
    page = response.content.decode()
    assert "63 việc đang chờ đơn vị đồng chí" in page and "5 việc quá hạn" in page and "Trang 2/2" in page


def test_the_page_links_keep_the_filters(world, client):
    client.force_login(long_queue(world))
    filters = {"cell": world.village_cell.pk, "step": "list_sympathiser"}
    with at(SEEN_ON):
        first = client.get(HOME, filters)
        html = first.content.decode()
        assert first.context["counts"].total == 55
        next_link = f'href="?cell={world.village_cell.pk}&amp;step=list_sympathiser&amp;page=2"'
        assert next_link in html
        second = client.get(HOME, {**filters, "page": 2})
    assert f'href="?cell={world.village_cell.pk}&amp;step=list_sympathiser&amp;page=1"' in second.content.decode()
    assert shown(second) == page_order(world.village_cell)[50:]
    assert len(shown(second)) == 5


@pytest.mark.parametrize(("asked", "number"), [("abc", 1), ("999", 2), ("0", 2), ("-1", 2), ("", 1)])
def test_a_bad_page_number_gives_the_first_or_the_last_page(world, client, asked, number):
    client.force_login(long_queue(world))
    with at(SEEN_ON):
        response = client.get(HOME, {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == number
    assert not response.context["form"].is_bound  # turning a page is not filtering: the filter box stays closed


def test_a_step_due_on_friday_is_overdue_on_saturday_in_the_row_and_in_the_counts(world, client):
    """Overdue is a past due date, as for the "overdue only" filter and the deadline board, even with no working
    day between: the row says "overdue" without a number of days, and the summary counts it."""
    (case,) = nominate(world)
    WorkItem.objects.filter(candidate=case).update(due_on=D(2026, 1, 9))  # a Friday
    client.force_login(world.secretary)
    with at(D(2026, 1, 10)):
        (row,) = worklist.work_for_user(user=world.secretary)
        response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="vi")
    assert row.overdue and row.days_overdue == 0
    assert response.context["counts"].overdue == 1
    assert '<span class="kn-due--late">Quá hạn</span>' in response.content.decode()
    with at(D(2026, 1, 10)):
        assert [r.item.candidate for r in worklist.work_for_user(user=world.secretary, overdue=True)] == [case]
