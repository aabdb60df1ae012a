"""The org tree of the demo province: the dates of the 2025 reform and the 2026 model, the orgs with their codes
and rosters, the dissolution of a partial committee, the authority to admit; and the builders that create them
through the services (`org_create`, `authority_grant`, `org_move`, `org_dissolve`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from admission.party.models.orgs import DecidingBody, OrgKind, PartyOrg
from admission.party.services.orgs import authority_grant, org_create, org_dissolve, org_move
from demo.province.report import SeedReport

PROVINCE_FOUNDED: Final = date(1963, 10, 30)
REFORM_DAY: Final = date(2025, 7, 1)  # district level abolished, commune committees founded
MODEL_2026_FROM: Final = date(2026, 7, 26)  # reported 208-QĐ/TW
SUB_COMMITTEE_FOUNDED: Final = date(2026, 8, 15)
PARTIAL_DISSOLVED_ON: Final = date(2026, 10, 1)  # first day without the partial committee


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
# Builders: look everything up by its natural key first, so that a second run changes nothing.
# ---------------------------------------------------------------------------------------------------------------


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
