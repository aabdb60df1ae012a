"""Factories for the domain. Orgs are built through the services so that paths and parent links are real."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import factory
from django.contrib.auth import get_user_model

from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.roles import Role
from admission.party.services.orgs import org_create
from admission.party.services.roles import role_assign
from admission.rules.reference import citizen_id_prefix

_codes = itertools.count(1)
_ids = itertools.count(1)


def make_org(kind: str, parent: PartyOrg | None = None, *, name: str | None = None, **kwargs: Any) -> PartyOrg:
    n = next(_codes)
    return org_create(
        code=kwargs.pop("code", f"T{n:05d}"),
        name=name or f"{OrgKind(kind).label} {n}",
        kind=kind,
        parent=parent,
        valid_from=kwargs.pop("valid_from", datetime.date(2020, 1, 1)),
        **kwargs,
    )


def citizen_id_for(dob: datetime.date, sex: str) -> str:
    # Serials 000001–899999: unique for the first 900,000 people of a test session (the whole suite makes about 11,000),
    # and never in the demo province's 99xxxx range. (Adding to 990000 and cutting to 12 digits made ten people share
    # one id once a session had made 10,000.)
    return citizen_id_prefix(province_code="022", date_of_birth=dob, sex=sex) + f"{next(_ids) % 900_000:06d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    date_of_birth = datetime.date(1995, 5, 17)
    sex = "male"
    citizen_id = factory.LazyAttribute(lambda p: citizen_id_for(p.date_of_birth, p.sex))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    admitted_on = datetime.date(2015, 3, 1)
    official_on = datetime.date(2016, 3, 10)
    joined_cell_on = datetime.date(2015, 3, 1)


def give_role(user: Any, org: PartyOrg, kind: str, starts_on: datetime.date | None = None, **kw: Any) -> Role:
    return role_assign(user=user, org=org, kind=kind, starts_on=starts_on or datetime.date(2024, 1, 1), **kw)
