"""Moving the files of a host's disk into the database file store before switching FILE_STORE: same names, same bytes,
nothing twice, a clash or an oversized file reported and left alone."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from admission.core.files import DatabaseStorage
from admission.core.models import StoredFile

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("files_to_database", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "dossier" / "7" / "application").mkdir(parents=True)
    (tmp_path / "dossier" / "7" / "application" / "don.pdf").write_bytes(b"%PDF-1.7 the application")
    (tmp_path / "generated" / "7").mkdir(parents=True)
    (tmp_path / "generated" / "7" / "9-knd-1-abc.pdf").write_bytes(b"%PDF-1.7 the decision")
    (tmp_path / "generated" / "7" / "9-knd-2-def.pdf.1a2b.part").write_bytes(b"half a PDF")
    return tmp_path


def test_a_dry_run_copies_nothing(media):
    assert "2 file(s) would be copied, 0 already in the database, 0 problem(s)" in run("--dry-run")
    assert not StoredFile.objects.exists()


def test_every_file_is_copied_under_its_name_once_and_the_half_written_one_is_not(media):
    assert "2 file(s) copied, 0 already in the database" in run()
    store = DatabaseStorage()
    for path in ("dossier/7/application/don.pdf", "generated/7/9-knd-1-abc.pdf"):
        data = (media / path).read_bytes()
        assert store.open(path).read() == data
        assert store.sha256(path) == hashlib.sha256(data).hexdigest()
    assert not StoredFile.objects.filter(name__endswith=".part").exists()
    assert (media / "dossier/7/application/don.pdf").exists()  # the disk is left as it was
    assert "0 file(s) copied, 2 already in the database, 0 problem(s)" in run()


def test_a_name_the_database_holds_with_other_content_is_reported_and_left_alone(media):
    DatabaseStorage().save("dossier/7/application/don.pdf", ContentFile(b"another paper"))
    with pytest.raises(CommandError, match="Some files were not copied"):
        run()
    assert DatabaseStorage().open("dossier/7/application/don.pdf").read() == b"another paper"
    assert StoredFile.objects.filter(name="generated/7/9-knd-1-abc.pdf").exists()  # the others went in


def test_a_file_over_the_store_limit_is_reported_and_stays_on_disk(media, settings):
    settings.FILE_STORE_MAX_BYTES = 22  # the application (24 bytes) is over, the decision (21) is not
    with pytest.raises(CommandError):
        run()
    assert not StoredFile.objects.filter(name="dossier/7/application/don.pdf").exists()
    assert StoredFile.objects.filter(name="generated/7/9-knd-1-abc.pdf").exists()
