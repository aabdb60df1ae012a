"""Sourcing and the dossier before the cell meeting: the awareness-course certificate (CN-NTVĐ) and 1–5-KNĐ
(application, CV, introductions, the mass organisation's resolution, the compiled opinions).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from admission.documents import formatting as fmt
from admission.documents.builders.memo import ancestors_on
from admission.documents.builders.shared import (
    Data,
    _base,
    _member_block,
    first_committee_above,
    header_block,
    secretary_name,
)
from admission.party.models.orgs import PartyOrg
from admission.party.permissions import today
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.training import AwarenessCertificate


def certificate_of(candidate: Candidate) -> AwarenessCertificate | None:
    return candidate.current_certificate() or (
        AwarenessCertificate.objects.filter(person=candidate.person).order_by("-issued_on").first()
    )


def build_cn_ntvd(candidate: Candidate, version_key: str) -> Data | None:
    """CN-NTVĐ: the awareness-course certificate, from the recorded certificate and, when the course ran here, its
    course and result. Issued by a political centre (GIÁM ĐỐC) or by a committee (T/M BAN THƯỜNG VỤ)."""
    cert = certificate_of(candidate)
    if cert is None:
        return None
    enrollment = cert.enrollment
    course = enrollment.course if enrollment else None
    issuer = fmt.nfc(cert.issuer)
    by_centre = issuer.lower().startswith(("trung tâm", "ttct"))
    superior = ""
    if course is not None:
        superior = fmt.caps(course.organiser.name if by_centre else _superior_name(course.organiser, cert.issued_on))
    cell_chain = [candidate.cell, *ancestors_on(candidate.cell, cert.issued_on)]
    place = fmt.place_of(candidate.cell, cell_chain[1:])
    return {
        **_base(candidate, version_key),
        "superior": superior,
        "issuer": fmt.caps(issuer),
        "issuer_name": issuer,
        "number": fmt.nfc(cert.number),
        "by_centre": by_centre,
        "cell_chain": ", ".join(fmt.nfc(o.name) for o in cell_chain[:-1] or cell_chain),
        "course_from": fmt.spelled(course.starts_on) if course else "",
        "course_to": fmt.spelled(course.ends_on) if course else "",
        "result": fmt.nfc(enrollment.result_note) if enrollment else "",
        "place_date": fmt.place_and_date(place, cert.issued_on),
        "date": fmt.dmy(cert.issued_on),
    }


def _superior_name(org: PartyOrg, day: date) -> str:
    ancestors = ancestors_on(org, day)
    return ancestors[0].name if ancestors else ""


def _addressees(candidate: Candidate, day: date) -> Data:
    committee = first_committee_above(candidate.cell, day)
    return {
        "cell_committee": f"Chi ủy {fmt.nfc(candidate.cell.name)}",
        "committee": fmt.body_name(committee) if committee else "",
    }


def build_1_knd(candidate: Candidate, version_key: str) -> Data | None:
    """1-KNĐ, a prefilled draft the applicant copies by hand and signs; the signed scan is the record."""
    application = getattr(candidate, "application", None)
    curriculum = getattr(candidate, "curriculum", None)
    day = application.written_on if application else None
    place = header_block(candidate.cell, day)["place"]
    return {
        **_base(candidate, version_key),
        **_addressees(candidate, day or today()),
        "yu_joined": fmt.spelled(curriculum.youth_union_joined_on)
        if curriculum and curriculum.youth_union_joined_on
        else "",
        "yu_place": fmt.nfc(curriculum.youth_union_joined_at) if curriculum else "",
        "sympathiser_on": fmt.spelled(candidate.sympathiser_meeting_on) if candidate.sympathiser_meeting_on else "",
        "place_date": fmt.place_and_date(place, day),
        "date": fmt.dmy(day),
    }


def _vietnamese(label: Any) -> str:
    """A model choice's label as the Vietnamese form prints it, whatever the language of the request."""
    with translation.override("vi"):
        return str(label())


def earlier_memberships(candidate: Candidate) -> list[Data]:
    """The CV's re-admission item (2-KNĐ item 13 of the 2025 booklet): each earlier membership's dates and how it
    ended; empty unless the case is a re-admission."""
    if not candidate.is_readmission:
        return []
    return [
        {
            "admitted_on": fmt.dmy(m.admitted_on) if m.admitted_on else "",
            "official_on": fmt.dmy(m.official_on) if m.official_on else "",
            "left_on": fmt.dmy(m.left_on),
            "how_left": fmt.nfc(_vietnamese(m.get_how_left_display)),
        }
        for m in candidate.person.earlier_memberships.order_by("left_on", "pk")
    ]


def build_2_knd(candidate: Candidate, version_key: str) -> Data | None:
    """2-KNĐ, the CV as declared, a draft to copy into the printed booklet (the booklet is handwritten)."""
    cv = getattr(candidate, "curriculum", None)
    if cv is None:
        return None
    place = header_block(candidate.cell, cv.declared_on)["place"]
    return {
        **_base(candidate, version_key),
        "name_in_use": fmt.caps(cv.name_in_use),
        "birth_name": fmt.caps(cv.birth_name or cv.name_in_use),
        "alias": fmt.nfc(cv.alias),
        "hometown": fmt.nfc(cv.hometown),
        "permanent": fmt.nfc(cv.permanent_residence),
        "temporary": fmt.nfc(cv.temporary_residence),
        "yu": (
            f"{fmt.spelled(cv.youth_union_joined_on)}, tại {fmt.nfc(cv.youth_union_joined_at)}"
            if cv.youth_union_joined_on
            else ""
        ),
        "work_history": [
            {"from": fmt.nfc(r.get("from", "")), "to": fmt.nfc(r.get("to", "")), "what": fmt.nfc(r.get("what", ""))}
            for r in cv.work_history
        ],
        "relatives": [
            {
                "relation": fmt.nfc(_vietnamese(r.get_relation_display)),
                "name": fmt.nfc(r.full_name),
                "birth_year": r.birth_year,
                "hometown": fmt.nfc(r.hometown),
                "residence": fmt.nfc(r.residence),
                "occupation": fmt.nfc(r.occupation),
                "political_history": fmt.nfc(r.political_history),
                "party_member": r.is_party_member,
            }
            for r in cv.relatives.all()
        ],
        "earlier_memberships": earlier_memberships(candidate),
        "self_assessment": fmt.nfc(cv.self_assessment),
        "place_date": fmt.place_and_date(place, cv.pledge_on or cv.declared_on),
        "cell_comment": fmt.nfc(cv.cell_comment),
        "cell_commented_on": fmt.dmy(cv.cell_commented_on),
        "certification": fmt.nfc(cv.committee_certification),
        "certified_on": fmt.dmy(cv.committee_certified_on),
        "date": fmt.dmy(cv.declared_on),
    }


def build_3_knd(candidate: Candidate, version_key: str) -> Data | None:
    """3-KNĐ, one sheet per current introducer (a replaced introduction is history, not part of the dossier)."""
    introductions = list(
        candidate.introductions.filter(replaced_by__isnull=True).select_related(
            "introducer__person", "introducer__cell"
        )
    )
    if not introductions:
        return None
    sheets = []
    for intro in introductions:
        place = header_block(intro.introducer.cell, intro.written_on)["place"]
        sheets.append(
            {
                "introducer": _member_block(intro.introducer),
                "together_from": fmt.spelled(intro.worked_together_from),
                "place_date": fmt.place_and_date(place, intro.written_on),
                "date": fmt.dmy(intro.written_on),
            }
        )
    return {**_base(candidate, version_key), "sheets": sheets, "date": sheets[-1]["date"]}


def build_4_knd(candidate: Candidate, version_key: str) -> Data | None:
    """4-KNĐ (Youth Union) or 4A-KNĐ (trade union): the executive committee's resolution, as recorded."""
    resolution = getattr(candidate, "mass_org_resolution", None)
    if resolution is None:
        return None
    place = header_block(candidate.cell, resolution.adopted_on)["place"]
    youth = resolution.kind == "youth_union"
    return {
        **_base(candidate, version_key),
        **_addressees(candidate, resolution.adopted_on),
        "youth": youth,
        "body": fmt.nfc(resolution.body_name),
        "body_caps": fmt.caps(resolution.body_name),
        "number": fmt.nfc(resolution.number),
        "adopted_on": fmt.spelled(resolution.adopted_on),
        "place_date": fmt.place_and_date(place, resolution.adopted_on),
        "date": fmt.dmy(resolution.adopted_on),
    }


def build_5_knd(candidate: Candidate, version_key: str) -> Data | None:
    """5-KNĐ: the cell committee's compilation of the mass organisations' and the residence cell's opinions."""
    summary = getattr(candidate, "opinion_summary", None)
    if summary is None:
        return None
    return {
        **_base(candidate, version_key),
        "header": header_block(candidate.cell, summary.compiled_on),
        "organisations": [
            {
                "name": fmt.nfc(o.get("name", "")),
                "met_on": fmt.dmy(date.fromisoformat(o["met_on"])) if o.get("met_on") else "",
                "participants": o.get("participants") or "",
                "strengths": fmt.nfc(o.get("strengths", "")),
                "weaknesses": fmt.nfc(o.get("weaknesses", "")),
            }
            for o in summary.organisations
        ],
        "residence_cell": fmt.nfc(summary.residence_cell),
        "residence_opinion": fmt.nfc(summary.residence_opinion),
        "synthesis": fmt.nfc(summary.synthesis),
        "signer": secretary_name(candidate.cell, summary.compiled_on),
        "date": fmt.dmy(summary.compiled_on),
    }
