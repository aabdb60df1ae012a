"""Building a case at the dossier step and walking its dossier through the services, for the tests of the dossier's
services and checklist (today is frozen on 15/06/2026 by the `frozen_today` fixture)."""

from __future__ import annotations

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from admission.dossier import services as svc
from admission.dossier.checklist import dossier_checklist
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date
TODAY = D(2026, 6, 15)


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(name="scan.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf():
    return SimpleUploadedFile("don.pdf", b"This is only text pretending to be a PDF.", content_type="application/pdf")


def make_case(world, person=None, certificate_on=None):
    """A case at the dossier step, rule set 294-QĐ/TW, with a course certificate (of 10/10/2025 by default)."""
    certificate_on = certificate_on or D(2025, 10, 10)
    person = person or PersonFactory(full_name="Lò Thị Mai", date_of_birth=D(2000, 4, 2))
    case = candidate_nominate(
        person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2025, 9, 1), by=world.secretary
    )
    AwarenessCertificate.objects.create(person=person, number="12/CN", issued_on=certificate_on, issuer="TTCT")
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.DOSSIER)
    case.refresh_from_db()
    return case


RELATIVES = [
    {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": 1970, "residence": "Nà Sa"},
    {"relation": "mother", "full_name": "Lường Thị Xuân", "birth_year": 1972},
    {"relation": "sibling", "full_name": "Lò Văn Tùng", "birth_year": 2003},
    {"relation": "spouse", "full_name": "Hà Văn Sơn", "birth_year": 1998},
    {"relation": "child", "full_name": "Hà Minh Anh", "birth_year": 2022},
]


def record_application(case, by, **kw):
    return svc.application_record(
        candidate=case,
        written_on=kw.pop("written_on", D(2026, 1, 5)),
        received_on=kw.pop("received_on", D(2026, 1, 6)),
        by=by,
        **kw,
    )


def record_cv(case, by, relatives=RELATIVES, **kw):
    return svc.curriculum_record(
        candidate=case,
        declared_on=kw.pop("declared_on", D(2026, 1, 10)),
        name_in_use="Lò Thị Mai",
        hometown="Hoành Mô, Quảng Ninh",
        permanent_residence="Thôn Nà Sa, xã Hoành Mô",
        work_history=[{"from": "09/2018", "to": "06/2022", "what": "Sinh viên"}],
        relatives=relatives,
        by=by,
        **kw,
    )


def checks_by_name(case):
    return {c.subject_name: c for c in case.background_checks.all()}


def verify_all(case, by, replied_on=None):
    replied_on = replied_on or D(2026, 2, 20)
    for check in case.background_checks.filter(exempt=False):
        svc.background_check_request(check=check, method="letter", request_sent_on=D(2026, 1, 22), by=by)
        svc.background_check_reply(check=check, reply_received_on=replied_on, result="clear", by=by)


def certify(case, by, commented_on=None):
    return svc.curriculum_certify(
        candidate=case,
        cell_comment="Chi ủy xác nhận lý lịch khai đúng.",
        cell_commented_on=commented_on or D(2026, 3, 1),
        committee_certification="Đảng ủy chứng nhận.",
        committee_certified_on=D(2026, 3, 5),
        by=by,
    )


LONG_AGO = D(2016, 3, 10)


def official(world, official_on=LONG_AGO, **kw):
    return MembershipFactory(cell=world.village_cell, official_on=official_on, **kw)


def introduce(case, by, member, written_on=None, worked_from=None, **kw):
    return svc.introduction_add(
        candidate=case,
        introducer=member,
        worked_together_from=worked_from or D(2024, 1, 1),
        written_on=written_on or D(2026, 3, 10),
        by=by,
        **kw,
    )


def opinions(case, by, compiled_on=None, **kw):
    return svc.opinions_record(
        candidate=case,
        compiled_on=compiled_on or D(2026, 3, 15),
        organisations=[{"name": "Chi đoàn thôn Nà Sa", "met_on": "2026-03-12", "participants": 18}],
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu, chấp hành tốt chính sách.",
        by=by,
        **kw,
    )


def full_dossier(case, world):
    by = world.secretary
    record_application(case, by)
    record_cv(case, by)
    svc.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=by)
    verify_all(case, by)
    certify(case, by)
    introduce(case, by, official(world))
    introduce(case, by, official(world))
    opinions(case, by)


def items(case, on):
    return {item.code: item for item in dossier_checklist(case, on)}
