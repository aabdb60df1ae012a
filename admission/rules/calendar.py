"""The Vietnamese working-day calendar (ngày làm việc) used by every deadline in the admission process.

A working day is Monday to Friday, except public holidays and official compensatory days off, plus the
make-up working Saturdays/Sundays the government announces. Sources, strongest first:

1. `CalendarOverride` rows entered by an administrator (a late government announcement, a provincial day off);
2. the `holidays` package (`holidays.VN`, Vietnamese names), which knows the statutory holidays of the Labour
   Code 2019 Art. 112 (lunar Tết included), the compensatory days and the announced make-up working days.

Counting convention (domain.md §3 "Timing vocabulary"): day 1 of a deadline is the first working day *after*
the triggering event, as in the Civil Code 2015 Art. 147.1 (`CountFrom.NEXT_DAY`); `CountFrom.SAME_DAY` makes the
event day itself day 1 when it is a working day, for rule sets that need it.

Everything here is a pure function of dates, except `working_calendar()`, which reads the overrides (one query).
The module must import without Django being configured: `admission.rules.models.rulesets` imports `CountFrom` from here.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from types import MappingProxyType

import holidays
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_WORKING_DAYS",
    "CountFrom",
    "WorkingCalendar",
    "working_calendar",
]

# No deadline in the Party texts exceeds 90 working days; 10,000 (about 40 years) catches a wrong unit or a
# runaway caller long before the year-by-year walk gets expensive.
MAX_WORKING_DAYS = 10_000

# Shown when an administrator enters an extra day off without a name; same wording as the package's labels.
_DEFAULT_DAY_OFF_NAME = "Ngày nghỉ"


class CountFrom(models.TextChoices):
    """Which day is day 1 when counting working days from an event (a `RuleSet` field uses these choices)."""

    # Civil Code 2015 Art. 147.1: a period counted in days starts on the day after the event. The default.
    NEXT_DAY = "next_day", _("From the next working day after the event")
    SAME_DAY = "same_day", _("From the event day itself, if it is a working day")


@dataclass(frozen=True, slots=True)
class _PackageYear:
    """What the `holidays` package says about one year, before any override."""

    names: Mapping[date, str]  # every holiday of the year, weekend ones included, with its Vietnamese name
    working: frozenset[int]  # ordinals of the working days


@dataclass(frozen=True, slots=True)
class _Year:
    """One year's working days after overrides: sorted for bisect, and as a set for membership."""

    ordinals: tuple[int, ...]
    members: frozenset[int]


@functools.cache
def _package_year(year: int) -> _PackageYear:
    # Shared by every WorkingCalendar: the package's answer does not depend on overrides, and building a year
    # costs a few milliseconds. The neighbouring years are populated too because a make-up working day is
    # registered by the year that holds its day off in lieu (e.g. Saturday 27/12/2014 was worked for a day
    # off in 2015), so `weekend_workdays` is only complete for `year` once year + 1 is populated.
    years = range(max(year - 1, MINYEAR), min(year + 1, MAXYEAR) + 1)
    vn = holidays.country_holidays("VN", years=years, language="vi")
    names: dict[date, str] = {day: str(name) for day, name in vn.items() if day.year == year}
    weekend_workdays: set[date] = {day for day in vn.weekend_workdays if day.year == year}
    working: set[int] = set()
    day = date(year, 1, 1)
    one_day = timedelta(days=1)
    while day.year == year:
        if day in weekend_workdays or (day.weekday() < 5 and day not in names):
            working.add(day.toordinal())
        if day == date.max:
            break
        day += one_day
    return _PackageYear(names=MappingProxyType(names), working=frozenset(working))


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"The number of working days must be zero or more, got {n}.")
    if n > MAX_WORKING_DAYS:
        raise ValueError(f"The number of working days must be at most {MAX_WORKING_DAYS}, got {n}.")


class WorkingCalendar:
    """An immutable snapshot of the working-day calendar: the overrides given here plus the `holidays` package.

    `overrides` maps a date to True (a make-up working day) or False (an extra day off) and always wins over
    the package; `names` optionally names those dates (the override's `name`). Years are computed lazily and
    cached, so one instance can answer thousands of deadline questions cheaply; build a new one (see
    `working_calendar()`) when the overrides change.
    """

    __slots__ = ("_names", "_overrides", "_overrides_by_year", "_years")

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, *, names: Mapping[date, str] | None = None
    ) -> None:
        self._overrides: Mapping[date, bool] = MappingProxyType(dict(overrides or {}))
        self._names: Mapping[date, str] = MappingProxyType(dict(names or {}))
        by_year: dict[int, dict[int, bool]] = {}
        for day, is_working in self._overrides.items():
            by_year.setdefault(day.year, {})[day.toordinal()] = bool(is_working)
        self._overrides_by_year = by_year
        # Filled lazily; a race between threads only computes the same immutable value twice.
        self._years: dict[int, _Year] = {}

    def __repr__(self) -> str:
        return f"<WorkingCalendar with {len(self._overrides)} override(s)>"

    @property
    def overrides(self) -> Mapping[date, bool]:
        """The administrator's overrides this snapshot was built with (read-only)."""
        return self._overrides

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not MINYEAR <= year <= MAXYEAR:
            raise ValueError(f"The working-day calendar only covers years {MINYEAR}–{MAXYEAR}, not {year}.")
        working = set(_package_year(year).working)
        for ordinal, is_working in self._overrides_by_year.get(year, {}).items():
            if is_working:
                working.add(ordinal)
            else:
                working.discard(ordinal)
        result = _Year(ordinals=tuple(sorted(working)), members=frozenset(working))
        self._years[year] = result
        return result

    def is_working_day(self, day: date) -> bool:
        """True if `day` is a working day: an override if there is one, else the `holidays` package's answer."""
        return day.toordinal() in self._year(day.year).members

    def holiday_name(self, day: date) -> str | None:
        """The Vietnamese name of the holiday, compensatory day off or override day off on `day`.

        None on ordinary days, on ordinary weekends and on make-up working days (including a package holiday
        that an override turned into a working day). A holiday that falls on a weekend keeps its name, even
        though its day off in lieu is a separate date with its own name.
        """
        override = self._overrides.get(day)
        package_name = _package_year(day.year).names.get(day)
        if override is None:
            return package_name
        if override:
            return None
        return self._names.get(day) or package_name or _DEFAULT_DAY_OFF_NAME

    def add_working_days(self, start: date, n: int, *, count_from: CountFrom | str = CountFrom.NEXT_DAY) -> date:
        """The n-th working day counted from `start`: the last day of a period of `n` working days.

        - `NEXT_DAY` (default): day 1 is the first working day strictly after `start`, whatever `start` is.
        - `SAME_DAY`: if `start` is a working day it is day 1 (so n=1 returns `start`); otherwise as `NEXT_DAY`.
        - n == 0 returns `start` unchanged, even when it is not a working day.

        "Within 30 working days of X" means on or before `add_working_days(X, 30)`.
        Raises ValueError if n is negative or above MAX_WORKING_DAYS, or if `count_from` is unknown.
        """
        count_from = CountFrom(count_from)
        _check_count(n)
        if n == 0:
            return start
        if count_from == CountFrom.SAME_DAY and self.is_working_day(start):
            n -= 1
            if n == 0:
                return start
        # Walk whole years with bisect instead of day by day: a 90-working-day deadline touches one or two years.
        year = start.year
        ordinals = self._year(year).ordinals
        index = bisect_right(ordinals, start.toordinal())
        while n > len(ordinals) - index:
            n -= len(ordinals) - index
            year += 1
            ordinals = self._year(year).ordinals
            index = 0
        return date.fromordinal(ordinals[index + n - 1])

    def nth_working_day_after(self, event: date, n: int, *, count_from: CountFrom | str = CountFrom.NEXT_DAY) -> date:
        """The deadline date of a period of `n` working days after `event`: the n-th working day.

        Same semantics as `add_working_days`; the name reads better at call sites that state a deadline.
        """
        return self.add_working_days(event, n, count_from=count_from)

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in the half-open interval (start, end].

        0 when start == end. If end < start the result is the negative of `working_days_between(end, start)`.
        It agrees with `add_working_days` under NEXT_DAY: `working_days_between(s, add_working_days(s, n)) == n`
        for every n >= 1, so a date `d` is within an n-working-day period from `s` iff this is <= n.
        """
        if end < start:
            return -self.working_days_between(end, start)
        start_ordinal, end_ordinal = start.toordinal(), end.toordinal()
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._year(year).ordinals
            total += bisect_right(ordinals, end_ordinal) - bisect_right(ordinals, start_ordinal)
        return total

    def working_days_in(self, start: date, end: date) -> list[date]:
        """The working days from `start` to `end`, both included, in order; empty if end < start."""
        if end < start:
            return []
        start_ordinal, end_ordinal = start.toordinal(), end.toordinal()
        days: list[date] = []
        for year in range(start.year, end.year + 1):
            ordinals = self._year(year).ordinals
            lo, hi = bisect_left(ordinals, start_ordinal), bisect_right(ordinals, end_ordinal)
            days.extend(date.fromordinal(ordinal) for ordinal in ordinals[lo:hi])
        return days


def working_calendar() -> WorkingCalendar:
    """The current calendar: the `holidays` package plus every `CalendarOverride` row, read in one query.

    The result is a snapshot; build a new one per request or batch so that newly entered overrides apply.
    """
    # Imported here because admission.rules.models.rulesets imports CountFrom from this module (a cycle at import
    # time), and so that this module imports without Django settings.
    from admission.core.request_cache import per_request

    return per_request("working_calendar", _working_calendar_read)  # once per request (a write spoils it)


def _working_calendar_read() -> WorkingCalendar:
    from admission.rules.models.calendar import CalendarOverride

    overrides: dict[date, bool] = {}
    names: dict[date, str] = {}
    for day, is_working, name in CalendarOverride.objects.values_list("date", "is_working_day", "name"):
        overrides[day] = is_working
        if name:
            names[day] = name
    return WorkingCalendar(overrides, names=names)
