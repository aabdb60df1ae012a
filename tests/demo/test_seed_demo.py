"""`manage.py seed_demo`: the demo province, its rosters and logins, idempotence, and the chains it demonstrates.

The seed runs once per class (`setUpTestData`, rolled back afterwards) rather than once per test: it takes about a
second and a half, and every test here only reads what it built (or reruns it inside its own transaction).
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from admission.party.hierarchy import StepKind, approval_chain
from admission.party.models.orgs import AdmissionAuthority, DecidingBody, OrgKind, OrgParentLink, PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption, Membership, Person
from admission.party.models.roles import Role
from admission.party.models.users import User
from admission.rules import reference
from demo import province as demo

CODE_PATTERN = re.compile(r"^22\.\d{3}\.\d{3}\.\d{3}\.\d{3}$")
DAY = datetime.date(2026, 11, 2)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def org(code: str) -> PartyOrg:
    return PartyOrg.objects.get(code=code)


def counts() -> dict[str, int]:
    models = (PartyOrg, OrgParentLink, AdmissionAuthority, Person, Membership, MemberExemption, Role, User)
    numbers = {model.__name__: model.objects.count() for model in models}
    numbers |= {f"history of {model.__name__}": model.history.count() for model in (PartyOrg, Person, Membership)}
    return numbers


class SeedDemoTests(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = seed()

    # --- the org tree -------------------------------------------------------------------------------------------

    def test_it_builds_the_province_and_three_communes_founded_on_1_7_2025(self):
        province = org(demo.PROVINCE)
        assert province.name == "Đảng bộ tỉnh Quảng Ninh" and province.kind == OrgKind.PROVINCE_COMMITTEE
        communes = PartyOrg.objects.filter(kind=OrgKind.COMMUNE_COMMITTEE)
        assert {c.code for c in communes} == {demo.HOANH_MO, demo.QUANG_HA, demo.HONG_GAI}
        assert all(c.parent == province and c.valid_from == datetime.date(2025, 7, 1) for c in communes)

    def test_every_org_has_a_unique_code_of_the_agreed_pattern(self):
        codes = list(PartyOrg.objects.exclude(code=demo.PROVINCE).values_list("code", flat=True))
        assert codes and all(CODE_PATTERN.match(code) for code in codes)
        assert len(codes) == len(set(codes)) == len(demo.ORGS) - 1

    def test_it_builds_ten_odd_cells_each_under_an_existing_superior(self):
        cells = PartyOrg.objects.cells()
        assert 10 <= cells.count() < 20
        assert {org(demo.NA_SA).kind, org(demo.LY_THUONG_KIET).kind} == {OrgKind.GRASSROOTS_CELL}
        assert org(demo.TEXTILE_COMPANY).parent == org(demo.INDUSTRIAL_PARK)
        assert org(demo.TIMBER_COMPANY).parent.kind == OrgKind.SUB_GRASSROOTS_COMMITTEE
        assert org(demo.PORT_OPERATIONS).parent.kind == OrgKind.PARTIAL_COMMITTEE
        for cell in cells:
            assert cell.path == f"{cell.parent.path}{cell.pk}/"

    def test_the_industrial_park_committee_is_authorised_by_its_commune(self):
        grant = AdmissionAuthority.objects.get(org__code=demo.INDUSTRIAL_PARK)
        assert grant.deciding_body == DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE
        assert grant.decision_number == "125-QĐ/ĐU" and grant.decision_date is not None
        assert grant.granted_by == org(demo.QUANG_HA)
        assert not AdmissionAuthority.objects.filter(org__code__in=[demo.HOANH_MO, demo.HONG_GAI]).exists()

    def test_quang_ha_switches_to_the_2026_model_on_26_7_2026_with_a_note_to_verify(self):
        grant = AdmissionAuthority.objects.get(org__code=demo.QUANG_HA)
        assert grant.deciding_body == DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026
        assert grant.valid_from == datetime.date(2026, 7, 26)
        assert "208-QĐ/TW" in grant.decision_number and "kiểm chứng" in grant.note

    def test_the_quang_phong_partial_committee_was_dissolved_on_1_10_2026_and_its_cells_moved_up(self):
        partial = org(demo.QUANG_PHONG)
        assert partial.valid_to == datetime.date(2026, 10, 1) and partial.merged_into == org(demo.QUANG_HA)
        assert not partial.children.exists()
        for code in (demo.QUANG_PHONG_1, demo.QUANG_PHONG_2):
            links = list(org(code).parent_links.order_by("valid_from"))
            assert [(link.parent.code, link.valid_from, link.valid_to) for link in links] == [
                (demo.QUANG_PHONG, datetime.date(2025, 7, 1), datetime.date(2026, 10, 1)),
                (demo.QUANG_HA, datetime.date(2026, 10, 1), None),
            ]

    # --- rosters and people -------------------------------------------------------------------------------------

    def test_every_cell_has_8_to_25_members_mostly_official_with_1_to_3_probationers(self):
        for cell in PartyOrg.objects.cells():
            members = list(Membership.objects.filter(cell=cell, left_cell_on__isnull=True))
            probationers = [m for m in members if m.status_on(DAY) == "probationary"]
            assert 8 <= len(members) <= 25, cell
            assert 1 <= len(probationers) <= 3, cell

    def test_na_sa_has_one_member_exempted_and_one_temporarily_transferred(self):
        kinds = Counter(
            MemberExemption.objects.filter(membership__cell__code=demo.NA_SA).values_list("kind", flat=True)
        )
        assert kinds == {ExemptionKind.EXEMPTED: 1, ExemptionKind.TEMPORARY_TRANSFER: 1}

    def test_names_are_nfc_and_every_citizen_id_is_valid_and_from_the_reserved_range(self):
        for person in Person.objects.all():
            assert nfc(person.full_name) and nfc(person.residence) and nfc(person.hometown), person
            assert datetime.date(1955, 1, 1) <= person.date_of_birth <= datetime.date(2004, 12, 31)
            reference.validate_citizen_id(person.citizen_id, date_of_birth=person.date_of_birth, sex=person.sex)
            assert person.citizen_id.startswith("022") and person.citizen_id[6:8] == "99"
        for name in PartyOrg.objects.values_list("name", flat=True):
            assert nfc(name)
        for user in User.objects.all():
            assert nfc(user.first_name) and nfc(user.last_name) and user.first_name and user.last_name

    def test_ethnicity_follows_the_commune_and_women_are_about_two_fifths(self):
        def kinh_share(commune: str, kinds: tuple[str, ...]) -> float:
            people = Person.objects.filter(
                memberships__cell__path__startswith=org(commune).path, memberships__cell__kind__in=kinds
            )
            return people.filter(ethnicity=reference.KINH).count() / people.count()

        assert kinh_share(demo.HOANH_MO, (OrgKind.GRASSROOTS_CELL,)) < 0.3  # Tày, Dao, Sán Chay villages
        assert kinh_share(demo.HONG_GAI, OrgKind.cell_kinds()) >= 0.95
        women = Person.objects.filter(sex="female").count() / Person.objects.count()
        assert 0.33 <= women <= 0.5
        assert 1 <= Person.objects.filter(religion="catholic").count() <= 10

    # --- logins -------------------------------------------------------------------------------------------------

    def test_every_login_holds_the_role_stated_from_1_7_2025_or_from_its_orgs_founding(self):
        for spec in demo.LOGINS:
            user = User.objects.get(username=spec.username)
            assert user.check_password("demo12345")
            roles = list(user.roles.values_list("kind", "org__code", "starts_on", "ends_on"))
            if spec.role is None:
                assert roles == []
            else:
                founded = org(spec.org).valid_from or datetime.date(2025, 7, 1)
                starts = max(datetime.date(2025, 7, 1), founded)  # the business bloc was founded on 15/08/2026
                assert roles == [(spec.role, spec.org, starts, None)], spec.username

    def test_the_secretary_of_na_sa_is_a_member_there_and_can_act_for_the_cell(self):
        user = User.objects.get(username="bithu.nasa")
        assert user.person.memberships.get().cell == org(demo.NA_SA)
        assert user.get_full_name() == user.person.full_name
        assert user.has_perm("admission.act_for_org", org(demo.NA_SA))

    def test_the_administrator_is_staff_but_not_superuser(self):
        admin = User.objects.get(username="quantri")
        assert admin.is_staff and not admin.is_superuser
        assert not User.objects.filter(is_superuser=True).exists()

    def test_the_candidate_has_a_person_but_no_role_and_no_membership(self):
        candidate = User.objects.get(username="ungvien.nasa")
        assert not candidate.roles.exists()
        assert candidate.person.residence.startswith("thôn Nà Sa")
        assert not candidate.person.memberships.exists()

    # --- output and idempotence ---------------------------------------------------------------------------------

    def test_it_prints_the_logins_as_a_vietnamese_table(self):
        assert "Tài khoản thử nghiệm" in self.output and "mật khẩu" in self.output.lower()
        for spec in demo.LOGINS:
            assert spec.username in self.output
        assert "Bí thư chi bộ" in self.output and "Chi bộ thôn Nà Sa" in self.output

    def test_a_second_run_creates_and_changes_nothing(self):
        before = counts()
        output = seed()
        assert counts() == before
        assert "không tạo thêm gì" in output

    def test_json_prints_every_login_and_nothing_else(self):
        logins = json.loads(seed("--json"))
        assert [login["username"] for login in logins] == [spec.username for spec in demo.LOGINS]
        assert all(set(login) == {"username", "password", "role", "org", "org_code"} for login in logins)
        secretary = next(login for login in logins if login["username"] == "bithu.nasa")
        assert secretary == {
            "username": "bithu.nasa",
            "password": "demo12345",
            "role": "Bí thư chi bộ",
            "org": "Chi bộ thôn Nà Sa",
            "org_code": demo.NA_SA,
        }
        candidate = next(login for login in logins if login["username"] == "ungvien.nasa")
        assert candidate["org"] is None and candidate["org_code"] is None

    # --- the approval chains the demo shows -----------------------------------------------------------------------

    def test_every_existing_cell_has_an_approval_chain_on_2_11_2026(self):
        cells = PartyOrg.objects.cells().existing_on(DAY)
        assert cells.count() == PartyOrg.objects.cells().count()
        for cell in cells:
            steps = approval_chain(cell, DAY)  # raises ChainError if the tree is incomplete
            assert steps[-1].kind == StepKind.DECISION

    def test_the_authorised_committee_decides_for_its_cells_with_an_appraisal_under_its_partial_committee(self):
        park = org(demo.INDUSTRIAL_PARK)
        direct = approval_chain(org(demo.TEXTILE_COMPANY), DAY)
        assert [s.form for s in direct] == ["6-KNĐ", "9-KNĐ"] and direct[-1].org == park
        via_partial = approval_chain(org(demo.PORT_OPERATIONS), DAY)
        assert [s.form for s in via_partial] == ["6-KNĐ", "7-KNĐ", "9-KNĐ"]
        assert via_partial[1].org == org(demo.PORT_COMPANY) and via_partial[-1].org == park

    def test_quang_ha_cells_end_at_its_own_standing_committee_from_26_7_2026(self):
        quang_ha = org(demo.QUANG_HA)
        for code in (demo.LY_THUONG_KIET, demo.QUANG_PHONG_1, demo.TIMBER_COMPANY):
            last = approval_chain(org(code), DAY)[-1]
            assert (last.org, last.deciding_body) == (quang_ha, DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026)
        before = approval_chain(org(demo.LY_THUONG_KIET), datetime.date(2026, 7, 25))[-1]
        assert before.deciding_body == DecidingBody.SUPERIOR_STANDING_COMMITTEE
        assert [s.kind for s in approval_chain(org(demo.TIMBER_COMPANY), DAY)] == [
            StepKind.CELL_RESOLUTION,
            StepKind.APPRAISAL,
            StepKind.DECISION,
        ]

    def test_the_2025_model_communes_decide_as_superior_after_the_school_committee_proposes(self):
        steps = approval_chain(org(demo.SCHOOL_SCIENCE), DAY)
        assert [(s.form, s.org.code) for s in steps] == [
            ("6-KNĐ", demo.SCHOOL_SCIENCE),
            ("8-KNĐ", demo.SCHOOL),
            ("9-KNĐ", demo.HOANH_MO),
        ]
        assert approval_chain(org(demo.NA_SA), DAY)[-1].deciding_body == DecidingBody.SUPERIOR_STANDING_COMMITTEE

    def test_the_dissolved_partial_committee_appraises_until_30_9_2026_and_not_from_1_10_2026(self):
        partial = org(demo.QUANG_PHONG)
        for code in (demo.QUANG_PHONG_1, demo.QUANG_PHONG_2):
            before = approval_chain(org(code), datetime.date(2026, 9, 30))
            after = approval_chain(org(code), datetime.date(2026, 10, 1))
            assert [(s.kind, s.org) for s in before][1] == (StepKind.APPRAISAL, partial)
            assert [s.form for s in before] == ["6-KNĐ", "7-KNĐ", "9-KNĐ"]
            assert partial not in [s.org for s in after]
            assert [s.form for s in after] == ["6-KNĐ", "9-KNĐ"]


def test_the_generated_people_are_the_same_on_every_run():
    assert demo.plan_people() == demo.plan_people()
