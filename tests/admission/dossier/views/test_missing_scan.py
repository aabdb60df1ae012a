"""A scan the record names but the file store no longer holds (a database-only restore, a lost disk): a page that
says so and what to do, 404, never a server error; on either store."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from admission.dossier.models import Application
from tests.admission.dossier.views.helpers import png, u
from tests.filestore import file_store  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("frozen_today", "english", "file_store")


@pytest.fixture(autouse=True)
def pages_in_english(client):
    """The pages and the API answer in the language the browser asks for: English here, as the assertions read."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_a_scan_gone_from_the_store_is_a_clear_404_page(client, world, case):
    client.force_login(world.secretary)
    client.post(
        u("dossier_application", case), {"written_on": "05/01/2026", "received_on": "06/01/2026", "scan": png()}
    )
    application = Application.objects.get()
    assert client.get(u("dossier_scan", case, "application", application.pk)).status_code == 200
    default_storage.delete(application.scan.name)

    response = client.get(u("dossier_scan", case, "application", application.pk))
    assert response.status_code == 404
    assert response.templates[0].name == "admission/file_missing.html"
    assert "The scan of this record was not found in the file store" in response.text
    assert u("dossier", case) in response.text  # the way back to the dossier
