"""The widest values any input may carry, screens and API alike. Narrower rules (an age, a deadline, the size of a
committee on a given day) belong to the rule set and the services; these only keep absurd values out of the
database, where they would fail as a server error ("smallint out of range") or sit as nonsense (a year 1800)."""

from __future__ import annotations

import re
from datetime import date

# No record of the party's admission process predates 1900 (people born then are the oldest on any roster); a plan
# or a deadline beyond 2100 is a typing mistake.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# A number of people (a committee, those present, votes): the PositiveSmallIntegerField columns that hold them.
MAX_COUNT = 32_767
# Any other whole number the API takes (a year, a target): a 32-bit column.
MAX_INT = 2_147_483_647
# The id of a record (BigAutoField).
MAX_ID = 9_223_372_036_854_775_807
# Items in one list of a request (members present, relatives, organisations consulted).
MAX_ITEMS = 500
# The longest free text a record takes (a self-assessment, an opinion, a comment).
MAX_TEXT = 20_000
# The earliest birth year of anyone a record names (a candidate's grandparent on the CV).
EARLIEST_BIRTH_YEAR = 1880

# A date as people and programs type it: yyyy-mm-dd, or dd/mm/yyyy as on every Vietnamese form; nothing else
# (no spaces, no other digits), so that what the schema documents is exactly what is read.
DATE_ISO_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATE_VN_PATTERN = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$"


def date_text(value: object) -> bool:
    """True for the text of a date in one of the two forms read (and nothing around it)."""
    return isinstance(value, str) and any(re.fullmatch(p, value) for p in (DATE_ISO_PATTERN, DATE_VN_PATTERN))


def whole_number_text(value: object, *, signed: bool = False) -> bool:
    """True for the text of a whole number as the schema documents it: digits only, no leading zero, no spaces, no
    decimals, at most 19 digits (so that it fits a 64-bit column); with ``signed``, a leading ``-`` too."""
    pattern = r"-?(0|[1-9][0-9]{0,18})" if signed else r"0|[1-9][0-9]{0,18}"
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


# How far ahead a restructuring may be scheduled: further is a typing mistake, not a plan.
MAX_DAYS_AHEAD = 366
