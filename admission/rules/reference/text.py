"""Text as the records keep it: NFC-normalised, invisible characters dropped, names capitalised; dates written the
Vietnamese way (dd/mm/yyyy)."""

from __future__ import annotations

import unicodedata
from datetime import date

# ---------------------------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------------------------

# Invisible characters that arrive with text pasted from Word, PDFs or chat apps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Inside a name, a letter after one of these starts a new capitalised part ("Bru-Vân", "H'Hen").
_NAME_PART_SEPARATORS = frozenset("-'\u2019")


def vn_date(day: date) -> str:
    """A date as Vietnamese documents and screens write it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def normalise_text(value: str) -> str:
    """NFC-normalise, drop invisible characters, collapse runs of whitespace to one space, strip the ends.

    Vietnamese typed on different keyboards arrives precomposed (NFC) or decomposed (NFD); comparing, sorting
    and searching only work when every stored string is NFC.
    """
    return " ".join(unicodedata.normalize("NFC", value).translate(_INVISIBLE).split())


def normalise_name(value: str) -> str:
    """Normalise a personal name and capitalise each part: "nguyễn  văn AN" → "Nguyễn Văn An"."""
    result: list[str] = []
    start_of_part = True
    for char in normalise_text(value):
        if char.isalpha():
            result.append(char.upper() if start_of_part else char.lower())
            start_of_part = False
        else:
            result.append(char)
            start_of_part = char == " " or char in _NAME_PART_SEPARATORS
    return "".join(result)
