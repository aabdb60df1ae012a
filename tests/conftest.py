"""Shared fixtures: a small hierarchy and the personas of house-style.md (secretary, approver, superior, outsider)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.roles import RoleKind
from tests.factories import MembershipFactory, UserFactory, give_role, make_org


def restore_migration_seed() -> None:
    """What migrations and their post-migrate handlers put in a new database (content types, permissions, the
    seeded rule sets), made again when a transactional test's flush has removed it: the tests after it build on
    it."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType
    from guardian.shortcuts import clear_ct_cache

    from admission.rules.models.rulesets import RuleSet

    # A flush made the content types again under new ids: Django's and guardian's caches would still hand out the old
    # ones (guardian then finds a permission's content type "differs" from its model's).
    ContentType.objects.clear_cache()
    clear_ct_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    ContentType.objects.clear_cache()
    clear_ct_cache()
    if not RuleSet.objects.exists():
        importlib.import_module("admission.migrations.0002_seed_rule_sets").seed(apps, None)


@dataclass
class World:
    province: PartyOrg
    commune: PartyOrg
    agency: PartyOrg  # grassroots committee under the commune (2025 model)
    partial: PartyOrg
    cell: PartyOrg  # under the partial committee
    agency_cell: PartyOrg  # directly under the grassroots committee
    village_cell: PartyOrg  # grassroots cell under the commune
    other_commune: PartyOrg
    other_cell: PartyOrg
    secretary: Any
    approver: Any  # standing committee member of the commune
    agency_officer: Any
    outsider: Any  # secretary of a cell in another commune
    candidate_user: Any  # a login with no role


@pytest.fixture
def world(db: None) -> World:
    province = make_org(OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Quảng Ninh")
    commune = make_org(OrgKind.COMMUNE_COMMITTEE, province, name="Đảng bộ xã Hoành Mô")
    agency = make_org(OrgKind.GRASSROOTS_COMMITTEE, commune, name="Đảng bộ Trường THPT Hoành Mô")
    partial = make_org(OrgKind.PARTIAL_COMMITTEE, agency, name="Đảng bộ bộ phận Khối giáo viên")
    cell = make_org(OrgKind.CELL, partial, name="Chi bộ Tổ Toán")
    agency_cell = make_org(OrgKind.CELL, agency, name="Chi bộ Văn phòng trường")
    village_cell = make_org(OrgKind.GRASSROOTS_CELL, commune, name="Chi bộ thôn Nà Sa")
    other_commune = make_org(OrgKind.COMMUNE_COMMITTEE, province, name="Đảng bộ xã Lục Hồn")
    other_cell = make_org(OrgKind.GRASSROOTS_CELL, other_commune, name="Chi bộ thôn Khe Tiền")
    secretary = UserFactory(username="secretary", first_name="Hoàng Văn", last_name="Bí Thư")
    approver = UserFactory(username="approver")
    agency_officer = UserFactory(username="agency")
    outsider = UserFactory(username="outsider")
    candidate_user = UserFactory(username="candidate")
    give_role(secretary, village_cell, RoleKind.CELL_SECRETARY)
    give_role(approver, commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    give_role(agency_officer, agency, RoleKind.COMMITTEE_MEMBER)
    give_role(outsider, other_cell, RoleKind.CELL_SECRETARY)
    for cell_ in (village_cell, other_cell, cell):
        for _ in range(3):
            MembershipFactory(cell=cell_)
    return World(
        province,
        commune,
        agency,
        partial,
        cell,
        agency_cell,
        village_cell,
        other_commune,
        other_cell,
        secretary,
        approver,
        agency_officer,
        outsider,
        candidate_user,
    )


@pytest.fixture
def day() -> datetime.date:
    return datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def force_login_is_a_complete_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` stands for a finished sign-in: the password and, for those who need it (approvers,
    administrators: admission.accounts.policy), the second factor. Tests of the second factor itself sign in
    through the login page, or with `password_only_login`."""
    from django.test import Client

    original = Client.force_login

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "password_only_login", original, raising=False)


def verify_second_factor(client: Any, user: Any) -> None:
    """Mark the client's session verified by a confirmed authenticator of the user (made if missing), when the user
    needs a second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from admission.accounts.policy import needs_second_factor

    if not needs_second_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def english() -> Iterator[None]:
    """Messages asserted in English (the msgids) while the interface itself is Vietnamese: a module that checks
    English text says `pytestmark = pytest.mark.usefixtures("english")`."""
    from django.utils import translation

    with translation.override("en"):
        yield
