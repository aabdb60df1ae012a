"""The candidate's own paper whose file the store lost: a page saying it is being prepared again (or cannot be),
404, never a server error; the case page no longer offers the lost copy."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from admission.documents.models import DocumentDownload, DocumentStatus, GeneratedDocument
from tests.filestore import file_store  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "file_store")]


@pytest.fixture(autouse=True)
def pages_in_english(client):
    """The pages and the API answer in the language the browser asks for: English here, as the assertions read."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_a_lost_paper_is_a_clear_page_and_leaves_the_list(client: Any, world: Any, own_case: Any) -> None:
    document = GeneratedDocument.objects.create(
        candidate=own_case,
        form_code="1-KNĐ",
        template_version="2025.1",
        rule_set_version=own_case.rule_set.code,
        input_hash="x" * 64,
        status=DocumentStatus.DONE,
    )
    document.file.save("1-KNĐ.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    client.force_login(world.candidate_user)
    url = reverse("portal:my_document", args=[own_case.pk, document.pk])
    assert client.get(url).status_code == 200
    default_storage.delete(document.file.name)

    response = client.get(url)
    assert response.status_code == 404
    assert response.templates[0].name == "admission/file_missing.html"
    assert "Your paper was not found in the file store" in response.text
    assert reverse("portal:my_case", args=[own_case.pk]) in response.text
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert DocumentDownload.objects.count() == 1  # only the download that worked
    page = client.get(reverse("portal:my_case", args=[own_case.pk]))
    assert document.pk not in [d.pk for d in page.context["progress"].documents]
