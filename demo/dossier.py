"""A believable, complete admission dossier for a demo case, written through the dossier services.

Used by the demo cases (`demo.sourcing_cases`) and by the tests that need a case ready for its cell meeting. Every date
is `start` plus a few days, in the order the regulation asks: application, CV, page-join stamp, verification,
comment and certification, introductions (or the Youth Union resolution and one introducer), compiled opinions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.dossier import services as svc
from admission.dossier.checklist import introducers_needed
from admission.dossier.models import MassOrgKind
from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate

RELATIVES = (
    {
        "relation": "father",
        "full_name": "Hoàng Văn Pấng",
        "birth_year": 1968,
        "hometown": "Xã Hoành Mô, tỉnh Quảng Ninh",
        "residence": "Thôn Nà Sa, xã Hoành Mô",
        "occupation": "Làm ruộng",
        "political_history": "Chấp hành tốt chủ trương, chính sách; không vi phạm pháp luật",
    },
    {
        "relation": "mother",
        "full_name": "Lường Thị Xuân",
        "birth_year": 1971,
        "hometown": "Xã Lục Hồn, tỉnh Quảng Ninh",
        "residence": "Thôn Nà Sa, xã Hoành Mô",
        "occupation": "Làm ruộng",
    },
    {
        "relation": "sibling",
        "full_name": "Hoàng Thị Mai",
        "birth_year": 2001,
        "residence": "Phường Hồng Gai, tỉnh Quảng Ninh",
        "occupation": "Công nhân",
    },
)
WORK_HISTORY = (
    {"from": "09/2010", "to": "05/2013", "what": "Học sinh Trường PTDTBT THCS Hoành Mô"},
    {"from": "09/2013", "to": "05/2016", "what": "Học sinh Trường THPT Hoành Mô"},
)


def introducers_for(candidate: Candidate, on: date, count: int) -> list[Membership]:
    """Official members of the cell for long enough to introduce (the longest-serving first)."""
    members = (
        Membership.objects.filter(cell=candidate.cell, official_on__lte=on - timedelta(days=800))
        .active_on(on)
        .exclude(person=candidate.person)
        .order_by("official_on", "pk")
    )
    chosen = list(members[:count])
    if len(chosen) < count:
        raise ValidationError(_("The cell has too few long-standing official members to introduce the applicant."))
    return chosen


def fill_dossier(candidate: Candidate, *, by: Any, start: date) -> Candidate:
    """Record every item of the dossier between `start` and `start + 45 days` (all dates must be past)."""
    person = candidate.person
    svc.application_record(candidate=candidate, written_on=start, received_on=start + timedelta(days=1), by=by)
    svc.curriculum_record(
        candidate=candidate,
        declared_on=start + timedelta(days=3),
        name_in_use=person.full_name,
        place_of_birth="Trạm Y tế xã Hoành Mô, tỉnh Quảng Ninh",
        hometown="Xã Hoành Mô, tỉnh Quảng Ninh",
        permanent_residence=person.residence or "Thôn Nà Sa, xã Hoành Mô, tỉnh Quảng Ninh",
        youth_union_joined_on=person.date_of_birth + timedelta(days=16 * 365 + 30)
        if person.youth_union_member
        else None,
        youth_union_joined_at="Chi đoàn Trường THPT Hoành Mô" if person.youth_union_member else "",
        work_history=[
            *WORK_HISTORY,
            {"from": "09/2016", "to": "nay", "what": person.workplace or "Lao động tại địa phương"},
        ],
        self_assessment="Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; "
        "tích cực tham gia các phong trào ở địa phương; cần mạnh dạn hơn trong phát biểu ý kiến.",
        relatives=list(RELATIVES),
        by=by,
    )
    svc.curriculum_seal(candidate=candidate, sealed_on=start + timedelta(days=5), by=by)
    for check in candidate.background_checks.filter(exempt=False):
        svc.background_check_request(check=check, method="letter", request_sent_on=start + timedelta(days=6), by=by)
        svc.background_check_reply(check=check, reply_received_on=start + timedelta(days=20), result="clear", by=by)
    svc.curriculum_certify(
        candidate=candidate,
        cell_comment="Chi ủy xác nhận quần chúng khai lý lịch đúng sự thật.",
        cell_commented_on=start + timedelta(days=22),
        committee_certification="Đảng ủy xác nhận lý lịch đã được thẩm tra, đúng.",
        committee_certified_on=start + timedelta(days=25),
        by=by,
    )
    written_on = start + timedelta(days=30)
    if person.youth_union_member:
        svc.mass_org_resolution_record(
            candidate=candidate,
            kind=MassOrgKind.YOUTH_UNION,
            body_name="Ban Chấp hành Đoàn xã Hoành Mô",
            number=f"{candidate.pk:02d}-NQ/ĐTN",
            adopted_on=written_on,
            by=by,
        )
    for member in introducers_for(candidate, written_on, introducers_needed(candidate, written_on)):
        svc.introduction_add(
            candidate=candidate,
            introducer=member,
            worked_together_from=written_on - timedelta(days=800),
            written_on=written_on,
            by=by,
        )
    svc.opinions_record(
        candidate=candidate,
        compiled_on=start + timedelta(days=40),
        organisations=[
            {"name": "Chi đoàn thôn Nà Sa", "met_on": (start + timedelta(days=35)).isoformat(), "participants": 21},
            {
                "name": "Chi hội Phụ nữ thôn Nà Sa",
                "met_on": (start + timedelta(days=36)).isoformat(),
                "participants": 30,
            },
        ],
        residence_cell=candidate.cell.name,
        residence_opinion="Gương mẫu, chấp hành tốt chủ trương của Đảng, chính sách của Nhà nước.",
        by=by,
    )
    return Candidate.objects.get(pk=candidate.pk)
