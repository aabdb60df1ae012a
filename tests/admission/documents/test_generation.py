"""Background generation: versions and checksum recorded, unchanged data reuses the copy, changed data makes a new
one (the old is kept), a failed or interrupted job leaves no file, a job whose worker died is run again, the dossier."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from admission.documents import dossier, generation, services
from admission.documents.models import DocumentStatus, GeneratedDocument
from admission.dossier import services as svc
from tests.admission.documents.helpers import is_a4, page_texts, reader, text

D = datetime.date


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file() and "generated" in p.parts]


def test_a_requested_form_is_generated_with_its_versions_and_checksum(run, people, case_in_dossier):
    document = run(case_in_dossier, "5-KNĐ", people[0])
    assert document.status == DocumentStatus.DONE and document.progress == 100
    assert (document.template_version, document.rule_set_version) == ("2025.1", case_in_dossier.rule_set.code)
    data = document.file.read()
    assert data.startswith(b"%PDF-") and document.checksum == hashlib.sha256(data).hexdigest()
    assert "TỔNG HỢP Ý KIẾN NHẬN XÉT" in text(data) and document.created_by == people[0]


def test_asking_again_with_unchanged_data_returns_the_same_copy(run, people, case_in_dossier):
    first = run(case_in_dossier, "5-KNĐ", people[0])
    assert run(case_in_dossier, "5-KNĐ", people[0]).pk == first.pk


def test_a_change_of_data_makes_a_new_copy_and_keeps_the_old_one(run, people, case_in_dossier):
    first = run(case_in_dossier, "5-KNĐ", people[0])
    svc.opinions_record(
        candidate=case_in_dossier,
        compiled_on=D(2026, 3, 16),
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu.",
        synthesis="Ý kiến đã sửa.",
        by=people[0],
    )
    assert not next(r for r in services.form_rows(case_in_dossier) if r.code == "5-KNĐ").up_to_date
    second = run(case_in_dossier, "5-KNĐ", people[0])
    assert second.pk != first.pk and second.input_hash != first.input_hash
    assert "Ý kiến đã sửa." in text(second.file.read())
    first.refresh_from_db()
    assert first.status == DocumentStatus.DONE and first.file.storage.exists(first.file.name)


def test_a_failed_job_is_recorded_and_leaves_no_file(run, people, case_in_dossier, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint stopped")

    monkeypatch.setattr(generation, "render_form", broken)
    document = run(case_in_dossier, "5-KNĐ", people[0])
    assert document.status == DocumentStatus.FAILED and "WeasyPrint stopped" in document.error
    assert not document.file and files_under(settings.MEDIA_ROOT) == []


def test_a_job_interrupted_while_writing_leaves_no_partial_file(run, people, case_in_dossier, monkeypatch, settings):
    def killed(fd):
        raise OSError("worker killed")

    monkeypatch.setattr(generation.os, "fsync", killed)
    document = run(case_in_dossier, "5-KNĐ", people[0])
    assert document.status == DocumentStatus.FAILED
    assert files_under(settings.MEDIA_ROOT) == []  # neither the final name nor the .part file


def test_a_job_whose_heartbeat_is_older_than_the_lease_is_run_again(run, people, case_in_dossier, settings):
    settings.DOCUMENTS_LEASE_SECONDS = 60
    stuck = GeneratedDocument.objects.create(
        candidate=case_in_dossier,
        form_code="5-KNĐ",
        template_version="2025.1",
        rule_set_version="x",
        input_hash=next(r for r in services.form_rows(case_in_dossier) if r.code == "5-KNĐ").input_hash,
        status=DocumentStatus.RUNNING,
        attempts=1,
    )
    # Sixty seconds are not yet too long: the running job is returned.
    GeneratedDocument.objects.filter(pk=stuck.pk).update(
        heartbeat_at=datetime.datetime(2026, 6, 15, 8, 59, 0, tzinfo=datetime.UTC)
    )
    assert run(case_in_dossier, "5-KNĐ", people[0]).status == DocumentStatus.RUNNING
    GeneratedDocument.objects.filter(pk=stuck.pk).update(
        heartbeat_at=datetime.datetime(2026, 6, 15, 8, 58, 59, tzinfo=datetime.UTC)
    )
    retried = run(case_in_dossier, "5-KNĐ", people[0])
    assert retried.pk == stuck.pk and retried.status == DocumentStatus.DONE and retried.attempts == 2


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_complete_dossier_has_cover_contents_outline_and_a_footer_on_every_page(run, people, decided_case):
    document = run(decided_case, "HS", people[0])
    assert document.status == DocumentStatus.DONE
    pdf = document.file.read()
    pages = page_texts(pdf)
    assert len(pages) == document.pages and is_a4(pdf)
    assert "HỒ SƠ" in pages[0] and "ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN" in pages[0]
    assert "MỤC LỤC" in pages[1] and "06/04/2026" in pages[1] and "20/04/2026" in pages[1]
    for number, page in enumerate(pages, start=1):
        assert decided_case.code in page and f"Trang {number}/{len(pages)}" in page
    outline = [item.title for item in reader(pdf).outline]
    assert outline[0] == "Bìa và mục lục" and len(outline) == 11
    assert outline[-1] == "Quyết định kết nạp đảng viên (Mẫu 9-KNĐ)"
    assert dossier.lookup_url(decided_case.code).endswith(f"/tra-cuu/?ma={decided_case.code}")


def test_signed_scans_replace_the_drafts_images_become_a4_pages_and_pdfs_are_merged(
    run, people, case_in_dossier, png_bytes
):
    svc.application_record(
        candidate=case_in_dossier,
        written_on=D(2026, 1, 5),
        received_on=D(2026, 1, 6),
        scan=SimpleUploadedFile("don.png", png_bytes, content_type="image/png"),
        by=people[0],
    )
    svc.opinions_record(
        candidate=case_in_dossier,
        compiled_on=D(2026, 3, 15),
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu.",
        scan=SimpleUploadedFile("5knd.pdf", blank_pdf(), content_type="application/pdf"),
        by=people[0],
    )
    parts = {p.code: p for p in dossier.plan(case_in_dossier)}
    assert parts["1-KNĐ"].status == dossier.STATUS_SCAN and parts["5-KNĐ"].status == dossier.STATUS_SCAN
    assert parts["2-KNĐ"].status == dossier.STATUS_DRAFT
    document = run(case_in_dossier, "HS", people[0])
    pdf = document.file.read()
    assert is_a4(pdf) and "Đơn xin vào Đảng (Mẫu 1-KNĐ)" in page_texts(pdf)[1]


def test_the_contents_page_numbers_are_the_pages_where_the_outline_sends_each_document(people, decided_case):
    pdf, _pages, _key = dossier.render_dossier(decided_case)
    pdf_reader = reader(pdf)
    starts = [pdf_reader.get_destination_page_number(item) + 1 for item in pdf_reader.outline][1:]
    # The contents list each document's status then its page: "… Bản in từ hệ thống 12".
    listed = [int(n) for n in re.findall(r"(?:thống|bản ký) (\d+)", page_texts(pdf)[1])]
    assert listed == starts and len(starts) == 10 and starts[0] == 3
    # A form's own page numbers restart with it and are not printed on its first page (HD 36-HD/VPTW).
    texts = page_texts(pdf)
    six = starts[6] - 1  # 6-KNĐ runs over two pages
    assert " 2 Hồ sơ KN-" in texts[six + 1] and not re.search(r" \d+ Hồ sơ KN-", texts[six])


def test_a_pdf_scan_is_laid_on_its_own_pages_under_the_footer(run, people, case_in_dossier):
    from admission.documents.render import html_to_pdf

    scanned = html_to_pdf("<p>TRANG MỘT CỦA BẢN CHỤP</p><p style='break-before: page'>TRANG HAI CỦA BẢN CHỤP</p>")
    svc.opinions_record(
        candidate=case_in_dossier,
        compiled_on=D(2026, 3, 15),
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu.",
        scan=SimpleUploadedFile("5knd.pdf", scanned, content_type="application/pdf"),
        by=people[0],
    )
    document = run(case_in_dossier, "HS", people[0])
    pdf = document.file.read()
    pages = page_texts(pdf)
    first = next(i for i, page in enumerate(pages) if "TRANG MỘT CỦA BẢN CHỤP" in page)
    assert "TRANG HAI CỦA BẢN CHỤP" in pages[first + 1]
    assert f"Trang {first + 1}/{len(pages)}" in pages[first] and case_in_dossier.code in pages[first + 1]
    outline = {item.title: reader(pdf).get_destination_page_number(item) for item in reader(pdf).outline}
    assert outline[next(t for t in outline if "Mẫu 5-KNĐ" in t)] == first
    assert is_a4(pdf)


def test_an_unreadable_scan_becomes_a_page_saying_so(run, people, case_in_dossier):
    svc.opinions_record(
        candidate=case_in_dossier,
        compiled_on=D(2026, 3, 15),
        residence_cell="Chi bộ thôn Nà Sa",
        residence_opinion="Gương mẫu.",
        scan=SimpleUploadedFile("5knd.pdf", b"%PDF-1.7 broken", content_type="application/pdf"),
        by=people[0],
    )
    document = run(case_in_dossier, "HS", people[0])
    assert document.status == DocumentStatus.DONE
    assert "Không đọc được tệp bản chụp đã lưu" in text(document.file.read())


def test_the_retry_command_queues_again_only_the_jobs_whose_heartbeat_is_older_than_the_lease(
    people, case_in_dossier, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.DOCUMENTS_LEASE_SECONDS = 60
    key = next(r for r in services.form_rows(case_in_dossier) if r.code == "5-KNĐ").input_hash
    document = GeneratedDocument.objects.create(
        candidate=case_in_dossier,
        form_code="5-KNĐ",
        template_version="2025.1",
        rule_set_version="x",
        input_hash=key,
        status=DocumentStatus.RUNNING,
        attempts=1,
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(
        heartbeat_at=datetime.datetime(2026, 6, 15, 8, 59, 0, tzinfo=datetime.UTC)  # exactly 60 s: still alive
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents_retry_stale", stdout=out)
    assert "0 interrupted" in out.getvalue()
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING
    GeneratedDocument.objects.filter(pk=document.pk).update(
        heartbeat_at=datetime.datetime(2026, 6, 15, 8, 58, 59, tzinfo=datetime.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents_retry_stale", stdout=out)
    assert "1 interrupted" in out.getvalue()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.input_hash == key and document.attempts == 2
    assert GeneratedDocument.objects.filter(form_code="5-KNĐ").count() == 1
