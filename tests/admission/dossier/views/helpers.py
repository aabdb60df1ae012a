"""What the dossier screens' tests share: real scans, the screens' URLs, the formset rows of a POST, the CV's form
data, Vietnamese messages, and the records a test starts from, written through the services."""

from __future__ import annotations

import datetime
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from admission.dossier import services
from admission.dossier.models import BackgroundCheck, CheckResult, Curriculum
from admission.sourcing.models.candidates import Candidate

D = datetime.date


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def vi(msgid: str, **params: Any) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    return text % params if params else text


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def u(name: str, case: Candidate, *args: Any) -> str:
    return reverse(f"admission:candidates:{name}", args=[case.pk, *args])


def page(case: Candidate) -> str:
    return u("dossier", case)


def rows(prefix: str, lines: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(lines)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        data.update({f"{prefix}-{i}-{k}": v for k, v in line.items()})
    return data


FATHER = {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": "1970", "occupation": "Làm ruộng"}
MOTHER = {
    "relation": "mother",
    "full_name": "Lường Thị Xuân",
    "birth_year": "1972",
    "is_party_member": "on",
    "fully_declared": "on",
}
SISTER = {"relation": "sibling", "full_name": "Lò Thị Hoa", "birth_year": "2003"}


def cv_data(relatives: list[dict[str, Any]] | None = None, initial: int = 0, **overrides: Any) -> dict[str, Any]:
    data = {
        "declared_on": "10/01/2026",
        "name_in_use": "Lò Thị Mai",
        "hometown": "Hoành Mô, Quảng Ninh",
        "permanent_residence": "Thôn Nà Sa",
        "youth_union_joined_on": "26/03/2015",
        "youth_union_joined_at": "Trường THCS Hoành Mô",
        **rows("relatives", [FATHER, MOTHER] if relatives is None else relatives, initial),
        **rows("work", [{"start": "09/2018", "end": "06/2022", "what": "Sinh viên Đại học Sư phạm"}]),
        **overrides,
    }
    return data


def record_application(case: Candidate, world: Any) -> None:
    services.application_record(candidate=case, written_on=D(2026, 1, 5), received_on=D(2026, 1, 6), by=world.secretary)


def record_cv(case: Candidate, world: Any) -> Curriculum:
    record_application(case, world)
    return services.curriculum_record(
        candidate=case,
        declared_on=D(2026, 1, 10),
        name_in_use="Lò Thị Mai",
        hometown="Hoành Mô",
        permanent_residence="Thôn Nà Sa",
        relatives=[
            {"relation": "father", "full_name": "Lò Văn Pấng", "birth_year": 1970},
            {"relation": "mother", "full_name": "Lường Thị Xuân", "birth_year": 1972},
        ],
        by=world.secretary,
    )


def seal(case: Candidate, world: Any) -> list[BackgroundCheck]:
    record_cv(case, world)
    services.curriculum_seal(candidate=case, sealed_on=D(2026, 1, 20), by=world.secretary)
    return list(case.background_checks.order_by("pk"))


def verify_all(case: Candidate, world: Any) -> list[BackgroundCheck]:
    checks = seal(case, world)
    for check in checks:
        services.background_check_request(
            check=check, method="letter", request_sent_on=D(2026, 1, 22), by=world.secretary
        )
        services.background_check_reply(
            check=check, reply_received_on=D(2026, 2, 20), result=CheckResult.CLEAR, by=world.secretary
        )
    return checks


def errors_of(response: Any) -> str:
    return response.content.decode()
