"""Writes on people: one record per citizen ID, NFC-normalised, validated against the ID's structure."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.party.models.people import Person
from admission.party.permissions import today
from admission.rules.reference import normalise_name, normalise_text, validate_citizen_id

PERSON_FIELDS = (
    "ethnicity",
    "religion",
    "education",
    "professional_level",
    "occupation",
    "employer_sector",
    "workplace",
    "hometown",
    "residence",
    "phone",
    "email",
    "youth_union_member",
    "trade_union_member",
)


@transaction.atomic
def person_get_or_create(
    *, citizen_id: str, full_name: str, date_of_birth: date, sex: str, **fields: Any
) -> tuple[Person, bool]:
    """Find the person by citizen ID (the name and date of birth must then match) or create them."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    citizen_id = validate_citizen_id(citizen_id, date_of_birth=date_of_birth, sex=sex)
    if date_of_birth > today():
        raise ValidationError(_("The date of birth cannot be in the future."))
    name = normalise_name(full_name)
    existing = Person.objects.select_for_update().filter(citizen_id=citizen_id).first()
    if existing is not None:
        if existing.date_of_birth != date_of_birth or existing.full_name.casefold() != name.casefold():
            raise ValidationError(
                _("Citizen ID %(id)s is already recorded for %(name)s, born %(dob)s: check the number.")
                % {"id": citizen_id, "name": existing.full_name, "dob": f"{existing.date_of_birth:%d/%m/%Y}"}
            )
        return existing, False
    person = Person(
        citizen_id=citizen_id,
        full_name=name,
        date_of_birth=date_of_birth,
        sex=sex,
        **{k: normalise_text(v) if isinstance(v, str) else v for k, v in fields.items()},
    )
    person.full_clean()
    person.save()
    return person, True
