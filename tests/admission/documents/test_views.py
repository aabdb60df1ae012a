"""The documents page, generation over HTTP and the API: scope (outsider 404), wrong method, logged downloads."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from admission.documents.models import DocumentDownload, DocumentStatus, GeneratedDocument
from tests.admission.documents.helpers import text


def page(case):
    return reverse("admission:candidates:documents", kwargs={"pk": case.pk})


def generate(case):
    return reverse("admission:candidates:document_generate", kwargs={"pk": case.pk})


def test_the_secretary_sees_the_forms_that_apply_at_the_case_stage(client, people, decided_case):
    client.force_login(people[0])
    response = client.get(page(decided_case))
    assert response.status_code == 200
    rows = [row for row in ("CN-NTVĐ", "1-KNĐ", "6-KNĐ", "9-KNĐ", "HS") if f'data-form="{row}"' in response.text]
    assert rows == ["CN-NTVĐ", "1-KNĐ", "6-KNĐ", "9-KNĐ", "HS"]


def test_generating_over_http_then_downloading_logs_who_downloaded(
    client, people, decided_case, django_capture_on_commit_callbacks
):
    client.force_login(people[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(generate(decided_case), {"form": "6-KNĐ"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 202
    document = GeneratedDocument.objects.get(pk=response.json()["id"])
    assert document.status == DocumentStatus.DONE
    status = client.get(
        reverse("admission:candidates:document_status", kwargs={"pk": decided_case.pk, "doc_pk": document.pk})
    )
    assert status.json()["status"] == "done" and status.json()["download_url"]
    download = client.get(status.json()["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "Nghị quyết".upper() in text(b"".join(download.streaming_content))
    log = DocumentDownload.objects.get()
    assert (log.document, log.user, log.via) == (document, people[0], "web")


def test_an_outsider_gets_404_on_the_page_the_generation_the_status_and_the_download(
    client, world, people, decided_case, django_capture_on_commit_callbacks
):
    client.force_login(people[0])
    with django_capture_on_commit_callbacks(execute=True):
        doc_id = client.post(generate(decided_case), {"form": "6-KNĐ"}, HTTP_ACCEPT="application/json").json()["id"]
    client.force_login(world.outsider)
    kwargs = {"pk": decided_case.pk, "doc_pk": doc_id}
    assert client.get(page(decided_case)).status_code == 404
    assert client.post(generate(decided_case), {"form": "6-KNĐ"}).status_code == 404
    assert client.get(reverse("admission:candidates:document_status", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("admission:candidates:document_download", kwargs=kwargs)).status_code == 404
    assert client.get(f"/api/v1/candidates/{decided_case.pk}/documents/{doc_id}/file/").status_code == 404
    assert not DocumentDownload.objects.exists()


def test_a_form_that_does_not_apply_is_refused_with_the_reason(client, people, case_in_dossier):
    client.force_login(people[0])
    response = client.post(generate(case_in_dossier), {"form": "9-KNĐ"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 422 and "9-KNĐ" in response.json()["detail"]
    assert client.get(generate(case_in_dossier)).status_code == 405
    assert not GeneratedDocument.objects.exists()


def test_the_api_lists_generates_and_serves_the_file(client, people, decided_case, django_capture_on_commit_callbacks):
    client.force_login(people[0])
    url = f"/api/v1/candidates/{decided_case.pk}/documents/"
    listed = client.get(url).json()["results"]
    assert [row["code"] for row in listed][-1] == "HS" and not listed[0]["up_to_date"]
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(url, {"form": "CN-NTVĐ"}, content_type="application/json")
    assert created.status_code == 202
    detail = client.get(f"{url}{created.json()['id']}/").json()
    assert detail["status"] == "done" and len(detail["checksum"]) == 64
    assert client.get(f"{url}{created.json()['id']}/file/").status_code == 200
    assert DocumentDownload.objects.get().via == "api"
    assert client.post(url, {"form": "16-KNĐ"}, content_type="application/json").status_code == 400


def test_the_commands_render_a_form_and_the_dossier(tmp_path, decided_case):
    out = tmp_path / "6.pdf"
    call_command("render_form", decided_case.code, "6-KNĐ", "--out", str(out))
    assert "đề nghị kết nạp đảng viên" in text(out.read_bytes())
    dossier = tmp_path / "hs.pdf"
    call_command("render_dossier", decided_case.code, "--out", str(dossier))
    assert "MỤC LỤC" in text(dossier.read_bytes())
    with pytest.raises(CommandError, match="Unknown form"):
        call_command("render_form", decided_case.code, "99-KNĐ", "--out", str(out))
    with pytest.raises(CommandError, match="No case"):
        call_command("render_form", "KN-0000", "6-KNĐ", "--out", str(out))
