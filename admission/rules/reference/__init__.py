"""Official reference lists (ethnic groups, religions, education, occupation classes) and the citizen-ID check.

These lists are the vocabulary of the party-member records (2-KNĐ booklet, 7-HSĐV register) and of the statistical
forms of the Organisation Commission (Biểu 2-BTCTW, 2B-BTCTW). Codes are stable keys stored in the database; the
Vietnamese labels are what secretaries see and what the printed reports carry. Never renumber or rename a code:
reports of past periods are rebuilt from them.

Validation messages are English source strings wrapped in ``gettext``; the Vietnamese translation lives in
``locale/vi`` (see ``makemessages -l vi``).

The submodules, whose public names are all importable from here:

- ``lists``: the official lists (ethnic groups, religions, education and professional levels, occupation classes,
  employer sectors) and their predicates (``is_ethnic_minority``, ``meets_education``…);
- ``citizen_id``: the citizen ID's structure, the province codes, ``validate_citizen_id`` and ``citizen_id_prefix``;
- ``text``: ``normalise_text``, ``normalise_name`` and ``vn_date``.

``citizen_id_validator`` stays defined here: the migrations name it ``admission.rules.reference.citizen_id_validator``.
"""

from __future__ import annotations

from admission.rules.reference.citizen_id import (
    CITIZEN_ID_LENGTH,
    CITIZEN_ID_PROVINCE_CODES,
    CITIZEN_ID_PROVINCES,
    citizen_id_prefix,
    validate_citizen_id,
)
from admission.rules.reference.lists import (
    EDUCATION_LEVELS,
    EMPLOYER_SECTORS,
    ENTERPRISE_OCCUPATION_GROUP_LABEL,
    ENTERPRISE_OCCUPATIONS,
    ETHNIC_GROUPS,
    ETHNICITY_CHOICES,
    KINH,
    NO_RELIGION,
    OCCUPATION_CLASSES,
    OUTSIDE_STATE_SECTORS,
    PROFESSIONAL_LEVELS,
    RELIGIONS,
    education_rank,
    is_ethnic_minority,
    is_outside_state_sector,
    is_religious,
    meets_education,
    professional_rank,
)
from admission.rules.reference.text import normalise_name, normalise_text, vn_date

__all__ = [
    "CITIZEN_ID_LENGTH",
    "CITIZEN_ID_PROVINCES",
    "CITIZEN_ID_PROVINCE_CODES",
    "EDUCATION_LEVELS",
    "EMPLOYER_SECTORS",
    "ENTERPRISE_OCCUPATIONS",
    "ENTERPRISE_OCCUPATION_GROUP_LABEL",
    "ETHNICITY_CHOICES",
    "ETHNIC_GROUPS",
    "KINH",
    "NO_RELIGION",
    "OCCUPATION_CLASSES",
    "OUTSIDE_STATE_SECTORS",
    "PROFESSIONAL_LEVELS",
    "RELIGIONS",
    "citizen_id_prefix",
    "citizen_id_validator",
    "education_rank",
    "is_ethnic_minority",
    "is_outside_state_sector",
    "is_religious",
    "meets_education",
    "normalise_name",
    "normalise_text",
    "professional_rank",
    "validate_citizen_id",
    "vn_date",
]


# Defined here, not in `citizen_id`: a model field's validator is recorded in the migrations by its module path.
def citizen_id_validator(value: str) -> None:
    """Model-field validator: format and birth-province code only (the date and sex checks need the whole row)."""
    validate_citizen_id(value)
