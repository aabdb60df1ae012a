"""The Vietnamese working-day calendar: holidays, days off in lieu, make-up working days, overrides, counting.

Every concrete date below was checked against `holidays.VN(years=..., language="vi")` 0.108.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admission.rules.calendar import MAX_WORKING_DAYS, CountFrom, WorkingCalendar, working_calendar

# The package-only calendar; WorkingCalendar is immutable, so one instance serves every test.
CALENDAR = WorkingCalendar()

# Monday 03/08/2026: a date whose 30-working-day period crosses the make-up Saturday and the 2/9 break.
RESOLUTION_DAY = date(2026, 8, 3)


def test_an_ordinary_weekday_is_a_working_day_and_an_ordinary_weekend_is_not() -> None:
    assert CALENDAR.is_working_day(date(2026, 3, 10))  # Tuesday
    assert not CALENDAR.is_working_day(date(2026, 3, 14))  # Saturday
    assert not CALENDAR.is_working_day(date(2026, 3, 15))  # Sunday
    assert CALENDAR.holiday_name(date(2026, 3, 14)) is None


def test_it_skips_the_whole_tet_break_of_2026() -> None:
    # Mon 16/02 (Giao thừa) to Fri 20/02 (Mùng bốn) off, then the weekend 21–22/02.
    for day in range(16, 23):
        assert not CALENDAR.is_working_day(date(2026, 2, day))
    assert CALENDAR.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_it_names_tet_days_in_vietnamese() -> None:
    assert CALENDAR.holiday_name(date(2026, 2, 16)) == "Giao thừa Tết Nguyên Đán"
    assert CALENDAR.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_it_skips_the_whole_tet_break_of_2027() -> None:
    # Thu 04/02 (29 Tết) to Wed 10/02 (Mùng năm) off, weekend 06–07/02 inside the break.
    for day in range(4, 11):
        assert not CALENDAR.is_working_day(date(2027, 2, day))
    assert CALENDAR.is_working_day(date(2027, 2, 3))
    assert CALENDAR.add_working_days(date(2027, 2, 3), 1) == date(2027, 2, 11)


def test_it_skips_reunification_day_and_labour_day_2026() -> None:
    # Thu 30/04 and Fri 01/05, then the weekend: Wednesday 29/04 is followed by Monday 04/05.
    assert not CALENDAR.is_working_day(date(2026, 4, 30))
    assert not CALENDAR.is_working_day(date(2026, 5, 1))
    assert CALENDAR.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)


def test_it_gives_monday_3_may_2027_off_in_lieu_of_labour_day_on_a_saturday() -> None:
    # Fri 30/04 off, Sat 01/05 is the holiday, Mon 03/05 is the day off in lieu: Thursday 29/04 -> Tuesday 04/05.
    assert not CALENDAR.is_working_day(date(2027, 4, 30))
    assert CALENDAR.holiday_name(date(2027, 5, 1)) == "Ngày Quốc tế Lao động"
    assert not CALENDAR.is_working_day(date(2027, 5, 3))
    assert CALENDAR.holiday_name(date(2027, 5, 3)) == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert CALENDAR.add_working_days(date(2027, 4, 29), 1) == date(2027, 5, 4)


def test_saturday_22_august_2026_is_a_make_up_working_day() -> None:
    saturday = date(2026, 8, 22)
    assert saturday.weekday() == 5
    assert CALENDAR.is_working_day(saturday)
    assert CALENDAR.holiday_name(saturday) is None
    assert CALENDAR.add_working_days(date(2026, 8, 21), 1) == saturday


def test_monday_31_august_2026_is_the_day_off_in_lieu_of_that_saturday() -> None:
    monday = date(2026, 8, 31)
    assert not CALENDAR.is_working_day(monday)
    assert CALENDAR.holiday_name(monday) == "Ngày nghỉ (thay cho ngày 22/08/2026)"


def test_it_skips_the_national_day_break_of_2026() -> None:
    # Mon 31/08 (in lieu), Tue 01/09 and Wed 02/09 (Quốc khánh): Friday 28/08 is followed by Thursday 03/09.
    assert not CALENDAR.is_working_day(date(2026, 9, 1))
    assert not CALENDAR.is_working_day(date(2026, 9, 2))
    assert CALENDAR.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_it_crosses_new_year_and_skips_new_years_day() -> None:
    # Wed 31/12/2025 -> Thu 01/01/2026 is Tết Dương lịch -> Fri 02/01/2026.
    assert CALENDAR.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    assert CALENDAR.working_days_between(date(2025, 12, 30), date(2026, 1, 2)) == 2


def test_a_30_working_day_deadline_lands_on_16_september_2026_and_the_next_day_is_late() -> None:
    # Counted by hand from Mon 03/08/2026 (day 1 = the next working day):
    #   04–07/08 Tue–Fri       4  ->  4
    #   10–14/08               5  ->  9
    #   17–21/08               5  -> 14
    #   Sat 22/08 (make-up)    1  -> 15
    #   24–28/08               5  -> 20
    #   31/08, 01/09, 02/09 off
    #   03–04/09 Thu–Fri       2  -> 22
    #   07–11/09               5  -> 27
    #   14, 15, 16/09 Mon–Wed  3  -> 30  => deadline Wednesday 16/09/2026
    deadline = CALENDAR.add_working_days(RESOLUTION_DAY, 30)
    assert deadline == date(2026, 9, 16)
    assert CALENDAR.working_days_between(RESOLUTION_DAY, deadline) == 30
    assert CALENDAR.working_days_between(RESOLUTION_DAY, date(2026, 9, 17)) == 31  # one day late


def test_an_extra_day_off_override_moves_a_deadline_by_one_day() -> None:
    calendar = WorkingCalendar({date(2026, 9, 11): False}, names={date(2026, 9, 11): "Nghỉ lễ của tỉnh"})
    assert not calendar.is_working_day(date(2026, 9, 11))
    assert calendar.holiday_name(date(2026, 9, 11)) == "Nghỉ lễ của tỉnh"
    assert calendar.add_working_days(RESOLUTION_DAY, 30) == date(2026, 9, 17)


def test_a_make_up_working_saturday_override_counts() -> None:
    calendar = WorkingCalendar({date(2026, 9, 5): True})
    assert calendar.is_working_day(date(2026, 9, 5))
    assert calendar.holiday_name(date(2026, 9, 5)) is None
    assert calendar.add_working_days(RESOLUTION_DAY, 30) == date(2026, 9, 15)


def test_an_override_wins_over_the_holidays_package() -> None:
    calendar = WorkingCalendar({date(2026, 8, 22): False, date(2026, 8, 31): True})
    assert not calendar.is_working_day(date(2026, 8, 22))
    assert calendar.is_working_day(date(2026, 8, 31))
    assert calendar.holiday_name(date(2026, 8, 31)) is None


def test_an_unnamed_override_day_off_falls_back_to_a_generic_name() -> None:
    calendar = WorkingCalendar({date(2026, 3, 10): False})
    assert calendar.holiday_name(date(2026, 3, 10)) == "Ngày nghỉ"


def test_overrides_are_a_snapshot_unaffected_by_later_changes_to_the_source() -> None:
    source = {date(2026, 3, 10): False}
    calendar = WorkingCalendar(source)
    source[date(2026, 3, 10)] = True
    assert not calendar.is_working_day(date(2026, 3, 10))
    with pytest.raises(TypeError):
        calendar.overrides[date(2026, 3, 11)] = False  # type: ignore[index]


def test_adding_zero_working_days_returns_the_start_unchanged() -> None:
    assert CALENDAR.add_working_days(date(2026, 2, 17), 0) == date(2026, 2, 17)  # even on a holiday
    assert CALENDAR.add_working_days(date(2026, 3, 10), 0, count_from=CountFrom.SAME_DAY) == date(2026, 3, 10)


def test_next_day_counting_starts_after_a_working_event_day() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 10), 1) == date(2026, 3, 11)
    assert CALENDAR.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Friday -> Monday


def test_same_day_counting_makes_a_working_event_day_day_one() -> None:
    tuesday = date(2026, 3, 10)
    assert CALENDAR.add_working_days(tuesday, 1, count_from=CountFrom.SAME_DAY) == tuesday
    assert CALENDAR.add_working_days(tuesday, 5, count_from=CountFrom.SAME_DAY) == date(2026, 3, 16)
    assert CALENDAR.add_working_days(tuesday, 5, count_from=CountFrom.NEXT_DAY) == date(2026, 3, 17)


def test_same_day_counting_from_a_day_off_is_the_same_as_next_day() -> None:
    for day_off in (date(2026, 3, 14), date(2026, 2, 17)):  # a Saturday, a Tết day
        for n in (1, 5, 30):
            assert CALENDAR.add_working_days(day_off, n, count_from=CountFrom.SAME_DAY) == CALENDAR.add_working_days(
                day_off, n
            )


def test_count_from_accepts_the_value_stored_on_a_rule_set() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 10), 1, count_from="same_day") == date(2026, 3, 10)


def test_it_rejects_an_unknown_count_from() -> None:
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 3, 10), 1, count_from="yesterday")


def test_it_rejects_a_negative_number_of_working_days() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        CALENDAR.add_working_days(date(2026, 3, 10), -1)


def test_it_rejects_a_runaway_number_of_working_days() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 10), MAX_WORKING_DAYS) > date(2060, 1, 1)
    with pytest.raises(ValueError, match="at most"):
        CALENDAR.add_working_days(date(2026, 3, 10), MAX_WORKING_DAYS + 1)


def test_nth_working_day_after_agrees_with_add_working_days() -> None:
    assert CALENDAR.nth_working_day_after(RESOLUTION_DAY, 30) == date(2026, 9, 16)
    assert CALENDAR.nth_working_day_after(RESOLUTION_DAY, 1, count_from=CountFrom.SAME_DAY) == RESOLUTION_DAY


def test_working_days_between_is_zero_on_the_same_day_and_negative_backwards() -> None:
    assert CALENDAR.working_days_between(RESOLUTION_DAY, RESOLUTION_DAY) == 0
    assert CALENDAR.working_days_between(date(2026, 9, 16), RESOLUTION_DAY) == -30
    # Half-open (start, end]: from Friday to the following Sunday nothing is counted.
    assert CALENDAR.working_days_between(date(2026, 3, 13), date(2026, 3, 15)) == 0


def test_working_days_in_includes_both_ends_and_skips_days_off() -> None:
    assert CALENDAR.working_days_in(date(2026, 8, 20), date(2026, 9, 3)) == [
        date(2026, 8, 20),
        date(2026, 8, 21),
        date(2026, 8, 22),  # make-up Saturday
        date(2026, 8, 24),
        date(2026, 8, 25),
        date(2026, 8, 26),
        date(2026, 8, 27),
        date(2026, 8, 28),
        date(2026, 9, 3),
    ]
    assert CALENDAR.working_days_in(date(2026, 9, 3), date(2026, 8, 20)) == []


def test_working_days_in_spans_a_year_end() -> None:
    assert CALENDAR.working_days_in(date(2025, 12, 31), date(2026, 1, 5)) == [
        date(2025, 12, 31),
        date(2026, 1, 2),
        date(2026, 1, 5),
    ]


days_2025_to_2028 = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


@given(start=days_2025_to_2028, n=st.integers(min_value=1, max_value=60))
def test_working_days_between_counts_back_exactly_what_add_working_days_added(start: date, n: int) -> None:
    deadline = CALENDAR.add_working_days(start, n)
    assert CALENDAR.is_working_day(deadline)
    assert CALENDAR.working_days_between(start, deadline) == n
    assert CALENDAR.working_days_between(start, deadline - timedelta(days=1)) == n - 1
    assert len(CALENDAR.working_days_in(start + timedelta(days=1), deadline)) == n


@given(start=days_2025_to_2028, n=st.integers(min_value=1, max_value=60))
def test_same_day_counting_is_one_working_day_shorter_from_a_working_day(start: date, n: int) -> None:
    same_day = CALENDAR.add_working_days(start, n, count_from=CountFrom.SAME_DAY)
    expected = n - 1 if CALENDAR.is_working_day(start) else n
    assert CALENDAR.working_days_between(start, same_day) == expected


@pytest.mark.django_db
def test_working_calendar_reads_the_calendar_overrides() -> None:
    from admission.rules.models.calendar import CalendarOverride

    CalendarOverride.objects.create(date=date(2026, 9, 11), is_working_day=False, name="Nghỉ lễ của tỉnh")
    CalendarOverride.objects.create(date=date(2026, 9, 5), is_working_day=True, name="Làm bù")

    calendar = working_calendar()

    assert calendar.overrides == {date(2026, 9, 11): False, date(2026, 9, 5): True}
    assert calendar.holiday_name(date(2026, 9, 11)) == "Nghỉ lễ của tỉnh"
    # One day off and one make-up day cancel out: the deadline is unchanged but lands through different days.
    assert calendar.add_working_days(RESOLUTION_DAY, 30) == date(2026, 9, 16)
    assert date(2026, 9, 5) in calendar.working_days_in(RESOLUTION_DAY, date(2026, 9, 16))
