"""The forms this application prints: code → title, template versions, case states, data builder, scans.

Template versions: a form amended by new guidance gets a new `TemplateVersion` with the day it applies from. A
case keeps the version of its first generated copy of that form (an amendment changes new dossiers only); a form
generated for the first time takes the version in force that day. Forms 10–16-KNĐ (probation and recognition) follow
9-KNĐ in the dossier of a probationary or recognised member, in the order of the recognition dossier (domain.md §5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models.fields.files import FieldFile

from admission.documents import builders
from admission.sourcing.models.candidates import Candidate, CandidateState

S = CandidateState
FROM_TRAINED = (S.TRAINED, S.DOSSIER, S.PROPOSED, S.ADMITTED, S.PROBATIONARY, S.OFFICIAL)
FROM_DOSSIER = (S.DOSSIER, S.PROPOSED, S.ADMITTED, S.PROBATIONARY, S.OFFICIAL)
FROM_PROPOSED = (S.PROPOSED, S.ADMITTED, S.PROBATIONARY, S.OFFICIAL)
# Probation and recognition (10–16-KNĐ): while probationary and once recognised.
IN_PROBATION = (S.PROBATIONARY, S.OFFICIAL)


@dataclass(frozen=True)
class TemplateVersion:
    version: str
    valid_from: date
    template: str


@dataclass(frozen=True)
class Scan:
    """An uploaded scan that belongs with a form in the complete dossier."""

    title: str
    file: FieldFile
    date: date | None


@dataclass(frozen=True)
class FormSpec:
    code: str
    title: str
    versions: tuple[TemplateVersion, ...]
    states: tuple[str, ...]
    builder: Callable[[Candidate, str], dict[str, Any] | None]
    # The signed original kept as a scan: in the complete dossier it replaces the generated draft when present.
    scans: Callable[[Candidate], list[Scan]] = field(default=lambda candidate: [])
    draft: bool = False  # written and signed by hand; printed as a prefilled draft
    numbered: bool = False

    def version_on(self, day: date) -> TemplateVersion:
        valid = [v for v in self.versions if v.valid_from <= day]
        return max(valid, key=lambda v: v.valid_from) if valid else self.versions[0]

    def version(self, name: str) -> TemplateVersion:
        for v in self.versions:
            if v.version == name:
                return v
        raise KeyError(name)


def _scan(title: str, obj: Any, day_field: str) -> list[Scan]:
    if obj is None or not getattr(obj, "scan", None):
        return []
    return [Scan(title, obj.scan, getattr(obj, day_field, None))]


def _certificate_scans(candidate: Candidate) -> list[Scan]:
    return _scan("Giấy chứng nhận (bản chụp)", builders.certificate_of(candidate), "issued_on")


def _application_scans(candidate: Candidate) -> list[Scan]:
    return _scan("Đơn xin vào Đảng (bản chụp)", getattr(candidate, "application", None), "written_on")


def _cv_scans(candidate: Candidate) -> list[Scan]:
    scans = _scan("Lý lịch (bản chụp)", getattr(candidate, "curriculum", None), "declared_on")
    for check in candidate.background_checks.exclude(scan=""):
        scans.append(Scan(f"Kết quả thẩm tra: {check.subject_name}", check.scan, check.reply_received_on))
    return scans


def _introduction_scans(candidate: Candidate) -> list[Scan]:
    return [
        Scan(f"Giấy giới thiệu: {intro.introducer.person.full_name}", intro.scan, intro.written_on)
        for intro in candidate.introductions.filter(replaced_by__isnull=True)
        .exclude(scan="")
        .select_related("introducer__person")
    ]


def _mass_org_scans(candidate: Candidate) -> list[Scan]:
    return _scan("Nghị quyết giới thiệu (bản chụp)", getattr(candidate, "mass_org_resolution", None), "adopted_on")


def _opinion_scans(candidate: Candidate) -> list[Scan]:
    return _scan("Tổng hợp ý kiến nhận xét (bản chụp)", getattr(candidate, "opinion_summary", None), "compiled_on")


V2025 = date(2025, 7, 1)


def _v(slug: str) -> tuple[TemplateVersion, ...]:
    return (TemplateVersion("2025.1", V2025, f"admission/pdf/{slug}_v2025_1.html"),)


# In the order of the dossier (12-HD/BTCTW 2022 §II.1.1: before the cell meeting, then after it).
FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        "CN-NTVĐ",
        "Giấy chứng nhận bồi dưỡng nhận thức về Đảng",
        _v("cn_ntvd"),
        FROM_TRAINED,
        builders.build_cn_ntvd,
        _certificate_scans,
    ),
    FormSpec("1-KNĐ", "Đơn xin vào Đảng", _v("knd1"), FROM_DOSSIER, builders.build_1_knd, _application_scans, True),
    FormSpec(
        "2-KNĐ", "Lý lịch của người xin vào Đảng", _v("knd2"), FROM_DOSSIER, builders.build_2_knd, _cv_scans, True
    ),
    FormSpec(
        "3-KNĐ",
        "Giấy giới thiệu người vào Đảng",
        _v("knd3"),
        FROM_DOSSIER,
        builders.build_3_knd,
        _introduction_scans,
        True,
    ),
    FormSpec(
        "4-KNĐ",
        "Nghị quyết giới thiệu đoàn viên vào Đảng",
        _v("knd4"),
        FROM_DOSSIER,
        builders.build_4_knd,
        _mass_org_scans,
        True,
    ),
    FormSpec(
        "5-KNĐ",
        "Tổng hợp ý kiến nhận xét của các đoàn thể chính trị - xã hội và chi ủy nơi cư trú",
        _v("knd5"),
        FROM_DOSSIER,
        builders.build_5_knd,
        _opinion_scans,
    ),
    FormSpec(
        "6-KNĐ",
        "Nghị quyết đề nghị kết nạp đảng viên (chi bộ)",
        _v("knd6"),
        FROM_DOSSIER,
        builders.build_6_knd,
        numbered=True,
    ),
    FormSpec(
        "7-KNĐ",
        "Báo cáo thẩm định nghị quyết đề nghị kết nạp đảng viên (đảng ủy bộ phận)",
        _v("knd7"),
        FROM_PROPOSED,
        builders.build_7_knd,
        numbered=True,
    ),
    FormSpec(
        "8-KNĐ",
        "Nghị quyết đề nghị kết nạp đảng viên (đảng ủy cơ sở)",
        _v("knd8"),
        FROM_PROPOSED,
        builders.build_8_knd,
        numbered=True,
    ),
    FormSpec(
        "9-KNĐ",
        "Quyết định kết nạp đảng viên",
        _v("knd9"),
        FROM_PROPOSED,
        builders.build_9_knd,
        numbered=True,
    ),
    FormSpec("10-KNĐ", "Bản tự kiểm điểm của đảng viên dự bị", _v("knd10"), IN_PROBATION, builders.build_10_knd),
    FormSpec(
        "11-KNĐ",
        "Bản nhận xét đảng viên dự bị của đảng viên được phân công giúp đỡ",
        _v("knd11"),
        IN_PROBATION,
        builders.build_11_knd,
    ),
    FormSpec(
        "12-KNĐ",
        "Tổng hợp ý kiến nhận xét đối với đảng viên dự bị",
        _v("knd12"),
        IN_PROBATION,
        builders.build_12_knd,
    ),
    FormSpec(
        "13-KNĐ",
        "Nghị quyết đề nghị công nhận đảng viên chính thức (chi bộ)",
        _v("knd13"),
        IN_PROBATION,
        builders.build_13_knd,
        numbered=True,
    ),
    FormSpec(
        "14-KNĐ",
        "Báo cáo thẩm định nghị quyết đề nghị công nhận đảng viên chính thức (đảng ủy bộ phận)",
        _v("knd14"),
        IN_PROBATION,
        builders.build_14_knd,
        numbered=True,
    ),
    FormSpec(
        "15-KNĐ",
        "Nghị quyết đề nghị công nhận đảng viên chính thức (đảng ủy cơ sở)",
        _v("knd15"),
        IN_PROBATION,
        builders.build_15_knd,
        numbered=True,
    ),
    FormSpec(
        "16-KNĐ",
        "Quyết định công nhận đảng viên chính thức",
        _v("knd16"),
        IN_PROBATION,
        builders.build_16_knd,
        numbered=True,
    ),
)

BY_CODE: dict[str, FormSpec] = {spec.code: spec for spec in FORMS}
# The trade-union variant is the same resolution under its own code (forms.md §0.2 item 2).
ALIASES = {"4A-KNĐ": "4-KNĐ"}


def get(code: str) -> FormSpec:
    code = ALIASES.get(code, code)
    try:
        return BY_CODE[code]
    except KeyError as exc:
        raise KeyError(f"Unknown form {code!r}; known: {', '.join(BY_CODE)}") from exc


def printed_code(spec: FormSpec, data: dict[str, Any]) -> str:
    """The code printed in the corner: 4-KNĐ for the Youth Union, 4A-KNĐ for the trade union."""
    if spec.code == "4-KNĐ" and not data.get("youth", True):
        return "4A-KNĐ"
    return spec.code
