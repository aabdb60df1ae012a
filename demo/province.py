"""Demo data: a believable slice of Quảng Ninh after the 2025 reform, and the builders that write it.

Everything the demo shows is plain data at the top of this module; the builders below turn it into rows through
the services (`org_create`, `org_move`, `org_dissolve`, `authority_grant`, `role_assign`) so that paths, dated
parent links and guardian permissions are the real thing. `manage.py seed_demo` calls `seed_demo()`.

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
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Final, TypeVar

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from admission.party.models.orgs import DecidingBody, OrgKind, PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption, Membership, Person
from admission.party.models.roles import Role, RoleKind
from admission.party.models.users import User
from admission.party.services.orgs import authority_grant, org_create, org_dissolve, org_move
from admission.party.services.roles import role_assign
from admission.rules import reference

T = TypeVar("T")

SEED: Final = 2025
PASSWORD: Final = "demo12345"
BIRTH_PROVINCE: Final = "022"  # Quảng Ninh, first three digits of the citizen ID

PROVINCE_FOUNDED: Final = date(1963, 10, 30)
REFORM_DAY: Final = date(2025, 7, 1)  # district level abolished, commune committees founded
MODEL_2026_FROM: Final = date(2026, 7, 26)  # reported 208-QĐ/TW
SUB_COMMITTEE_FOUNDED: Final = date(2026, 8, 15)
PARTIAL_DISSOLVED_ON: Final = date(2026, 10, 1)  # first day without the partial committee
ROLES_FROM: Final = REFORM_DAY

# ---------------------------------------------------------------------------------------------------------------
# Organisations. Codes: province.commune.grassroots.sub.cell; the commune segment is the last three digits of the
# 2025 commune code (Hoành Mô 06841, Quảng Hà 06922, Hồng Gai 06685).
# ---------------------------------------------------------------------------------------------------------------

PROVINCE: Final = "22"
HOANH_MO: Final = "22.841.000.000.000"
NA_SA: Final = "22.841.000.000.001"
DONG_MO: Final = "22.841.000.000.002"
HOANH_MO_HEALTH: Final = "22.841.000.000.003"
SCHOOL: Final = "22.841.001.000.000"
SCHOOL_SCIENCE: Final = "22.841.001.000.001"
SCHOOL_HUMANITIES: Final = "22.841.001.000.002"

QUANG_HA: Final = "22.922.000.000.000"
LY_THUONG_KIET: Final = "22.922.000.000.001"
CHU_VAN_AN: Final = "22.922.000.000.002"
QUANG_PHONG: Final = "22.922.000.001.000"  # partial committee, dissolved on 1/10/2026
QUANG_PHONG_1: Final = "22.922.000.001.001"
QUANG_PHONG_2: Final = "22.922.000.001.002"
BUSINESS_BLOC: Final = "22.922.000.002.000"  # sub-grassroots committee (2026)
TIMBER_COMPANY: Final = "22.922.000.002.001"
INDUSTRIAL_PARK: Final = "22.922.001.000.000"  # authorised to admit
TEXTILE_COMPANY: Final = "22.922.001.000.001"
PORT_COMPANY: Final = "22.922.001.001.000"  # partial committee under the industrial park
PORT_OPERATIONS: Final = "22.922.001.001.001"
PORT_HANDLING: Final = "22.922.001.001.002"

HONG_GAI: Final = "22.685.000.000.000"
HONG_GAI_ZONE_5: Final = "22.685.000.000.001"
HONG_GAI_ZONE_7: Final = "22.685.000.000.002"
HONG_GAI_PEOPLES_COMMITTEE: Final = "22.685.000.000.003"


@dataclass(frozen=True)
class Community:
    """Who lives there: ethnic mix (names of reference.ETHNIC_GROUPS, weights), share of Catholics, home unit."""

    ethnicity: tuple[tuple[str, int], ...]
    catholic_rate: float
    home: str


@dataclass(frozen=True)
class Work:
    """What the members of a cell do; `residential` cells also hold pensioners and the village head."""

    occupations: tuple[tuple[str, int], ...]
    education: tuple[tuple[str, int], ...]
    professional: tuple[tuple[str, int], ...]
    sector: str | None  # None: derived from the occupation (residential cells)
    born: tuple[int, int]  # birth years of official members
    women: float = 0.4  # share of women (national 37–41 %, B.8 default 42 %)
    residential: bool = False
    trade_union: bool = False


@dataclass(frozen=True)
class Roster:
    community: str
    work: str
    size: tuple[int, int]
    residence: str
    workplace: str = ""
    exemptions: bool = False  # one exempted elder and one member temporarily transferred elsewhere


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    founded: date
    place_name: str
    roster: Roster | None = None


COMMUNITIES: Final[dict[str, Community]] = {
    # Old Bình Liêu district, 2018: Tày 51 %, Dao 28 %, Sán Chay 15 %, Kinh 5 %, Hoa 0,4 % (B.5).
    "highland": Community(
        (("Tày", 51), ("Dao", 28), ("Sán Chay", 15), ("Kinh", 5), ("Hoa", 1)), 0.0, "xã Hoành Mô, tỉnh Quảng Ninh"
    ),
    # Teachers and health workers of a highland commune come partly from the lowlands.
    "highland_staff": Community(
        (("Kinh", 40), ("Tày", 32), ("Dao", 15), ("Sán Chay", 11), ("Hoa", 2)), 0.0, "xã Hoành Mô, tỉnh Quảng Ninh"
    ),
    # Former thị trấn Quảng Hà: Kinh well over 75 %, minorities from the surrounding communes.
    "lowland_town": Community(
        (("Kinh", 82), ("Tày", 7), ("Dao", 4), ("Sán Dìu", 3), ("Sán Chay", 2), ("Hoa", 1), ("Nùng", 1)),
        0.04,
        "xã Quảng Hà, tỉnh Quảng Ninh",
    ),
    # Former xã Quảng Phong, where the Tày of old Hải Hà district concentrate.
    "quang_phong": Community(
        (("Kinh", 55), ("Tày", 30), ("Dao", 8), ("Sán Chay", 4), ("Sán Dìu", 3)), 0.01, "xã Quảng Hà, tỉnh Quảng Ninh"
    ),
    "industrial": Community(
        (("Kinh", 85), ("Tày", 6), ("Dao", 3), ("Sán Dìu", 3), ("Nùng", 2), ("Mường", 1)),
        0.02,
        "xã Quảng Hà, tỉnh Quảng Ninh",
    ),
    # Urban wards of former Hạ Long city: at least 95 % Kinh.
    "urban": Community(
        (("Kinh", 970), ("Hoa", 15), ("Tày", 10), ("Sán Dìu", 5)), 0.04, "phường Hồng Gai, tỉnh Quảng Ninh"
    ),
}

WORKS: Final[dict[str, Work]] = {
    "village": Work(
        occupations=(("agriculture", 70), ("other", 15), ("commune_official", 8), ("public_service_employee", 7)),
        education=(("primary", 15), ("lower_secondary", 45), ("upper_secondary", 40)),
        professional=(("none", 60), ("elementary", 15), ("intermediate", 15), ("college", 5), ("university", 5)),
        sector=None,
        born=(1955, 2001),
        women=0.35,
        residential=True,
    ),
    "neighbourhood": Work(
        occupations=(
            ("other", 40),
            ("public_service_employee", 14),
            ("enterprise_worker", 12),
            ("enterprise_office_staff", 9),
            ("state_official", 9),
            ("commune_official", 6),
            ("agriculture", 10),
        ),
        education=(("lower_secondary", 12), ("upper_secondary", 88)),
        professional=(("none", 20), ("elementary", 10), ("intermediate", 20), ("college", 10), ("university", 40)),
        sector=None,
        born=(1955, 2001),
        residential=True,
    ),
    "school": Work(
        occupations=(("public_service_employee", 1),),
        education=(("upper_secondary", 1),),
        professional=(("college", 5), ("university", 80), ("master", 15)),
        sector="public_service_unit",
        born=(1968, 2001),
        women=0.6,
        trade_union=True,
    ),
    "health": Work(
        occupations=(("public_service_employee", 1),),
        education=(("upper_secondary", 1),),
        professional=(("intermediate", 35), ("college", 30), ("university", 30), ("master", 5)),
        sector="public_service_unit",
        born=(1968, 2001),
        women=0.6,
        trade_union=True,
    ),
    "company": Work(
        occupations=(("enterprise_worker", 60), ("enterprise_office_staff", 28), ("enterprise_manager", 12)),
        education=(("lower_secondary", 15), ("upper_secondary", 85)),
        professional=(("none", 5), ("elementary", 25), ("intermediate", 25), ("college", 15), ("university", 30)),
        sector="private_enterprise",
        born=(1970, 2001),
        trade_union=True,
    ),
    "agency": Work(
        occupations=(("commune_official", 1),),
        education=(("upper_secondary", 1),),
        professional=(("college", 5), ("university", 80), ("master", 15)),
        sector="state_agency",
        born=(1968, 2000),
        trade_union=True,
    ),
}

_PROVINCE_NAME = "Đảng bộ tỉnh Quảng Ninh"
_SCHOOL_NAME = "Trường THPT Hoành Mô"
_PARK_NAME = "Khu công nghiệp cảng biển Hải Hà"
_TEXTILE = "Công ty TNHH Dệt may Quảng Hà"
_PORT = "Công ty Cổ phần Cảng biển Hải Đăng Xanh"
_TIMBER = "Công ty TNHH Chế biến lâm sản Đồng Xanh"

ORGS: Final[tuple[OrgSpec, ...]] = (
    OrgSpec(PROVINCE, _PROVINCE_NAME, OrgKind.PROVINCE_COMMITTEE, None, PROVINCE_FOUNDED, "Quảng Ninh"),
    # xã Hoành Mô: highland border commune, 2025 model.
    OrgSpec(HOANH_MO, "Đảng bộ xã Hoành Mô", OrgKind.COMMUNE_COMMITTEE, PROVINCE, REFORM_DAY, "Hoành Mô"),
    OrgSpec(
        NA_SA,
        "Chi bộ thôn Nà Sa",
        OrgKind.GRASSROOTS_CELL,
        HOANH_MO,
        REFORM_DAY,
        "Hoành Mô",
        Roster("highland", "village", (16, 22), "thôn Nà Sa, xã Hoành Mô, tỉnh Quảng Ninh", exemptions=True),
    ),
    OrgSpec(
        DONG_MO,
        "Chi bộ thôn Đồng Mô",
        OrgKind.GRASSROOTS_CELL,
        HOANH_MO,
        REFORM_DAY,
        "Hoành Mô",
        Roster("highland", "village", (12, 18), "thôn Đồng Mô, xã Hoành Mô, tỉnh Quảng Ninh"),
    ),
    OrgSpec(
        HOANH_MO_HEALTH,
        "Chi bộ Trạm Y tế xã Hoành Mô",
        OrgKind.GRASSROOTS_CELL,
        HOANH_MO,
        REFORM_DAY,
        "Hoành Mô",
        Roster("highland_staff", "health", (8, 10), "xã Hoành Mô, tỉnh Quảng Ninh", "Trạm Y tế xã Hoành Mô"),
    ),
    OrgSpec(SCHOOL, f"Đảng bộ {_SCHOOL_NAME}", OrgKind.GRASSROOTS_COMMITTEE, HOANH_MO, REFORM_DAY, "Hoành Mô"),
    OrgSpec(
        SCHOOL_SCIENCE,
        "Chi bộ Tổ Khoa học tự nhiên",
        OrgKind.CELL,
        SCHOOL,
        REFORM_DAY,
        "Hoành Mô",
        Roster("highland_staff", "school", (9, 13), "xã Hoành Mô, tỉnh Quảng Ninh", _SCHOOL_NAME),
    ),
    OrgSpec(
        SCHOOL_HUMANITIES,
        "Chi bộ Tổ Khoa học xã hội",
        OrgKind.CELL,
        SCHOOL,
        REFORM_DAY,
        "Hoành Mô",
        Roster("highland_staff", "school", (8, 12), "xã Hoành Mô, tỉnh Quảng Ninh", _SCHOOL_NAME),
    ),
    # xã Quảng Hà: lowland commune with the seaport industrial park; 2026 model from 26/7/2026.
    OrgSpec(QUANG_HA, "Đảng bộ xã Quảng Hà", OrgKind.COMMUNE_COMMITTEE, PROVINCE, REFORM_DAY, "Quảng Hà"),
    OrgSpec(
        LY_THUONG_KIET,
        "Chi bộ khu phố Lý Thường Kiệt",
        OrgKind.GRASSROOTS_CELL,
        QUANG_HA,
        REFORM_DAY,
        "Quảng Hà",
        Roster("lowland_town", "neighbourhood", (18, 25), "khu phố Lý Thường Kiệt, xã Quảng Hà, tỉnh Quảng Ninh"),
    ),
    OrgSpec(
        CHU_VAN_AN,
        "Chi bộ khu phố Chu Văn An",
        OrgKind.GRASSROOTS_CELL,
        QUANG_HA,
        REFORM_DAY,
        "Quảng Hà",
        Roster("lowland_town", "neighbourhood", (14, 20), "khu phố Chu Văn An, xã Quảng Hà, tỉnh Quảng Ninh"),
    ),
    OrgSpec(
        QUANG_PHONG,
        "Đảng bộ bộ phận khu vực Quảng Phong",
        OrgKind.PARTIAL_COMMITTEE,
        QUANG_HA,
        REFORM_DAY,
        "Quảng Hà",
    ),
    OrgSpec(
        QUANG_PHONG_1,
        "Chi bộ thôn 1 Quảng Phong",
        OrgKind.CELL,
        QUANG_PHONG,
        REFORM_DAY,
        "Quảng Hà",
        Roster("quang_phong", "village", (10, 16), "thôn 1 Quảng Phong, xã Quảng Hà, tỉnh Quảng Ninh"),
    ),
    OrgSpec(
        QUANG_PHONG_2,
        "Chi bộ thôn 2 Quảng Phong",
        OrgKind.CELL,
        QUANG_PHONG,
        REFORM_DAY,
        "Quảng Hà",
        Roster("quang_phong", "village", (10, 16), "thôn 2 Quảng Phong, xã Quảng Hà, tỉnh Quảng Ninh"),
    ),
    OrgSpec(
        BUSINESS_BLOC,
        "Đảng bộ Khối doanh nghiệp xã Quảng Hà",
        OrgKind.SUB_GRASSROOTS_COMMITTEE,
        QUANG_HA,
        SUB_COMMITTEE_FOUNDED,
        "Quảng Hà",
    ),
    OrgSpec(
        TIMBER_COMPANY,
        f"Chi bộ {_TIMBER}",
        OrgKind.CELL,
        BUSINESS_BLOC,
        SUB_COMMITTEE_FOUNDED,
        "Quảng Hà",
        Roster("industrial", "company", (8, 12), "xã Quảng Hà, tỉnh Quảng Ninh", _TIMBER),
    ),
    OrgSpec(INDUSTRIAL_PARK, f"Đảng bộ {_PARK_NAME}", OrgKind.GRASSROOTS_COMMITTEE, QUANG_HA, REFORM_DAY, "Quảng Hà"),
    OrgSpec(
        TEXTILE_COMPANY,
        f"Chi bộ {_TEXTILE}",
        OrgKind.CELL,
        INDUSTRIAL_PARK,
        REFORM_DAY,
        "Quảng Hà",
        Roster("industrial", "company", (15, 24), "xã Quảng Hà, tỉnh Quảng Ninh", _TEXTILE),
    ),
    OrgSpec(
        PORT_COMPANY, f"Đảng bộ bộ phận {_PORT}", OrgKind.PARTIAL_COMMITTEE, INDUSTRIAL_PARK, REFORM_DAY, "Quảng Hà"
    ),
    OrgSpec(
        PORT_OPERATIONS,
        "Chi bộ Phòng Khai thác cảng",
        OrgKind.CELL,
        PORT_COMPANY,
        REFORM_DAY,
        "Quảng Hà",
        Roster("industrial", "company", (9, 14), "xã Quảng Hà, tỉnh Quảng Ninh", _PORT),
    ),
    OrgSpec(
        PORT_HANDLING,
        "Chi bộ Đội Xếp dỡ cơ giới",
        OrgKind.CELL,
        PORT_COMPANY,
        REFORM_DAY,
        "Quảng Hà",
        Roster("industrial", "company", (10, 16), "xã Quảng Hà, tỉnh Quảng Ninh", _PORT),
    ),
    # phường Hồng Gai: urban ward of former Hạ Long city, 2025 model.
    OrgSpec(HONG_GAI, "Đảng bộ phường Hồng Gai", OrgKind.COMMUNE_COMMITTEE, PROVINCE, REFORM_DAY, "Hồng Gai"),
    OrgSpec(
        HONG_GAI_ZONE_5,
        "Chi bộ khu 5",
        OrgKind.GRASSROOTS_CELL,
        HONG_GAI,
        REFORM_DAY,
        "Hồng Gai",
        Roster("urban", "neighbourhood", (18, 25), "khu 5, phường Hồng Gai, tỉnh Quảng Ninh", exemptions=True),
    ),
    OrgSpec(
        HONG_GAI_ZONE_7,
        "Chi bộ khu 7",
        OrgKind.GRASSROOTS_CELL,
        HONG_GAI,
        REFORM_DAY,
        "Hồng Gai",
        Roster("urban", "neighbourhood", (15, 22), "khu 7, phường Hồng Gai, tỉnh Quảng Ninh"),
    ),
    OrgSpec(
        HONG_GAI_PEOPLES_COMMITTEE,
        "Chi bộ Cơ quan Ủy ban nhân dân phường Hồng Gai",
        OrgKind.GRASSROOTS_CELL,
        HONG_GAI,
        REFORM_DAY,
        "Hồng Gai",
        Roster(
            "urban",
            "agency",
            (10, 15),
            "phường Hồng Gai, tỉnh Quảng Ninh",
            "Ủy ban nhân dân phường Hồng Gai",
        ),
    ),
)


@dataclass(frozen=True)
class Dissolution:
    """An org closed on `on` after its cells moved up to `successor` (domain.md §1.3, the 2026 practice)."""

    org: str
    on: date
    successor: str
    reason: str


DISSOLUTIONS: Final[tuple[Dissolution, ...]] = (
    Dissolution(
        QUANG_PHONG,
        PARTIAL_DISSOLVED_ON,
        QUANG_HA,
        "Giải thể Đảng bộ bộ phận khu vực Quảng Phong; chi bộ trực thuộc Đảng ủy xã Quảng Hà",
    ),
)


@dataclass(frozen=True)
class AuthoritySpec:
    org: str
    deciding_body: str
    valid_from: date
    granted_by: str | None
    decision_number: str
    decision_date: date | None
    note: str


AUTHORITIES: Final[tuple[AuthoritySpec, ...]] = (
    AuthoritySpec(
        INDUSTRIAL_PARK,
        DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
        date(2025, 9, 10),
        QUANG_HA,
        "125-QĐ/ĐU",
        date(2025, 9, 10),
        "Đảng ủy xã Quảng Hà ủy quyền cho Đảng ủy Khu công nghiệp cảng biển Hải Hà kết nạp đảng viên (số liệu mẫu).",
    ),
    AuthoritySpec(
        QUANG_HA,
        DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026,
        MODEL_2026_FROM,
        PROVINCE,
        "208-QĐ/TW",
        MODEL_2026_FROM,
        "Tỉnh ủy áp dụng mô hình 2026 cho xã Quảng Hà: Ban Thường vụ Đảng ủy xã (đảng bộ cơ sở) quyết định kết nạp. "
        "Cần kiểm chứng (to verify): số, ngày của 208-QĐ/TW và văn bản của Tỉnh ủy.",
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Logins. Members of a cell are linked to a roster seat (0 = secretary, 1 = deputy, 2 = committee member); the
# others get an invented name (họ và đệm, tên). Django's first_name/last_name hold "họ và đệm"/"tên" so that
# get_full_name() reads in Vietnamese order.
# ---------------------------------------------------------------------------------------------------------------

ROLE_TITLES: Final[dict[str, str]] = {
    RoleKind.CELL_SECRETARY: "Bí thư chi bộ",
    RoleKind.CELL_DEPUTY_SECRETARY: "Phó Bí thư chi bộ",
    RoleKind.CELL_COMMITTEE_MEMBER: "Chi ủy viên",
    RoleKind.COMMITTEE_MEMBER: "Đảng ủy viên",
    RoleKind.STANDING_COMMITTEE_MEMBER: "Ủy viên Ban Thường vụ",
    RoleKind.ORG_BOARD_OFFICER: "Cán bộ Ban Tổ chức",
    RoleKind.TRAINING_OFFICER: "Cán bộ đào tạo, bồi dưỡng",
    RoleKind.ADMINISTRATOR: "Quản trị hệ thống",
}
CANDIDATE_TITLE: Final = "Quần chúng xin vào Đảng (không có vai trò)"


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: str | None  # RoleKind; None for the candidate
    org: str | None
    seat: tuple[str, int] | None = None  # (cell code, roster seat) of the member this login belongs to
    name: tuple[str, str] = ("", "")
    is_staff: bool = False


LOGINS: Final[tuple[LoginSpec, ...]] = (
    LoginSpec("bithu.nasa", RoleKind.CELL_SECRETARY, NA_SA, seat=(NA_SA, 0)),
    LoginSpec("phobithu.nasa", RoleKind.CELL_DEPUTY_SECRETARY, NA_SA, seat=(NA_SA, 1)),
    LoginSpec("chiuy.nasa", RoleKind.CELL_COMMITTEE_MEMBER, NA_SA, seat=(NA_SA, 2)),
    LoginSpec("bithu.khaithac", RoleKind.CELL_SECRETARY, PORT_OPERATIONS, seat=(PORT_OPERATIONS, 0)),
    LoginSpec("danguy.truong", RoleKind.COMMITTEE_MEMBER, SCHOOL, seat=(SCHOOL_SCIENCE, 0)),
    LoginSpec("bithu.khtn", RoleKind.CELL_SECRETARY, SCHOOL_SCIENCE, seat=(SCHOOL_SCIENCE, 1)),
    LoginSpec("dangbo.cang", RoleKind.COMMITTEE_MEMBER, PORT_COMPANY, seat=(PORT_HANDLING, 0)),
    LoginSpec("danguy.khucn", RoleKind.COMMITTEE_MEMBER, INDUSTRIAL_PARK, seat=(TEXTILE_COMPANY, 0)),
    LoginSpec("bithu.detmay", RoleKind.CELL_SECRETARY, TEXTILE_COMPANY, seat=(TEXTILE_COMPANY, 1)),
    LoginSpec("danguy.khoidn", RoleKind.COMMITTEE_MEMBER, BUSINESS_BLOC, seat=(TIMBER_COMPANY, 0)),
    LoginSpec("bithu.lamsan", RoleKind.CELL_SECRETARY, TIMBER_COMPANY, seat=(TIMBER_COMPANY, 1)),
    LoginSpec("bithu.lykiet", RoleKind.CELL_SECRETARY, LY_THUONG_KIET, seat=(LY_THUONG_KIET, 0)),
    LoginSpec("btv.hoanhmo", RoleKind.STANDING_COMMITTEE_MEMBER, HOANH_MO, name=("Lục Văn", "Thắng")),
    LoginSpec("btv.quangha", RoleKind.STANDING_COMMITTEE_MEMBER, QUANG_HA, name=("Phạm Thị Thu", "Hằng")),
    LoginSpec("tochuc.hoanhmo", RoleKind.ORG_BOARD_OFFICER, HOANH_MO, name=("Vi Thị", "Hồng")),
    LoginSpec("daotao.tinh", RoleKind.TRAINING_OFFICER, PROVINCE, name=("Đỗ Minh", "Tuấn")),
    LoginSpec("quantri", RoleKind.ADMINISTRATOR, PROVINCE, name=("Trần Quang", "Huy"), is_staff=True),
    LoginSpec("ungvien.nasa", None, None),
)

# ---------------------------------------------------------------------------------------------------------------
# Names (B.4). Weights are rough shares in tenths of a percent for the north.
# ---------------------------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_KINH_SURNAMES: Final = (
    ("Nguyễn", 384),
    ("Trần", 85),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 51),
    ("Vũ", 39),
    ("Đỗ", 25),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Phan", 16),
    ("Ngô", 13),
    ("Hồ", 10),
    ("Dương", 10),
    ("Lý", 5),
    *((name, 5) for name in ("Đinh", "Trịnh", "Trương", "Mai", "Đào", "Đoàn", "Lương", "Cao", "Hà", "Lưu")),
    *((name, 3) for name in ("Phùng", "Tạ", "Vương", "Tô", "Chu", "Đàm", "Lục", "Triệu", "Nông", "Bế", "Vi")),
)
_MINORITY_SURNAMES: Final[dict[str, tuple[str, ...]]] = {
    "Tày": ("Hoàng", "Nông", "Lục", "Vi", "Hà", "Lý", "La", "Đàm", "Nịnh", "Chu", "Lương", "Dương"),
    "Dao": ("Bàn", "Triệu", "Đặng", "Lý", "Phùn", "Chìu", "Tằng", "Lỷ", "Sầm"),
    "Sán Chay": ("Chíu", "Lỷ", "Tằng", "Voòng", "Sằn", "Dìu", "Hà"),
    "Sán Dìu": ("Diệp", "Lương", "Trương", "Lâm", "Tô", "Đỗ"),
    "Hoa": ("Lưu", "Trương", "Lý", "Quan", "Mạc", "Hoàng"),
    "Nùng": ("Hoàng", "Nông", "Lương", "Vi", "Lăng"),
    "Mường": ("Đinh", "Bùi", "Quách", "Hà"),
}
_MALE_MIDDLE: Final = _words("Đức Minh Quang Hữu Xuân Ngọc Thanh Mạnh Quốc Trung Thế Duy Hoàng Tiến")
_FEMALE_MIDDLE: Final = _words("Thu Thanh Phương Minh Hồng Thúy Kim Lan Hải Khánh Bảo Ngọc")


_MALE_GIVEN_YOUNG: Final = _words(
    "Tuấn Hoàng Huy Anh Hiếu Hùng Nam Sơn Đức Dũng Thành Đạt Cường Long Trung Hải Nguyên Thắng Minh Duy Tiến Quang "
    "Phúc Trường Tài Toàn Hưng Phong Tùng Linh Khánh Bảo Quân Dương Nghĩa Lâm Vinh Bình Mạnh Việt Thịnh Hòa Tâm "
    "Hiệp Tân Phú Kiên Chiến Trọng Quyết"
)
_FEMALE_GIVEN_YOUNG: Final = _words(
    "Trang Thảo Linh Anh Phương Hằng Huyền Hà Hiền Hương Ngọc Dung Nhung Thủy Nhi Duyên Vân Quỳnh Nga Yến Trinh "
    "Thương Uyên Hạnh Ngân Oanh Trâm Ly Mai Phượng Thúy Hoa Vy Hồng Tâm Thu My Giang Loan Thanh Ánh Lan Chi Thư "
    "Huệ Nguyệt Tuyết Liên Xuân Hậu"
)
_MALE_GIVEN_OLDER: Final = _words(
    "Bình Lợi Thắng Hùng Chiến Sơn Hải Tuấn Thanh Hòa Dũng Cường Long Trung Minh Quang Tiến Hưng Phong Vinh"
)
_FEMALE_GIVEN_OLDER: Final = _words(
    "Lan Hoa Hương Hằng Thủy Nga Hồng Mai Hạnh Liên Tuyết Huệ Thu Dung Nhung Yến Oanh Loan Xuân Hà"
)
_OTHER_HOMES: Final = (
    "phường Hồng Gai, tỉnh Quảng Ninh",
    "phường Cẩm Phả, tỉnh Quảng Ninh",
    "xã Tiên Yên, tỉnh Quảng Ninh",
    "xã Đầm Hà, tỉnh Quảng Ninh",
    "xã Bình Liêu, tỉnh Quảng Ninh",
    "phường Móng Cái 1, tỉnh Quảng Ninh",
    "phường Uông Bí, tỉnh Quảng Ninh",
)
_SECTOR_OF_OCCUPATION: Final[dict[str, str]] = {
    "agriculture": "village",
    "village_part_time": "village",
    "other": "village",
    "commune_official": "state_agency",
    "state_official": "state_agency",
    "public_service_employee": "public_service_unit",
    "enterprise_worker": "private_enterprise",
    "enterprise_office_staff": "private_enterprise",
    "enterprise_manager": "private_enterprise",
}
_ETHNIC_CODE: Final[dict[str, str]] = {name: code for code, name in reference.ETHNIC_GROUPS}

PROBATION_ADMITTED: Final = (date(2025, 12, 1), date(2026, 9, 30))
LAST_OFFICIAL_ADMISSION: Final = date(2024, 6, 30)
EXEMPTED_FROM: Final = date(2025, 9, 1)
TRANSFER_PERIOD: Final = (date(2026, 3, 1), date(2027, 3, 1))
# Members admitted in the last decades have at least lower secondary education (domain.md §2.2); only the oldest
# members may have less.
MINIMUM_EDUCATION_BORN_FROM: Final = 1970


def ethnic_code(name: str) -> str:
    """The code of reference.ETHNIC_GROUPS for a group's name, e.g. "Tày" → "02"."""
    return _ETHNIC_CODE[name]


# ---------------------------------------------------------------------------------------------------------------
# Planning: pure functions of the seeded random generator, independent of what the database already holds.
# ---------------------------------------------------------------------------------------------------------------


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


def pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    return rng.choices([value for value, _w in weighted], weights=[w for _v, w in weighted])[0]


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def make_name(rng: random.Random, *, ethnic: str, sex: str, born: int) -> str:
    """Họ + đệm (+ đệm 2) + tên (B.4): "Văn"/"Thị" more often for older people and minorities."""
    surnames = _MINORITY_SURNAMES.get(ethnic)
    surname = rng.choice(surnames) if surnames else pick(rng, _KINH_SURNAMES)
    traditional = born < 1990 or ethnic != "Kinh"
    if sex == "male":
        middle = ["Văn"] if rng.random() < (0.6 if traditional else 0.15) else [rng.choice(_MALE_MIDDLE)]
        given_pool = _MALE_GIVEN_OLDER if born < 1985 else _MALE_GIVEN_YOUNG
    else:
        # Four-word women's names are "Thị + second middle" (Nguyễn Thị Thu Hà), more often among the young.
        if rng.random() < (0.8 if traditional else 0.45):
            middle = ["Thị"] + ([rng.choice(_FEMALE_MIDDLE)] if rng.random() < (0.25 if traditional else 0.5) else [])
        else:
            middle = [rng.choice(_FEMALE_MIDDLE)]
        given_pool = _FEMALE_GIVEN_OLDER if born < 1985 else _FEMALE_GIVEN_YOUNG
    middle = [part for part in middle if part != surname] or ["Văn" if sex == "male" else "Thị"]
    given = rng.choice([name for name in given_pool if name not in middle])
    return reference.normalise_name(" ".join([surname, *middle, given]))


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


# ---------------------------------------------------------------------------------------------------------------
# Builders: look everything up by its natural key first, so that a second run changes nothing.
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    org: str | None
    org_code: str | None


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    logins: list[Login] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def build_orgs(report: SeedReport) -> dict[str, PartyOrg]:
    orgs: dict[str, PartyOrg] = {}
    for spec in ORGS:
        org = PartyOrg.objects.filter(code=spec.code).first()
        if org is None:
            org = org_create(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=orgs[spec.parent] if spec.parent else None,
                valid_from=spec.founded,
                place_name=spec.place_name,
            )
            report.created["orgs"] += 1
        orgs[spec.code] = org
    return orgs


def build_authorities(orgs: dict[str, PartyOrg], report: SeedReport) -> None:
    for spec in AUTHORITIES:
        org = orgs[spec.org]
        if org.authorities.filter(deciding_body=spec.deciding_body, valid_from=spec.valid_from).exists():
            continue
        authority_grant(
            org=org,
            deciding_body=spec.deciding_body,
            valid_from=spec.valid_from,
            granted_by=orgs[spec.granted_by] if spec.granted_by else None,
            decision_number=spec.decision_number,
            decision_date=spec.decision_date,
            note=spec.note,
        )
        report.created["authorities"] += 1


def build_dissolutions(orgs: dict[str, PartyOrg], report: SeedReport) -> None:
    for spec in DISSOLUTIONS:
        org, successor = orgs[spec.org], orgs[spec.successor]
        for child in PartyOrg.objects.filter(parent=org, valid_to__isnull=True):
            org_move(org=child, new_parent=successor, on=spec.on, reason=spec.reason)
            report.created["moves"] += 1
        org.refresh_from_db()
        if org.valid_to is None:
            orgs[spec.org] = org_dissolve(org=org, on=spec.on, merged_into=successor)
            report.created["dissolutions"] += 1
    for code, org in orgs.items():  # paths changed under the moved cells
        orgs[code] = PartyOrg.objects.get(pk=org.pk)


def build_people(plans: Sequence[PersonPlan], report: SeedReport) -> dict[str, Person]:
    """The people of `plans` by citizen ID, creating the missing ones in bulk (with their history rows)."""
    ids = [plan.citizen_id for plan in plans]
    found = {person.citizen_id: person for person in Person.objects.filter(citizen_id__in=ids)}
    new = [Person(**vars(plan)) for plan in plans if plan.citizen_id not in found]
    for person in new:
        # Uniqueness was settled by the lookup above; Person.clean checks the ID against birth date and sex.
        person.full_clean(validate_unique=False, validate_constraints=False)
    if new:
        bulk_create_with_history(new, Person)
        report.created["people"] += len(new)
        found |= {person.citizen_id: person for person in Person.objects.filter(citizen_id__in=ids)}
    return found


def build_rosters(orgs: dict[str, PartyOrg], plan: Plan, report: SeedReport) -> dict[str, list[Person]]:
    """Every cell's members (Person + Membership + exemptions); returns each cell's people in roster order."""
    seats = [(orgs[code], member) for code, roster in plan.rosters.items() for member in roster]
    people = build_people([member.person for _cell, member in seats], report)

    def key(cell: PartyOrg, member: MemberPlan) -> tuple[int, int]:
        return people[member.person.citizen_id].pk, cell.pk

    def existing() -> dict[tuple[int, int], Membership]:
        rows = Membership.objects.filter(person__in=list(people.values()))
        return {(row.person_id, row.cell_id): row for row in rows}

    memberships = existing()
    new: list[Membership] = []
    for cell, member in seats:
        if key(cell, member) in memberships:
            continue
        row = Membership(
            person=people[member.person.citizen_id],
            cell=cell,
            admitted_on=member.admitted_on,
            official_on=member.official_on,
            joined_cell_on=member.joined_cell_on,
        )
        row.full_clean(exclude=["person", "cell"], validate_unique=False, validate_constraints=False)
        new.append(row)
    if new:
        bulk_create_with_history(new, Membership)
        report.created["memberships"] += len(new)
        memberships = existing()
    for cell, member in seats:
        if member.exemption is not None:
            build_exemption(memberships[key(cell, member)], member.exemption, report)
    return {code: [people[member.person.citizen_id] for member in roster] for code, roster in plan.rosters.items()}


def build_exemption(membership: Membership, plan: ExemptionPlan, report: SeedReport) -> None:
    if membership.exemptions.filter(kind=plan.kind, starts_on=plan.starts_on).exists():
        return
    row = MemberExemption(membership=membership, **vars(plan))
    row.full_clean()
    row.save()
    report.created["exemptions"] += 1


def build_user(spec: LoginSpec, person: Person | None, report: SeedReport) -> User:
    """The login, named after the person it belongs to; the password is set only when the login is created."""
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        first, last = spec.name
        if person is not None:
            first, _space, last = person.full_name.rpartition(" ")  # họ và đệm, tên
        user = User(username=spec.username, first_name=first, last_name=last, is_staff=spec.is_staff)
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
        report.created["users"] += 1
    if person is not None and person.user_id is None and not Person.objects.filter(user=user).exists():
        person.user = user
        person.save(update_fields=["user"])
        report.created["person_links"] += 1
    return user


def build_login(
    spec: LoginSpec, orgs: dict[str, PartyOrg], people: dict[str, list[Person]], candidate: Person, report: SeedReport
) -> Login:
    if spec.role is None or spec.org is None:
        build_user(spec, candidate, report)
        return Login(spec.username, PASSWORD, CANDIDATE_TITLE, None, None)
    user = build_user(spec, people[spec.seat[0]][spec.seat[1]] if spec.seat else None, report)
    org = orgs[spec.org]
    starts_on = max(ROLES_FROM, org.valid_from or ROLES_FROM)  # a role in an org founded later starts with it
    if not Role.objects.filter(user=user, org=org, kind=spec.role, starts_on=starts_on).exists():
        role_assign(user=user, org=org, kind=spec.role, starts_on=starts_on)
        report.created["roles"] += 1
    return Login(spec.username, PASSWORD, ROLE_TITLES[spec.role], org.name, org.code)


def seed_demo() -> SeedReport:
    """Build (or find) the whole demo province in one transaction; returns what was created and the logins."""
    report = SeedReport()
    plan = plan_people()
    with transaction.atomic():
        orgs = build_orgs(report)
        build_authorities(orgs, report)
        people = build_rosters(orgs, plan, report)
        build_dissolutions(orgs, report)
        candidate = build_people([plan.candidate], report)[plan.candidate.citizen_id]
        report.logins = [build_login(spec, orgs, people, candidate, report) for spec in LOGINS]
    return report
