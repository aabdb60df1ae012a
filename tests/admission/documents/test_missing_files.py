"""A generated document whose file the store lost (a database-only restore, a lost disk): never "up to date", never
a server error; the download says it is being made again and asks for the new copy, on the web, the API and either
store. (The candidate's own papers: tests/portal/test_missing_files.py.)"""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from admission.documents.models import DocumentDownload, DocumentStatus, GeneratedDocument
from tests.filestore import file_store  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def pages_in_english(client):
    """The pages and the API answer in the language the browser asks for: English here, as the assertions read."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _generated(client, case, capture, form="6-KNĐ") -> GeneratedDocument:
    with capture(execute=True):
        response = client.post(
            reverse("admission:candidates:document_generate", kwargs={"pk": case.pk}),
            {"form": form},
            HTTP_ACCEPT="application/json",
        )
    document = GeneratedDocument.objects.get(pk=response.json()["id"])
    assert document.status == DocumentStatus.DONE and default_storage.exists(document.file.name)
    return document


@pytest.mark.usefixtures("file_store")
def test_a_lost_file_is_made_again_and_the_download_says_so(
    client, people, decided_case, django_capture_on_commit_callbacks
):
    client.force_login(people[0])
    document = _generated(client, decided_case, django_capture_on_commit_callbacks)
    default_storage.delete(document.file.name)

    url = reverse("admission:candidates:document_download", kwargs={"pk": decided_case.pk, "doc_pk": document.pk})
    with django_capture_on_commit_callbacks(execute=True):  # the worker makes the new copy
        response = client.get(url)
    assert response.status_code == 404
    assert response.templates[0].name == "admission/file_missing.html"
    assert "It is being made again" in response.text
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and "not found in the file store" in document.error
    assert not DocumentDownload.objects.exists()
    remade = GeneratedDocument.objects.exclude(pk=document.pk).get(form_code="6-KNĐ")
    assert remade.status == DocumentStatus.DONE
    again = reverse("admission:candidates:document_download", kwargs={"pk": decided_case.pk, "doc_pk": remade.pk})
    assert client.get(again).status_code == 200


def test_the_list_no_longer_calls_a_lost_copy_up_to_date(
    client, people, decided_case, django_capture_on_commit_callbacks
):
    client.force_login(people[0])
    document = _generated(client, decided_case, django_capture_on_commit_callbacks, form="CN-NTVĐ")
    url = f"/api/v1/candidates/{decided_case.pk}/documents/"
    assert next(row for row in client.get(url).json()["results"] if row["code"] == "CN-NTVĐ")["up_to_date"]
    default_storage.delete(document.file.name)

    row = next(row for row in client.get(url).json()["results"] if row["code"] == "CN-NTVĐ")
    assert not row["up_to_date"] and row["latest"]["status"] == "failed"
    page = client.get(reverse("admission:candidates:documents", kwargs={"pk": decided_case.pk}))
    assert page.status_code == 200
    assert not next(r for r in page.context["rows"] if r.code == "CN-NTVĐ").up_to_date
    # The next request makes it again.
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(url, {"form": "CN-NTVĐ"}, content_type="application/json")
    assert created.status_code == 202 and created.json()["id"] != document.pk


def test_the_api_download_of_a_lost_file_is_a_problem_saying_it_is_made_again(
    client, people, decided_case, django_capture_on_commit_callbacks
):
    client.force_login(people[0])
    document = _generated(client, decided_case, django_capture_on_commit_callbacks)
    default_storage.delete(document.file.name)

    response = client.get(f"/api/v1/candidates/{decided_case.pk}/documents/{document.pk}/file/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert "It is being made again" in response.json()["detail"]
    assert GeneratedDocument.objects.filter(form_code="6-KNĐ").exclude(pk=document.pk).exists()
