"""The columns of each spreadsheet the import reads and the export writes, and how a cell's text is parsed.

A header is recognised by its key (``citizen_id``), by its label in the interface language or by the English
label, so a file exported in English imports under Vietnamese and the reverse. Choice columns take the code or
the label ("female" or "Nữ"); dates take dd/mm/yyyy, yyyy-mm-dd or a spreadsheet date; yes/no columns take
x, 1, có, yes, true.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.party.models.earlier import LeavingReason
from admission.party.models.orgs import OrgKind
from admission.party.models.people import Sex
from admission.rules import reference
from admission.sourcing.models.candidates import CandidateState, NominationSource

ORGS, MEMBERS, CANDIDATES = "orgs", "members", "candidates"
KINDS = (
    (ORGS, gettext_lazy("Party organisations")),
    (MEMBERS, gettext_lazy("Member roster")),
    (CANDIDATES, gettext_lazy("Candidate cases")),
)


class CellError(Exception):
    """A cell that cannot be read; the message is shown to the user (row, column, reason)."""


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    required: bool = False
    kind: str = "text"  # text, date, bool, choice
    choices: Sequence[tuple[str, Any]] = field(default_factory=tuple)
    max_length: int = 255

    def header(self) -> str:
        return str(self.label)

    def names(self) -> set[str]:
        with translation.override("en"):
            english = str(self.label)
        return {_fold(self.key), _fold(str(self.label)), _fold(english)}

    def parse(self, raw: Any) -> Any:
        """The cell's value, or None when empty; CellError with the reason when it cannot be read."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise CellError(_("This column is required."))
            return None
        if self.kind == "date":
            return _parse_date(raw)
        if self.kind == "bool":
            return _parse_bool(raw)
        text = reference.normalise_text(str(raw)).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if self.kind == "choice":
            return _parse_choice(text, self.choices)
        if len(text) > self.max_length:
            raise CellError(_("At most %(n)d characters.") % {"n": self.max_length})
        return text


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time of day
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": text})


_YES = {"x", "1", "có", "co", "yes", "y", "true", "đúng"}
_NO = {"0", "không", "khong", "no", "n", "false", "sai", "-"}


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _fold(str(raw))
    if isinstance(raw, (int, float)):
        text = str(int(raw))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("“%(value)s” is not yes or no: write x or leave it empty.") % {"value": raw})


def _parse_choice(text: str, choices: Sequence[tuple[str, Any]]) -> str:
    wanted = _fold(text)
    for code, label in choices:
        if wanted in (_fold(code), _fold(str(label))):
            return code
    with translation.override("en"):
        for code, label in choices:
            if wanted == _fold(str(label)):
                return code
    raise CellError(_("“%(value)s” is not one of the allowed values (see the instructions sheet).") % {"value": text})


PERSON_COLUMNS: tuple[Column, ...] = (
    Column("citizen_id", gettext_lazy("Citizen ID"), required=True, max_length=12),
    Column("full_name", gettext_lazy("Full name"), required=True, max_length=120),
    Column("date_of_birth", gettext_lazy("Date of birth"), required=True, kind="date"),
    Column("sex", gettext_lazy("Sex"), required=True, kind="choice", choices=Sex.choices),
    Column("ethnicity", gettext_lazy("Ethnicity"), kind="choice", choices=reference.ETHNICITY_CHOICES),
    Column("religion", gettext_lazy("Religion"), kind="choice", choices=reference.RELIGIONS),
    Column("education", gettext_lazy("General education"), kind="choice", choices=reference.EDUCATION_LEVELS),
    Column(
        "professional_level", gettext_lazy("Professional level"), kind="choice", choices=reference.PROFESSIONAL_LEVELS
    ),
    Column("occupation", gettext_lazy("Occupation"), kind="choice", choices=reference.OCCUPATION_CLASSES),
    Column("employer_sector", gettext_lazy("Employer sector"), kind="choice", choices=reference.EMPLOYER_SECTORS),
    Column("workplace", gettext_lazy("Workplace")),
    Column("residence", gettext_lazy("Residence")),
    Column("phone", gettext_lazy("Phone"), max_length=20),
    Column("youth_union_member", gettext_lazy("Youth Union member"), kind="bool"),
    Column("trade_union_member", gettext_lazy("Trade-union member"), kind="bool"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ORGS: (
        Column("code", gettext_lazy("Code"), required=True, max_length=40),
        Column("name", gettext_lazy("Name"), required=True),
        Column("kind", gettext_lazy("Kind"), required=True, kind="choice", choices=OrgKind.choices),
        Column("parent_code", gettext_lazy("Code of the superior organisation"), max_length=40),
        Column("valid_from", gettext_lazy("Founded on"), kind="date"),
        Column("place_name", gettext_lazy("Place name for documents"), max_length=100),
    ),
    MEMBERS: (
        *PERSON_COLUMNS,
        Column("cell_code", gettext_lazy("Cell code"), required=True, max_length=40),
        Column("admitted_on", gettext_lazy("Admission decision date"), required=True, kind="date"),
        Column("official_on", gettext_lazy("Official member since"), kind="date"),
        Column("joined_cell_on", gettext_lazy("In this cell since"), kind="date"),
        Column("party_card_no", gettext_lazy("Party card number"), max_length=20),
    ),
    CANDIDATES: (
        *PERSON_COLUMNS,
        Column("cell_code", gettext_lazy("Cell code"), required=True, max_length=40),
        Column("state", gettext_lazy("Stage"), required=True, kind="choice", choices=CandidateState.choices),
        Column("nominated_on", gettext_lazy("Nomination date"), required=True, kind="date"),
        Column("nominated_by", gettext_lazy("Nominated by"), kind="choice", choices=NominationSource.choices),
        Column("sympathiser_meeting_on", gettext_lazy("Put on the sympathiser list on"), kind="date"),
        Column("resolution_on", gettext_lazy("Cell resolution date"), kind="date"),
        Column("decision_number", gettext_lazy("Admission decision number"), max_length=60),
        Column("decision_on", gettext_lazy("Admission decision date"), kind="date"),
        Column("ceremony_on", gettext_lazy("Ceremony date"), kind="date"),
        Column("readmission", gettext_lazy("Re-admission"), kind="bool"),
        # The person's earlier membership (re-admission, domain.md §2.6): the last one, when there was one.
        Column("earlier_admitted_on", gettext_lazy("Earlier membership: admitted on"), kind="date"),
        Column("earlier_official_on", gettext_lazy("Earlier membership: official member since"), kind="date"),
        Column("earlier_left_on", gettext_lazy("Earlier membership: left the party on"), kind="date"),
        Column(
            "earlier_how_left",
            gettext_lazy("Earlier membership: how it ended"),
            kind="choice",
            choices=LeavingReason.choices,
        ),
        Column("earlier_expunged_on", gettext_lazy("Earlier membership: conviction expunged on"), kind="date"),
    ),
}
