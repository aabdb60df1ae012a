"""Opening cases through the sourcing flow at a given day, and driving the clock."""

from __future__ import annotations

import datetime

import time_machine

from admission.rules.calendar import working_calendar
from tests.factories import PersonFactory
from workflows import services

D = datetime.date
DAY = D(2026, 3, 2)  # a Monday


def at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 3, 0, tzinfo=datetime.UTC), tick=False)


def open_case(world, *, on=DAY, cell=None, by=None, user=None):
    """A nominated case; its first task (put on the sympathiser list) is the cell's, due 10 working days later."""
    with at(on):
        person = PersonFactory(user=user)
        return services.case_nominate(
            person=person,
            cell=cell or world.village_cell,
            nominated_by="cell",
            nominated_on=on,
            by=by or world.secretary,
        )


def working_days_after(day, n):
    return working_calendar().add_working_days(day, n)


def first_task(case):
    return services.open_tasks(case)[0]
