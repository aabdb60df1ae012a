"""Demo data: a believable slice of Quảng Ninh after the 2025 reform, and the builders that write it.

The demo's plain data sits at the top of each submodule; the builders turn it into rows through the services
(`org_create`, `org_move`, `org_dissolve`, `authority_grant`, `role_assign`) so that paths, dated parent links and
guardian permissions are the real thing. Builders look everything up by its natural key first, so that a second
run changes nothing. `manage.py seed_demo` calls `seed_demo()`.

What the slice demonstrates (shared/demo-and-reports.md Part B, domain.md §1.3–1.4):

* three commune-level committees founded on 1/7/2025 under Đảng bộ tỉnh Quảng Ninh; xã Hoành Mô and phường Hồng
  Gai keep the 2025 model (the commune's standing committee decides as superior), xã Quảng Hà switches to the 2026
  model (its own standing committee decides as the grassroots committee) from 26/7/2026;
* a school committee that proposes (8-KNĐ) and an industrial-park committee authorised to admit (125-QĐ/ĐU), with a
  partial committee under it (7-KNĐ appraisal);
* the 2026 practice of dissolving partial committees inside a commune: Đảng bộ bộ phận khu vực Quảng Phong existed
  until 30/9/2026; on 1/10/2026 its cells moved up to Đảng bộ xã Quảng Hà and it was dissolved;
* a sub-grassroots committee (đảng bộ trực thuộc cơ sở, 2026) with a company cell.

History before 1/7/2025 (the district committees of Hải Hà and Bình Liêu) is deliberately not modelled: the org
kinds have no district level. Every org under a commune therefore starts on 1/7/2025, and "in this cell since"
means since that date for members admitted earlier.

People are generated with `random.Random(2025)`, so every run produces the same names, dates and citizen IDs.
Village names other than Nà Sa, every company name and every person are invented. Citizen IDs use the reserved
serial range 99xxxx so that they are obviously fake.

The submodules, by what they create:

* `orgs` — the org tree: the reform's dates, the orgs and their codes and rosters, the dissolution, the authority
  to admit, and their builders;
* `population` — who lives there and what they do: communities, kinds of work, Vietnamese names;
* `planning` — the people drawn from the seeded generator (rosters, members, exemptions, the candidate);
* `people` — people and memberships: the rows of the plan (people, memberships, exemptions);
* `logins` — logins and roles: the test accounts and their roles in the orgs;
* `report` — what a run created and the logins it prints (`SeedReport`, `Login`);
* `seed` — the entry point `seed_demo()`, the whole province in one transaction.
"""

from __future__ import annotations

from demo.province.logins import (
    CANDIDATE_TITLE,
    LOGINS,
    PASSWORD,
    ROLE_TITLES,
    ROLES_FROM,
    LoginSpec,
    build_login,
    build_user,
)
from demo.province.orgs import (
    AUTHORITIES,
    BUSINESS_BLOC,
    CHU_VAN_AN,
    DISSOLUTIONS,
    DONG_MO,
    HOANH_MO,
    HOANH_MO_HEALTH,
    HONG_GAI,
    HONG_GAI_PEOPLES_COMMITTEE,
    HONG_GAI_ZONE_5,
    HONG_GAI_ZONE_7,
    INDUSTRIAL_PARK,
    LY_THUONG_KIET,
    MODEL_2026_FROM,
    NA_SA,
    ORGS,
    PARTIAL_DISSOLVED_ON,
    PORT_COMPANY,
    PORT_HANDLING,
    PORT_OPERATIONS,
    PROVINCE,
    PROVINCE_FOUNDED,
    QUANG_HA,
    QUANG_PHONG,
    QUANG_PHONG_1,
    QUANG_PHONG_2,
    REFORM_DAY,
    SCHOOL,
    SCHOOL_HUMANITIES,
    SCHOOL_SCIENCE,
    SUB_COMMITTEE_FOUNDED,
    TEXTILE_COMPANY,
    TIMBER_COMPANY,
    AuthoritySpec,
    Dissolution,
    OrgSpec,
    Roster,
    build_authorities,
    build_dissolutions,
    build_orgs,
)
from demo.province.people import build_exemption, build_people, build_rosters
from demo.province.planning import (
    BIRTH_PROVINCE,
    EXEMPTED_FROM,
    LAST_OFFICIAL_ADMISSION,
    MINIMUM_EDUCATION_BORN_FROM,
    PROBATION_ADMITTED,
    SEED,
    TRANSFER_PERIOD,
    ExemptionPlan,
    MemberPlan,
    PeoplePlanner,
    PersonPlan,
    Plan,
    age_on,
    plan_people,
    random_day,
    years_after,
)
from demo.province.population import COMMUNITIES, WORKS, Community, Work, ethnic_code, make_name, pick
from demo.province.report import Login, SeedReport
from demo.province.seed import seed_demo

__all__ = [
    "AUTHORITIES",
    "BIRTH_PROVINCE",
    "BUSINESS_BLOC",
    "CANDIDATE_TITLE",
    "CHU_VAN_AN",
    "COMMUNITIES",
    "DISSOLUTIONS",
    "DONG_MO",
    "EXEMPTED_FROM",
    "HOANH_MO",
    "HOANH_MO_HEALTH",
    "HONG_GAI",
    "HONG_GAI_PEOPLES_COMMITTEE",
    "HONG_GAI_ZONE_5",
    "HONG_GAI_ZONE_7",
    "INDUSTRIAL_PARK",
    "LAST_OFFICIAL_ADMISSION",
    "LOGINS",
    "LY_THUONG_KIET",
    "MINIMUM_EDUCATION_BORN_FROM",
    "MODEL_2026_FROM",
    "NA_SA",
    "ORGS",
    "PARTIAL_DISSOLVED_ON",
    "PASSWORD",
    "PORT_COMPANY",
    "PORT_HANDLING",
    "PORT_OPERATIONS",
    "PROBATION_ADMITTED",
    "PROVINCE",
    "PROVINCE_FOUNDED",
    "QUANG_HA",
    "QUANG_PHONG",
    "QUANG_PHONG_1",
    "QUANG_PHONG_2",
    "REFORM_DAY",
    "ROLES_FROM",
    "ROLE_TITLES",
    "SCHOOL",
    "SCHOOL_HUMANITIES",
    "SCHOOL_SCIENCE",
    "SEED",
    "SUB_COMMITTEE_FOUNDED",
    "TEXTILE_COMPANY",
    "TIMBER_COMPANY",
    "TRANSFER_PERIOD",
    "WORKS",
    "AuthoritySpec",
    "Community",
    "Dissolution",
    "ExemptionPlan",
    "Login",
    "LoginSpec",
    "MemberPlan",
    "OrgSpec",
    "PeoplePlanner",
    "PersonPlan",
    "Plan",
    "Roster",
    "SeedReport",
    "Work",
    "age_on",
    "build_authorities",
    "build_dissolutions",
    "build_exemption",
    "build_login",
    "build_orgs",
    "build_people",
    "build_rosters",
    "build_user",
    "ethnic_code",
    "make_name",
    "pick",
    "plan_people",
    "random_day",
    "seed_demo",
    "years_after",
]
