"""Every demo member (admitted, probationary or official) has the complete dossier a real one would: the admission
papers 1–9-KNĐ that apply to its chain, the recognition papers 10–16-KNĐ it has reached, and at least ten pages;
and `seed_demo` gives every body of the demo province a certificate to sign with."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from admission.documents import dossier
from admission.documents.models import BodySigner
from admission.party.models.orgs import PartyOrg
from admission.probation.models import Probation
from admission.sourcing.models.candidates import Candidate, CandidateState

pytestmark = pytest.mark.django_db

MEMBERS = (CandidateState.ADMITTED, CandidateState.PROBATIONARY, CandidateState.OFFICIAL)


def reached_recognition_forms(case: Candidate) -> set[str]:
    """The recognition papers the member's records call for."""
    probation = Probation.objects.filter(candidate=case).first()
    if probation is None:
        return set()
    forms = set()
    if getattr(probation, "self_review", None):
        forms.add("10-KNĐ")
    if probation.helper_comments.exists():
        forms.add("11-KNĐ")
    if getattr(probation, "opinions", None):
        forms.add("12-KNĐ")
    forms |= set(probation.steps.filter(status="done").values_list("form", flat=True))
    return forms


def test_every_demo_member_has_a_complete_dossier_of_at_least_ten_pages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = tmp_path / "signing"
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    members = list(Candidate.objects.filter(state__in=MEMBERS).select_related("person", "cell", "rule_set"))
    assert len(members) >= 9
    assert {c.state for c in members} == set(MEMBERS)
    for case in members:
        codes = [part.code for part in dossier.plan(case)]
        for paper in ("CN-NTVĐ", "1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ", "9-KNĐ"):
            assert paper in codes, (case.person.full_name, paper, codes)
        assert reached_recognition_forms(case) <= set(codes), (case.person.full_name, codes)
        _pdf, pages, _key = dossier.render_dossier(case)
        assert pages >= 10, (case.person.full_name, pages)
    official = next(c for c in members if c.state == CandidateState.OFFICIAL)
    assert {"10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "16-KNĐ"} <= {p.code for p in dossier.plan(official)}


def test_seed_demo_gives_every_current_body_a_signer_whose_key_stays_outside_git_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = tmp_path / "signing"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    bodies = PartyOrg.objects.filter(valid_to__isnull=True).count()
    assert BodySigner.objects.count() == bodies
    assert f"Chữ ký số mẫu: {bodies} cơ quan" in out.getvalue()
    files = sorted((tmp_path / "signing" / "bodies").glob("*.p12"))
    assert len(files) == bodies and all(f.stat().st_mode & 0o077 == 0 for f in files)
    assert (tmp_path / "signing" / "trust" / "demo-ca.pem").is_file()
    assert not (tmp_path / "media").exists()
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing new
    assert BodySigner.objects.count() == bodies


def test_the_demo_provinces_report_has_no_negative_processing_time(settings, tmp_path):
    """The demo's cases are recorded today with dates in the past: the report must date each step by its own date
    (the certificate's, the step's), never by when it was typed in."""
    from admission.party.permissions import today
    from admission.reports.statistics import Period, build_report

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    province = PartyOrg.objects.get(parent__isnull=True)
    year = today().year
    for period in (Period.year(year - 1), Period.year(year)):
        report = build_report(org=province, period=period)
        assert all(s.median_days is None or s.median_days >= 0 for s in report.processing), report.processing
    assert any(
        s.step == "proposed" and s.count for s in build_report(org=province, period=Period.year(year)).processing
    )
