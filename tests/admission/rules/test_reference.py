"""Reference lists, the citizen-ID check and text normalisation (no database)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from admission.rules.reference import (
    CITIZEN_ID_PROVINCE_CODES,
    CITIZEN_ID_PROVINCES,
    EDUCATION_LEVELS,
    EMPLOYER_SECTORS,
    ENTERPRISE_OCCUPATIONS,
    ETHNIC_GROUPS,
    ETHNICITY_CHOICES,
    OCCUPATION_CLASSES,
    PROFESSIONAL_LEVELS,
    RELIGIONS,
    citizen_id_prefix,
    citizen_id_validator,
    education_rank,
    is_ethnic_minority,
    is_outside_state_sector,
    is_religious,
    meets_education,
    normalise_name,
    normalise_text,
    professional_rank,
    validate_citizen_id,
)

ALL_CHOICES = {
    "ETHNIC_GROUPS": ETHNIC_GROUPS,
    "RELIGIONS": RELIGIONS,
    "EDUCATION_LEVELS": EDUCATION_LEVELS,
    "PROFESSIONAL_LEVELS": PROFESSIONAL_LEVELS,
    "OCCUPATION_CLASSES": OCCUPATION_CLASSES,
    "EMPLOYER_SECTORS": EMPLOYER_SECTORS,
}

QUANG_NINH_MAN_1995 = "022095991234"


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Assert on the English source messages, whatever LANGUAGE_CODE the test settings choose."""
    with translation.override("en"):
        yield


def error_codes(exc: pytest.ExceptionInfo[ValidationError]) -> list[str | None]:
    return [error.code for error in exc.value.error_list]


# --- ethnic groups ------------------------------------------------------------------------------------------


def test_there_are_exactly_54_ethnic_groups() -> None:
    assert len(ETHNIC_GROUPS) == 54


def test_ethnic_group_codes_run_from_01_to_54_without_gaps() -> None:
    assert [code for code, _name in ETHNIC_GROUPS] == [f"{n:02d}" for n in range(1, 55)]


def test_ethnic_group_names_are_unique_even_ignoring_case() -> None:
    names = [name.casefold() for _code, name in ETHNIC_GROUPS]
    assert len(set(names)) == len(names)


def test_the_list_starts_and_ends_in_the_official_order() -> None:
    groups = dict(ETHNIC_GROUPS)
    assert (groups["01"], groups["02"], groups["05"], groups["08"], groups["10"]) == (
        "Kinh",
        "Tày",
        "Khơ-me",
        "Hmông",
        "Gia-rai",
    )
    assert (groups["53"], groups["54"]) == ("Ơ Đu", "Rơ-măm")


def test_ethnicity_choices_can_be_used_as_django_choices() -> None:
    assert all(len(pair) == 2 and isinstance(pair[0], str) for pair in ETHNICITY_CHOICES)
    assert dict(ETHNICITY_CHOICES)["22"] == "Xtiêng"


def test_everyone_but_kinh_is_an_ethnic_minority() -> None:
    assert is_ethnic_minority("01") is False
    assert all(is_ethnic_minority(code) for code, _name in ETHNIC_GROUPS[1:])


def test_an_unknown_ethnic_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="55"):
        is_ethnic_minority("55")


# --- every list ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_CHOICES)
def test_every_label_is_nfc_normalised_and_trimmed(name: str) -> None:
    for _code, label in ALL_CHOICES[name]:
        assert unicodedata.is_normalized("NFC", label), label
        assert label == normalise_text(label), label


@pytest.mark.parametrize("name", ALL_CHOICES)
def test_every_list_has_unique_codes_that_fit_the_model_fields(name: str) -> None:
    codes = [code for code, _label in ALL_CHOICES[name]]
    assert len(set(codes)) == len(codes)
    assert all(code.isascii() and len(code) <= 30 for code in codes)


def test_province_names_are_nfc_normalised() -> None:
    assert all(unicodedata.is_normalized("NFC", name) for name in CITIZEN_ID_PROVINCES.values())


# --- religions ----------------------------------------------------------------------------------------------


def test_religion_list_runs_from_none_through_the_16_recognised_religions_to_other() -> None:
    codes = [code for code, _label in RELIGIONS]
    assert codes[0] == "none"
    assert codes[-1] == "other"
    assert len(codes) == 18
    assert {"buddhism", "catholic", "protestant", "caodai", "hoahao", "islam"} <= set(codes)


def test_only_none_is_not_religious() -> None:
    assert is_religious("none") is False
    assert is_religious("catholic") is True
    assert is_religious("other") is True


# --- education ----------------------------------------------------------------------------------------------


def test_education_levels_rank_from_literacy_to_upper_secondary() -> None:
    ranks = [education_rank(code) for code in ("literate", "primary", "lower_secondary", "upper_secondary")]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == 4


def test_upper_secondary_meets_the_lower_secondary_rule_and_primary_does_not() -> None:
    assert meets_education("upper_secondary", "lower_secondary")
    assert meets_education("lower_secondary", "lower_secondary")
    assert not meets_education("primary", "lower_secondary")


def test_an_unknown_education_level_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="college"):
        education_rank("college")


def test_professional_levels_rank_from_none_to_doctor() -> None:
    assert [professional_rank(code) for code, _label in PROFESSIONAL_LEVELS] == list(range(7))
    assert professional_rank("university") > professional_rank("college")


# --- occupations and sectors --------------------------------------------------------------------------------


def test_occupation_classes_are_the_14_leaves_of_form_2_btctw() -> None:
    codes = [code for code, _label in OCCUPATION_CLASSES]
    assert len(codes) == 14
    assert codes[-1] == "other"
    assert set(codes) >= ENTERPRISE_OCCUPATIONS


def test_private_and_foreign_invested_enterprises_are_outside_the_state_sector() -> None:
    assert is_outside_state_sector("private_enterprise")
    assert is_outside_state_sector("foreign_invested_enterprise")
    assert not is_outside_state_sector("state_enterprise")
    assert not is_outside_state_sector("state_agency")
    assert not is_outside_state_sector("village")


def test_model_defaults_exist_in_the_lists() -> None:
    assert "other" in dict(OCCUPATION_CLASSES)
    assert "other" in dict(EMPLOYER_SECTORS)
    assert "upper_secondary" in dict(EDUCATION_LEVELS)
    assert "none" in dict(PROFESSIONAL_LEVELS)


# --- citizen ID ---------------------------------------------------------------------------------------------


def test_there_are_63_pre_2025_province_codes() -> None:
    assert len(CITIZEN_ID_PROVINCES) == 63
    assert frozenset(CITIZEN_ID_PROVINCES) == CITIZEN_ID_PROVINCE_CODES
    assert CITIZEN_ID_PROVINCES["001"] == "Hà Nội"
    assert CITIZEN_ID_PROVINCES["022"] == "Quảng Ninh"
    assert CITIZEN_ID_PROVINCES["079"] == "Hồ Chí Minh"
    assert max(CITIZEN_ID_PROVINCES) == "096"


def test_it_accepts_a_quang_ninh_man_born_in_1995() -> None:
    assert validate_citizen_id(QUANG_NINH_MAN_1995, date_of_birth=date(1995, 6, 1), sex="male") == QUANG_NINH_MAN_1995


def test_it_accepts_a_woman_born_in_2001() -> None:
    assert validate_citizen_id("022301991234", date_of_birth=date(2001, 1, 31), sex="female") == "022301991234"


def test_it_strips_spaces_and_returns_the_bare_number() -> None:
    assert validate_citizen_id(" 022 095 991 234\u00a0") == QUANG_NINH_MAN_1995


def test_it_rejects_a_number_one_digit_short_and_says_how_many_were_entered() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id("02209599123")
    assert error_codes(exc) == ["citizen_id_length"]
    assert exc.value.messages == ["Citizen ID must have exactly 12 digits (you entered 11)."]


def test_it_rejects_a_number_that_is_too_long() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id("0220959912345")
    assert error_codes(exc) == ["citizen_id_length"]


def test_it_rejects_letters_and_punctuation_and_names_them() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id("022-095-99123A")
    assert error_codes(exc) == ["citizen_id_not_digits"]
    assert "- A" in exc.value.messages[0]


@pytest.mark.parametrize("province_code", ["000", "097", "003", "099"])
def test_it_rejects_an_unknown_province_code(province_code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id(f"{province_code}095991234")
    assert error_codes(exc) == ["citizen_id_province"]
    assert province_code in exc.value.messages[0]


def test_it_rejects_a_20th_century_digit_for_someone_born_in_2001() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id("022001991234", date_of_birth=date(2001, 3, 2))
    assert error_codes(exc) == ["citizen_id_century"]
    assert "1900 to 1999" in exc.value.messages[0]
    assert "2001" in exc.value.messages[0]


def test_it_rejects_year_digits_that_do_not_match_the_date_of_birth() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id(QUANG_NINH_MAN_1995, date_of_birth=date(1996, 6, 1))
    assert error_codes(exc) == ["citizen_id_year"]
    assert "(95)" in exc.value.messages[0]


def test_it_rejects_a_female_digit_for_a_man() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id("022195991234", date_of_birth=date(1995, 6, 1), sex="male")
    assert error_codes(exc) == ["citizen_id_sex"]
    assert "woman" in exc.value.messages[0]


def test_it_rejects_a_male_digit_for_a_woman() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id(QUANG_NINH_MAN_1995, sex="female")
    assert error_codes(exc) == ["citizen_id_sex"]


def test_it_reports_every_mismatch_with_the_person_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_citizen_id(QUANG_NINH_MAN_1995, date_of_birth=date(2004, 6, 1), sex="female")
    assert error_codes(exc) == ["citizen_id_century", "citizen_id_year", "citizen_id_sex"]


def test_it_ignores_a_sex_it_does_not_know_and_a_date_that_failed_validation() -> None:
    unparsed_date: object = "1995-13-40"
    result = validate_citizen_id(QUANG_NINH_MAN_1995, date_of_birth=unparsed_date, sex="")  # type: ignore[arg-type]
    assert result == QUANG_NINH_MAN_1995


def test_the_field_validator_checks_format_and_province_only() -> None:
    citizen_id_validator(QUANG_NINH_MAN_1995)
    citizen_id_validator("022395991234")  # a woman born in 2095: date and sex are not the field's business
    with pytest.raises(ValidationError):
        citizen_id_validator("097095991234")


def test_the_prefix_helper_builds_ids_the_validator_accepts() -> None:
    born = date(2003, 9, 2)
    prefix = citizen_id_prefix(province_code="022", date_of_birth=born, sex="female")
    assert prefix == "022303"
    assert validate_citizen_id(f"{prefix}990001", date_of_birth=born, sex="female") == "022303990001"


# --- text ---------------------------------------------------------------------------------------------------


def test_normalise_text_composes_and_collapses_whitespace() -> None:
    decomposed = unicodedata.normalize("NFD", "  Thôn   Nà\tSa\u200b ")
    assert normalise_text(decomposed) == "Thôn Nà Sa"
    assert unicodedata.is_normalized("NFC", normalise_text(decomposed))


def test_normalise_name_capitalises_each_part_of_a_vietnamese_name() -> None:
    assert normalise_name("nguyễn văn an") == "Nguyễn Văn An"
    assert normalise_name("ĐẶNG  THỊ   HỒNG") == "Đặng Thị Hồng"
    assert normalise_name("h'hen niê") == "H'Hen Niê"


def test_normalise_name_turns_decomposed_input_into_composed_output() -> None:
    result = normalise_name(unicodedata.normalize("NFD", "trần thị thuỷ"))
    assert result == "Trần Thị Thuỷ"
    assert unicodedata.is_normalized("NFC", result)
