"""The period a report covers (a quarter, 6 or 9 months, a year) and the same period one year earlier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from admission.party.permissions import today


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """A date range, both ends included (reports run inside one calendar year: quarter, 6 or 9 months, year)."""

    start: date
    end: date

    def previous(self) -> Period:
        """ "Cùng kỳ năm trước": the same range one year earlier (demo-and-reports.md A.5)."""
        return Period(_same_day_last_year(self.start), _same_day_last_year(self.end))

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * quarter - 2, 1)
        end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
        return cls(start, end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


def today_period() -> Period:
    day = today()
    return Period.quarter(day.year, (day.month - 1) // 3 + 1)
