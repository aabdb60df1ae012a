"""What a report returns: its lines (with this period, last year's and the ratio of the two), the dashboard and
the full admission report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from admission.party.models.orgs import PartyOrg
from admission.reports.statistics.periods import Period


def ratio(part: float | None, whole: float | None) -> float | None:
    """part × 100 / whole, or None when there is nothing to compare with (printed empty, not 0)."""
    if part is None or not whole:
        return None
    return part * 100 / whole


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    level: int
    bold: bool
    current: float | None
    previous: float | None
    kind: str = "count"

    @property
    def percent(self) -> float | None:
        """Column 4 of the forms: this period × 100 / the same period last year."""
        return ratio(self.current, self.previous)


@dataclass(frozen=True)
class ShareLine:
    """A row of Biểu 2B: total, of whom women, share of the section total."""

    number: int | str
    label: str
    total: int | None
    female: int | None
    percent: float | None
    bold: bool = False


@dataclass(frozen=True)
class TargetLine:
    category: str
    label: str
    current: int
    previous: int
    target: int | None

    @property
    def attainment(self) -> float | None:
        return ratio(self.current, self.target)

    @property
    def growth(self) -> float | None:
        return ratio(self.current, self.previous)


@dataclass(frozen=True)
class UnitLine:
    org_id: int
    name: str
    current: int
    previous: int


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    cohort: int  # cases nominated in the period that reached the stage (so far)
    events: int  # the stage's events dated inside the period, whatever the nomination date
    conversion: float | None  # cohort share of the previous stage, in %


@dataclass(frozen=True)
class StepTime:
    step: str
    label: str
    body: str
    count: int
    median_days: float | None
    overdue: int | None
    overdue_rate: float | None


@dataclass
class Dashboard:
    org: PartyOrg
    period: Period
    previous_period: Period
    basis: str
    targets: list[TargetLine]
    units: list[UnitLine]
    monthly: list[tuple[str, int, int]]  # (MM, this year, last year)
    funnel: list[FunnelStage]


@dataclass
class AdmissionReport(Dashboard):
    form2: list[Line] = field(default_factory=list)
    form2_orgs: list[Line] = field(default_factory=list)
    form2b_ethnicity: list[ShareLine] = field(default_factory=list)
    form2b_religion: list[ShareLine] = field(default_factory=list)
    form1: list[Line] = field(default_factory=list)
    supplementary: list[Line] = field(default_factory=list)
    processing: list[StepTime] = field(default_factory=list)

    @property
    def total(self) -> int:
        return int(self.form2[0].current or 0) if self.form2 else 0
