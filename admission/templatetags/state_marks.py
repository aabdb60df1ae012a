"""Marks shown beside a case's state and beside a due date, the same on every page (issue 12, phone first).

`{{ case.state|state_family }}`: the colour family of a case state, for the badge's class
`kn-state--<family>` — open (in progress), good (the outcome sought), bad (the case ended against the person) and
ended (closed without a verdict on the person: withdrawn, transferred out). A good and a bad outcome never share a
colour. `{{ day|is_overdue }}`: True when a due date has passed (calendar days; the working days late are counted
where the page has them).
"""

from __future__ import annotations

import datetime

from django import template

from admission.party import permissions
from admission.sourcing.models.candidates import CandidateState as S

register = template.Library()

OPEN, GOOD, BAD, ENDED = "open", "good", "bad", "ended"

FAMILIES: dict[str, str] = {
    **dict.fromkeys(S.open_states(), OPEN),
    S.OFFICIAL: GOOD,
    S.NOT_ADMITTED: BAD,
    S.REMOVED: BAD,
    S.WITHDRAWN: ENDED,  # the person's own choice: no verdict on them
    S.TRANSFERRED_OUT: ENDED,  # the probation goes on in another party organisation
}


@register.filter
def state_family(state: str) -> str:
    return FAMILIES.get(str(state), OPEN)


@register.filter
def is_overdue(day: datetime.date | None) -> bool:
    return day is not None and day < permissions.today()
