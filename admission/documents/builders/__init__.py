"""One function per form: the case's data, as plain strings and numbers, in the shape its template reads.

A builder returns None while the data its form needs does not exist yet (no vote, no decision step…), which is
also how the registry tells whether a form applies to a case. Builders only read; the number of a numbered form is
given later, at rendering (`services.number_for`), so that looking at the list of forms never uses up a number.
Everything returned is JSON-serialisable: its hash tells whether a generated file is still up to date.

The submodules, by stage of the case:

* `memo` — one rendering's memo (`memo()`, `_remembered`) and the org's ancestors read once within it;
* `shared` — what every form repeats: the annex's fixed sentences, the person, header, signer, vote and number;
* `dossier` — sourcing and the dossier before the cell meeting: CN-NTVĐ and 1–5-KNĐ;
* `decisions` — the vote and the decisions of the admission chain: 6–9-KNĐ;
* `recognition` — probation and recognition: 10–16-KNĐ.

The registry (`admission.documents.registry`) and the renderer reach the builders through this package.
"""

from __future__ import annotations

from admission.documents.builders.decisions import build_6_knd, build_7_knd, build_8_knd, build_9_knd
from admission.documents.builders.dossier import (
    build_1_knd,
    build_2_knd,
    build_3_knd,
    build_4_knd,
    build_5_knd,
    build_cn_ntvd,
    certificate_of,
)
from admission.documents.builders.memo import _remembered, ancestors_on, memo
from admission.documents.builders.recognition import (
    build_10_knd,
    build_11_knd,
    build_12_knd,
    build_13_knd,
    build_14_knd,
    build_15_knd,
    build_16_knd,
    probation_of,
)
from admission.documents.builders.shared import (
    FIXED_TEXT,
    Data,
    first_committee_above,
    fixed_text,
    header_block,
    person_block,
    secretary_name,
)

__all__ = [
    "FIXED_TEXT",
    "Data",
    "_remembered",
    "ancestors_on",
    "build_1_knd",
    "build_2_knd",
    "build_3_knd",
    "build_4_knd",
    "build_5_knd",
    "build_6_knd",
    "build_7_knd",
    "build_8_knd",
    "build_9_knd",
    "build_10_knd",
    "build_11_knd",
    "build_12_knd",
    "build_13_knd",
    "build_14_knd",
    "build_15_knd",
    "build_16_knd",
    "build_cn_ntvd",
    "certificate_of",
    "first_committee_above",
    "fixed_text",
    "header_block",
    "memo",
    "person_block",
    "probation_of",
    "secretary_name",
]
