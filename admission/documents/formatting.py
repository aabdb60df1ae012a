"""How party documents write dates, percentages and body names (forms.md §1.2, §1.3, §1.9; HD 36-HD/VPTW).

Pure functions of their arguments, so templates and tests agree on every character.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from admission.party.models.orgs import OrgKind, PartyOrg


def nfc(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)) if value is not None else ""


def dmy(day: date | None) -> str:
    """dd/mm/yyyy, the short form used in fields and tables."""
    return day.strftime("%d/%m/%Y") if day else ""


def spelled(day: date | None) -> str:
    """ "ngày 05 tháng 3 năm 2026": leading zero for days 1–9 and months 1–2, as the HD 36 examples write them."""
    if day is None:
        return "ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date | None) -> str:
    return f"{place}, {spelled(day)}" if place else spelled(day)


def percent(part: int, whole: int) -> str:
    """ "66,67%": decimal comma, at most two decimals, no trailing zeros (forms.md §1.9). Display only: the legal
    threshold is decided with integers by `admission.rules.compute`, never from this rounded figure."""
    if not whole:
        return "0%"
    hundredths = (part * 10000 * 2 + whole) // (whole * 2)  # rounded half up, in integers
    units, cents = divmod(hundredths, 100)
    if cents == 0:
        return f"{units}%"
    text = f"{units},{cents:02d}".rstrip("0")
    return f"{text}%"


def caps(value: str) -> str:
    return nfc(value).upper()


_BODY_OF_ORG = (("Đảng bộ bộ phận", "Đảng ủy bộ phận"), ("Đảng bộ", "Đảng ủy"))


def body_name(org: PartyOrg) -> str:
    """The body that issues for an org: a committee writes as its "Đảng ủy …", a cell as itself ("Chi bộ …")."""
    name = nfc(org.name)
    if org.is_cell:
        return name
    for prefix, body in _BODY_OF_ORG:
        if name.startswith(prefix):
            return body + name[len(prefix) :]
    return name


SYMBOLS = {
    OrgKind.PROVINCE_COMMITTEE: "TU",
    OrgKind.COMMUNE_COMMITTEE: "ĐU",
    OrgKind.GRASSROOTS_COMMITTEE: "ĐU",
    OrgKind.SUB_GRASSROOTS_COMMITTEE: "ĐU",
    OrgKind.PARTIAL_COMMITTEE: "ĐU",
    OrgKind.GRASSROOTS_CELL: "CB",
    OrgKind.CELL: "CB",
}


def symbol(org: PartyOrg) -> str:
    """The issuing body's abbreviation after the "/" of a number (forms.md §1.3)."""
    return SYMBOLS.get(OrgKind(org.kind), "ĐU")


def number_text(number: str | int | None, doc_type: str, org: PartyOrg) -> str:
    """ "Số 12-NQ/CB". A number entered in full ("12-QĐ/ĐU") is printed as entered; party documents take no colon."""
    if number in (None, ""):
        return f"Số     -{doc_type}/{symbol(org)}"
    text = nfc(number).strip()
    if "-" in text or "/" in text:
        return f"Số {text}"
    return f"Số {int(text):02d}-{doc_type}/{symbol(org)}" if text.isdigit() else f"Số {text}-{doc_type}/{symbol(org)}"


_PLACE_PREFIXES = ("Đảng bộ xã ", "Đảng bộ phường ", "Đảng bộ đặc khu ", "Đảng bộ tỉnh ", "Đảng bộ thành phố ")


def place_of(org: PartyOrg, ancestors: list[PartyOrg]) -> str:
    """The place written before the date: the org's own `place_name`, else its nearest ancestor's, else the name of
    the nearest commune or province it sits in."""
    for candidate in [org, *ancestors]:
        if candidate.place_name:
            return nfc(candidate.place_name)
    for candidate in [org, *ancestors]:
        for prefix in _PLACE_PREFIXES:
            if candidate.name.startswith(prefix):
                return nfc(candidate.name[len(prefix) :])
    return ""
