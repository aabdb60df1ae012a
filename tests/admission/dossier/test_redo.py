"""Redoing a paper within the case (issue 14): an expired CV is redone (declared, stamped, verified and certified
again), the earlier one kept with who replaced it and why, in the dossier's history and its annex; a verification
round, the opinions and an expired introduction likewise; role boundaries and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from admission.audit.models import HistoryEntry
from admission.documents.dossier import replaced_annex
from admission.dossier import services as svc
from admission.dossier.checklist import dossier_checklist
from admission.dossier.models import Curriculum, OpinionSummary, ReplacedPaper
from demo.dossier import RELATIVES
from tests.factories import MembershipFactory
from tests.workflows.test_admission_flow import at, open_case

D = datetime.date
LATER = D(2027, 2, 10)  # the CV certified on 30/01/2026 expired on 30/01/2027


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def case(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    return open_case(world, world.village_cell, world.secretary)


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def item(case, code, on):
    return next(i for i in dossier_checklist(case, on) if i.code == code)


def url(case):
    return f"/api/v1/candidates/{case.pk}/dossier/replaced-papers/"


def test_an_expired_cv_is_redone_and_the_earlier_one_kept(case, world):
    assert item(case, "curriculum", LATER).status == "expired"
    old = Curriculum.objects.get(candidate=case)
    with at(LATER):
        assert api(world.outsider).post(url(case), {"paper": "curriculum", "reason": "x"}).status_code == 404
        assert api(world.approver).post(url(case), {"paper": "curriculum", "reason": "x"}).status_code == 403
        assert api(world.secretary).post(url(case), {"paper": "curriculum", "reason": " "}).status_code == 400
        assert api(world.secretary).post(url(case), {"paper": "ceremony", "reason": "x"}).status_code == 400
        with pytest.raises(Exception, match="can no longer be changed"):
            svc.curriculum_record(
                candidate=case,
                declared_on=D(2027, 2, 1),
                name_in_use="X",
                hometown="H",
                permanent_residence="R",
                by=world.secretary,
            )
        response = api(world.secretary).post(url(case), {"paper": "curriculum", "reason": "Expired on 30/01/2027"})
    assert response.status_code == 201, response.content
    kept = ReplacedPaper.objects.get(candidate=case, paper="curriculum")
    assert (kept.replaced_by, kept.reason, kept.dated) == (world.secretary, "Expired on 30/01/2027", old.declared_on)
    assert kept.data["committee_certified_on"] == old.committee_certified_on.isoformat()
    assert len(kept.data["checks"]) >= 1 and kept.data["relatives"]
    assert HistoryEntry.objects.filter(kind="replaced_paper", record=f"admission.replacedpaper:{kept.pk}").exists()
    assert item(case, "curriculum", LATER).status == "in_progress"
    # The new CV: declared after the one it replaces, stamped, verified and certified again.
    with at(LATER):
        with pytest.raises(Exception, match="declared after"):
            svc.curriculum_record(
                candidate=case,
                declared_on=old.declared_on,
                name_in_use="X",
                hometown="H",
                permanent_residence="R",
                by=world.secretary,
            )
        svc.curriculum_record(
            candidate=case,
            declared_on=D(2027, 2, 1),
            name_in_use=case.person.full_name,
            hometown="Xã Hoành Mô, tỉnh Quảng Ninh",
            permanent_residence="Thôn Nà Sa",
            relatives=list(RELATIVES),
            by=world.secretary,
        )
        svc.curriculum_seal(candidate=case, sealed_on=D(2027, 2, 2), by=world.secretary)
        for check in case.background_checks.filter(exempt=False):
            svc.background_check_request(
                check=check, method="letter", request_sent_on=D(2027, 2, 3), by=world.secretary
            )
            svc.background_check_reply(check=check, reply_received_on=D(2027, 2, 5), result="clear", by=world.secretary)
        svc.curriculum_certify(
            candidate=case,
            cell_comment="Đúng.",
            cell_commented_on=D(2027, 2, 8),
            committee_certification="Đã thẩm tra, đúng.",
            committee_certified_on=D(2027, 2, 9),
            by=world.secretary,
        )
    assert item(case, "curriculum", LATER).status == "done"
    assert item(case, "verification", LATER).status == "done"
    listed = api(world.secretary).get(url(case)).json()["results"]
    assert [row["paper"] for row in listed] == ["curriculum"] and listed[0]["replaced_by"] == "secretary"
    annex = replaced_annex(case)
    assert annex[0]["paper"].startswith("Lý lịch") and annex[0]["reason"] == "Expired on 30/01/2027"


def test_a_verification_round_the_opinions_and_an_expired_introduction_are_redone(case, world):
    with at(LATER):
        kept = svc.paper_redo(candidate=case, paper="verification", reason="New round", by=world.secretary)
        assert kept.data["checks"] and kept.data["committee_certification"]
        curriculum = Curriculum.objects.get(candidate=case)
        assert curriculum.is_sealed and not curriculum.is_certified
        assert case.background_checks.filter(exempt=False, request_sent_on__isnull=True).exists()
        svc.paper_redo(candidate=case, paper="opinions", reason="Expired", by=world.secretary)
        assert not OpinionSummary.objects.filter(candidate=case).exists()
        with pytest.raises(Exception, match="nothing to redo"):
            svc.paper_redo(candidate=case, paper="opinions", reason="Again", by=world.secretary)
        introduction = case.introductions.first()
        # The same member writes a new letter once the old one has expired (12 months).
        new = svc.introduction_replace(
            introduction=introduction,
            introducer=introduction.introducer,
            worked_together_from=introduction.worked_together_from,
            written_on=LATER,
            reason="Expired",
            by=world.secretary,
        )
    assert new.introducer_id == introduction.introducer_id
    papers = list(ReplacedPaper.objects.filter(candidate=case).values_list("paper", flat=True))
    assert papers == ["verification", "opinions", "introduction"]


def test_the_same_introducer_cannot_renew_a_valid_introduction_and_the_page_action(case, world):
    introduction = case.introductions.first()
    with at(D(2026, 2, 25)), pytest.raises(Exception, match="Choose another member"):
        svc.introduction_replace(
            introduction=introduction,
            introducer=introduction.introducer,
            worked_together_from=introduction.worked_together_from,
            written_on=D(2026, 2, 25),
            reason="Again",
            by=world.secretary,
        )
    with at(LATER):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(world.secretary)
        page = client.get(f"/app/admission/candidates/{case.pk}/dossier/")
        assert b'data-testid="redo-curriculum"' in page.content
        form = client.get(f"/app/admission/candidates/{case.pk}/dossier/redo/curriculum/")
        assert form.status_code == 200
        assert client.get(f"/app/admission/candidates/{case.pk}/dossier/redo/ceremony/").status_code == 404
        done = client.post(f"/app/admission/candidates/{case.pk}/dossier/redo/curriculum/", {"reason": "Expired"})
        assert done.status_code == 302
        page = client.get(f"/app/admission/candidates/{case.pk}/dossier/")
        outsider = Client(HTTP_ACCEPT_LANGUAGE="en")
        outsider.force_login(world.outsider)
        assert outsider.get(f"/app/admission/candidates/{case.pk}/dossier/redo/curriculum/").status_code == 404
    assert b'data-testid="replaced-paper"' in page.content


def test_a_replaced_papers_summary_is_built_when_shown_in_the_readers_language_and_the_annex_in_vietnamese(case, world):
    """Whoever replaced the paper and in whatever language: the page says it in its reader's language, the printed
    annex in Vietnamese (the paper's name from its kind, the number of scans kept as a number)."""
    from django.utils import translation

    with at(LATER), translation.override("en"):
        kept = svc.paper_redo(candidate=case, paper="verification", reason="New round", by=world.secretary)
    assert kept.dated is not None
    n, last = len(kept.data["checks"]), kept.dated.strftime("%d/%m/%Y")
    # What the column keeps is no longer what is shown: a summary stored in another language changes nothing.
    ReplacedPaper.objects.filter(pk=kept.pk).update(summary="stored in the writer's language")
    kept.refresh_from_db()
    with translation.override("en"):
        assert kept.describe() == f"Verification of {n} person(s), last reply {last}"
    (row,) = replaced_annex(case)
    assert row["paper"] == "Đợt thẩm tra lý lịch"
    assert row["summary"] == f"Thẩm tra {n} người, kết quả cuối ngày {last}"
    assert row["scans"] == len(kept.scans) and isinstance(row["scans"], int)
    with at(LATER):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(world.secretary)
        page = client.get(f"/app/admission/candidates/{case.pk}/dossier/").content.decode()
    assert f"Verification of {n} person(s), last reply {last}" in page
    assert "stored in the writer" not in page
