"""Logins and roles: the test accounts, each linked to a roster seat or named, with its role in an org."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Person
from admission.party.models.roles import Role, RoleKind
from admission.party.models.users import User
from admission.party.services.roles import role_assign
from demo.province.orgs import (
    BUSINESS_BLOC,
    HOANH_MO,
    INDUSTRIAL_PARK,
    LY_THUONG_KIET,
    NA_SA,
    PORT_COMPANY,
    PORT_HANDLING,
    PORT_OPERATIONS,
    PROVINCE,
    QUANG_HA,
    REFORM_DAY,
    SCHOOL,
    SCHOOL_SCIENCE,
    TEXTILE_COMPANY,
    TIMBER_COMPANY,
)
from demo.province.report import Login, SeedReport

PASSWORD: Final = "demo12345"


ROLES_FROM: Final = REFORM_DAY


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
