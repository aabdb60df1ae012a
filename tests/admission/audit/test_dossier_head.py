"""The chain head is printed on the complete dossier's contents page, so a printed copy proves what the history said
on the day it was made (`history_verify --expect-head N:HASH` checks it later)."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from admission.audit.chain import chain_head
from admission.documents.dossier import dossier_html, plan, render_dossier
from tests.factories import MembershipFactory
from tests.workflows import test_admission_flow as flow


@pytest.fixture
def case(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    case = flow.open_case(world, world.village_cell, world.secretary)
    with flow.at(flow.MEETING):
        flow.run(case, "cell_vote", world.secretary, flow.vote_data(world.village_cell, 5))
    case.refresh_from_db()
    return case


def test_the_contents_page_carries_the_chain_head_of_the_day_it_was_made(case):
    head = chain_head()
    assert head.seq > 0
    html = dossier_html(case, plan(case))
    assert f'Sổ lịch sử: mục số {head.seq}, mã kiểm tra SHA-256 <span class="hash">{head.hash}</span>' in html


def test_the_printed_head_can_be_read_back_from_the_pdf(case):
    with flow.at(datetime.date(2026, 3, 3)):
        pdf, _pages, _key = render_dossier(case)
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages[:3])
    head = chain_head()
    assert f"mục số {head.seq}" in text
    assert head.hash[:16] in text.replace("\n", "").replace(" ", "")
