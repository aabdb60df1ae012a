"""Rules as pure functions of data and dates. Every number comes from a `RuleSet`; each function cites its source.

Nothing here touches the database except through the rule set object it is given (its child rows), so callers
can pass a snapshot and test boundaries without fixtures.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import AgeCounting, RuleSet


def add_months(day: date, months: int) -> date:
    """Calendar months later; a day that does not exist in the target month becomes its last day (29/2 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def probation_end(starts_on: date, months: int) -> date:
    """The day probation ends, which is the official date (Charter Art. 5.1 and 5.3: N months from the ceremony; the
    member is official from that day however late the recognition). A ceremony on 29/02 ends on 28/02, one on 31/08
    with 6 months on 28/02 or 29/02: the day that does not exist becomes the month's last day."""
    return add_months(starts_on, months)


def age_in_months(date_of_birth: date, on: date, *, counting: str = AgeCounting.BY_MONTH) -> int:
    """Age in months on `on` (domain.md §2.1; 294-QĐ/TW item 1.1.1: "tính theo tháng").

    BY_MONTH ignores the day of the month (someone born 31/05/2008 is 216 months old on 01/05/2026); STRICT_BY_DAY
    counts only completed months (the same person reaches 216 on 31/05/2026).
    """
    months = (on.year - date_of_birth.year) * 12 + (on.month - date_of_birth.month)
    if counting == AgeCounting.STRICT_BY_DAY and add_months(date_of_birth, months) > on:
        months -= 1
    return months


@dataclass(frozen=True)
class Validity:
    issued_on: date
    expires_on: date | None  # the first day on which the document is no longer valid

    def valid_on(self, day: date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day < self.expires_on)


def document_validity(*, rule_set: RuleSet, document: str, issued_on: date) -> Validity:
    """A document valid for N months from its date expires on the same day N months later (06-HD/TW §5.4 [R]).

    Example from the regulation's own worked case: a certificate of 15/01/2020 with 60 months expires 15/01/2025.
    """
    months = rule_set.validity_months(document)
    return Validity(issued_on, add_months(issued_on, months) if months is not None else None)


def deadline(
    *,
    rule_set: RuleSet,
    step: str,
    start: date,
    calendar: WorkingCalendar | None = None,
    extended: bool = False,
) -> date:
    """The last day on which a step is on time: N working days counted from `start` (domain.md §3, rows 10–11).

    With `extended`, the extension rule for the step (e.g. +30 working days for a decision) is added, counted from
    the end of the original deadline.
    """
    cal = calendar or working_calendar()
    rule = rule_set.deadline(step)
    due = cal.add_working_days(start, rule.working_days, count_from=rule_set.count_from)
    if extended:
        extension = rule_set.deadline(f"{step}_extension")
        due = cal.add_working_days(due, extension.working_days, count_from=rule_set.count_from)
    return due


def cell_vote_denominator(*, official: int, temporarily_transferred: int, exempted: int, exempted_present: int) -> int:
    """Who a cell's 2/3 is counted against (294-QĐ/TW §9.3.2 [R]): its official members, less those temporarily
    transferred to another cell and the members exempted from activities who did not attend. Probationary members
    never count (Charter Art. 3.4)."""
    return official - temporarily_transferred - (exempted - exempted_present)


def vote_passes(*, rule_set: RuleSet, body: str, votes_for: int, basis_count: int) -> bool:
    """Whether a vote reaches the body's threshold (Charter Art. 4.3: ≥ 2/3 of the cell's official members)."""
    return rule_set.vote_rule(body).passes(votes_for, basis_count)
