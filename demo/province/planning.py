"""Planning the people: pure functions of the seeded random generator (`random.Random(2025)`), independent of what
the database already holds, so that every run draws the same rosters, names, dates and citizen IDs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final

from admission.party.models.people import ExemptionKind
from admission.rules import reference
from demo.province.orgs import (
    NA_SA,
    ORGS,
    REFORM_DAY,
    OrgSpec,
    Roster,
)
from demo.province.population import (
    _OTHER_HOMES,
    _SECTOR_OF_OCCUPATION,
    COMMUNITIES,
    WORKS,
    ethnic_code,
    make_name,
    pick,
)

SEED: Final = 2025


BIRTH_PROVINCE: Final = "022"  # Quảng Ninh, first three digits of the citizen ID


PROBATION_ADMITTED: Final = (date(2025, 12, 1), date(2026, 9, 30))
LAST_OFFICIAL_ADMISSION: Final = date(2024, 6, 30)
EXEMPTED_FROM: Final = date(2025, 9, 1)
TRANSFER_PERIOD: Final = (date(2026, 3, 1), date(2027, 3, 1))
# Members admitted in the last decades have at least lower secondary education (domain.md §2.2); only the oldest
# members may have less.
MINIMUM_EDUCATION_BORN_FROM: Final = 1970


@dataclass(frozen=True)
class PersonPlan:
    citizen_id: str
    full_name: str
    date_of_birth: date
    sex: str
    ethnicity: str
    religion: str
    education: str
    professional_level: str
    occupation: str
    employer_sector: str
    workplace: str
    hometown: str
    residence: str
    youth_union_member: bool
    trade_union_member: bool


@dataclass(frozen=True)
class ExemptionPlan:
    kind: str
    starts_on: date
    ends_on: date | None
    reason: str


@dataclass(frozen=True)
class MemberPlan:
    person: PersonPlan
    admitted_on: date
    official_on: date | None
    joined_cell_on: date
    exemption: ExemptionPlan | None = None


@dataclass
class Plan:
    rosters: dict[str, list[MemberPlan]]
    candidate: PersonPlan


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PeoplePlanner:
    """Draws people for the rosters; owns the random generator and the set of citizen-ID serials already used."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self._serials: set[int] = set()

    def citizen_id(self, born: date, sex: str) -> str:
        while True:
            serial = self.rng.randrange(990000, 1000000)
            if serial not in self._serials:
                self._serials.add(serial)
                break
        prefix = reference.citizen_id_prefix(province_code=BIRTH_PROVINCE, date_of_birth=born, sex=sex)
        return f"{prefix}{serial:06d}"

    def person(
        self,
        *,
        roster: Roster,
        born_years: tuple[int, int],
        sex: str,
        occupation: str | None = None,
        ethnic: str | None = None,
    ) -> PersonPlan:
        rng = self.rng
        community = COMMUNITIES[roster.community]
        work = WORKS[roster.work]
        born = random_day(rng, date(born_years[0], 1, 1), date(born_years[1], 12, 31))
        ethnic = ethnic or pick(rng, community.ethnicity)
        if occupation is None:
            occupation = pick(rng, work.occupations)
            if work.residential and age_on(born, REFORM_DAY) >= 62:
                occupation = "other"  # pensioners
        education = pick(rng, work.education)
        if born.year >= MINIMUM_EDUCATION_BORN_FROM and not reference.meets_education(education, "lower_secondary"):
            education = "lower_secondary"
        religion = reference.NO_RELIGION
        if ethnic == "Kinh" and rng.random() < community.catholic_rate:
            religion = "catholic"
        young = age_on(born, REFORM_DAY) <= 30
        return PersonPlan(
            citizen_id=self.citizen_id(born, sex),
            full_name=make_name(rng, ethnic=ethnic, sex=sex, born=born.year),
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnic_code(ethnic),
            religion=religion,
            education=education,
            professional_level=pick(rng, work.professional),
            occupation=occupation,
            employer_sector=work.sector or _SECTOR_OF_OCCUPATION.get(occupation, "other"),
            workplace=reference.normalise_text(roster.workplace),
            hometown=reference.normalise_text(community.home if rng.random() < 0.8 else rng.choice(_OTHER_HOMES)),
            residence=reference.normalise_text(roster.residence),
            youth_union_member=young and rng.random() < 0.8,
            trade_union_member=work.trade_union,
        )

    def official(self, person: PersonPlan, founded: date) -> MemberPlan:
        first = max(years_after(person.date_of_birth, 18), date(1975, 1, 1))
        last = min(years_after(person.date_of_birth, 35), LAST_OFFICIAL_ADMISSION)
        admitted = random_day(self.rng, first, max(first, last))
        official = admitted + timedelta(days=365 + self.rng.randrange(10, 60))
        return MemberPlan(person, admitted, official, max(founded, admitted))

    def probationary(self, person: PersonPlan, founded: date) -> MemberPlan:
        admitted = random_day(self.rng, *PROBATION_ADMITTED)
        return MemberPlan(person, admitted, None, max(founded, admitted))

    def roster(self, spec: OrgSpec) -> list[MemberPlan]:
        """Seats 0–2 are the cell committee, then (optionally) an exempted elder and a member working away, then
        other official members, and 1–3 probationary members last. The share of women is a quota, not a draw, so
        that small cells still come out near it."""
        assert spec.roster is not None
        roster = spec.roster
        work = WORKS[roster.work]
        size = self.rng.randint(*roster.size)
        probationers = self.rng.randint(1, 3)
        women = round(size * work.women)
        sexes = ["female"] * women + ["male"] * (size - women)
        self.rng.shuffle(sexes)

        def draw(born_years: tuple[int, int], occupation: str | None = None) -> PersonPlan:
            return self.person(roster=roster, born_years=born_years, sex=sexes.pop(), occupation=occupation)

        members: list[MemberPlan] = []
        for seat in range(3):
            occupation = "village_part_time" if seat == 0 and work.residential else None
            members.append(self.official(draw((1966, 1988), occupation), spec.founded))
        if roster.exemptions:
            elder = self.official(draw((1955, 1957), "other"), spec.founded)
            members.append(_with_exemption(elder, ExemptionKind.EXEMPTED, EXEMPTED_FROM, None, _EXEMPTED_REASON))
            away = self.official(draw((1993, 2000)), spec.founded)
            members.append(_with_exemption(away, ExemptionKind.TEMPORARY_TRANSFER, *TRANSFER_PERIOD, _TRANSFER_REASON))
        while len(members) < size - probationers:
            members.append(self.official(draw(work.born), spec.founded))
        while len(members) < size:
            members.append(self.probationary(draw((1992, 2004)), spec.founded))
        return members


_EXEMPTED_REASON: Final = "Miễn công tác và sinh hoạt đảng do tuổi cao, sức yếu"
_TRANSFER_REASON: Final = "Đi làm việc ở tỉnh Bắc Ninh; sinh hoạt đảng tạm thời tại chi bộ nơi làm việc"


def _with_exemption(member: MemberPlan, kind: str, starts_on: date, ends_on: date | None, reason: str) -> MemberPlan:
    return MemberPlan(
        member.person,
        member.admitted_on,
        member.official_on,
        member.joined_cell_on,
        ExemptionPlan(kind, max(starts_on, member.joined_cell_on + timedelta(days=1)), ends_on, reason),
    )


def plan_people(seed: int = SEED) -> Plan:
    """Every roster and the candidate, the same on every run."""
    planner = PeoplePlanner(seed)
    rosters = {spec.code: planner.roster(spec) for spec in ORGS if spec.roster is not None}
    na_sa = next(spec for spec in ORGS if spec.code == NA_SA)
    assert na_sa.roster is not None
    candidate = planner.person(
        roster=na_sa.roster, born_years=(2002, 2004), sex="female", occupation="agriculture", ethnic="Tày"
    )
    candidate = replace(candidate, education="upper_secondary", youth_union_member=True)
    return Plan(rosters, candidate)
