"""The database file store (admission.core.files): what a Django storage must do, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from admission.core.files import DatabaseStorage, FileTooLarge, names_present
from admission.core.models import StoredFile
from config.env import file_storage
from tests.conftest import restore_migration_seed
from tests.filestore import database_store  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_store")]


def test_the_setting_selects_the_database_store() -> None:
    assert isinstance(default_storage, DatabaseStorage)


def test_a_saved_file_reads_back_with_its_size_checksum_and_time() -> None:
    data = b"%PDF-1.7 scan " * 100
    name = default_storage.save("dossier/7/application/don.pdf", ContentFile(data))
    assert name == "dossier/7/application/don.pdf"
    assert default_storage.exists(name) and default_storage.size(name) == len(data)
    with default_storage.open(name) as handle:
        assert handle.read() == data
    row = StoredFile.objects.get(name=name)
    assert row.sha256 == hashlib.sha256(data).hexdigest() and bytes(row.content) == data
    assert default_storage.get_modified_time(name) == row.created_at
    assert default_storage.url(name) == ""  # served by the views that check who reads, never a public URL


def test_a_name_is_never_overwritten() -> None:
    first = default_storage.save("generated/1/a.pdf", ContentFile(b"one"))
    second = default_storage.save("generated/1/a.pdf", ContentFile(b"two"))
    assert first == "generated/1/a.pdf" and second != first and second.startswith("generated/1/a_")
    assert default_storage.open(first).read() == b"one" and default_storage.open(second).read() == b"two"


def test_a_save_that_lost_the_race_for_a_name_takes_another() -> None:
    default_storage.save("generated/1/race.pdf", ContentFile(b"first"))
    # As if the other save had committed after this one looked for a free name: straight to the insert, which clashes.
    with transaction.atomic():
        name = DatabaseStorage()._save("generated/1/race.pdf", ContentFile(b"second"))
    assert name != "generated/1/race.pdf" and StoredFile.objects.count() == 2
    assert bytes(StoredFile.objects.get(name="generated/1/race.pdf").content) == b"first"


def test_a_missing_file_is_file_not_found_like_on_a_disk() -> None:
    with pytest.raises(FileNotFoundError):
        default_storage.open("dossier/nothing.pdf")
    with pytest.raises(FileNotFoundError):
        default_storage.size("dossier/nothing.pdf")
    assert not default_storage.exists("dossier/nothing.pdf") and not default_storage.exists("")


def test_files_are_read_only_once_stored() -> None:
    name = default_storage.save("x.pdf", ContentFile(b"x"))
    with pytest.raises(ValueError):
        default_storage.open(name, "wb")


def test_delete_and_listdir() -> None:
    for name in ("generated/1/a.pdf", "generated/1/b.pdf", "generated/2/c.pdf", "generated/top.pdf", "other.pdf"):
        default_storage.save(name, ContentFile(b"x"))
    assert default_storage.listdir("generated") == (["1", "2"], ["top.pdf"])
    assert default_storage.listdir("generated/1/") == ([], ["a.pdf", "b.pdf"])
    assert default_storage.listdir("") == (["generated"], ["other.pdf"])
    default_storage.delete("generated/1/a.pdf")
    default_storage.delete("generated/1/a.pdf")  # deleting what is gone is no error, as on a disk
    assert not default_storage.exists("generated/1/a.pdf")
    assert names_present(default_storage, ["generated/1/a.pdf", "generated/1/b.pdf", ""]) == {"generated/1/b.pdf"}


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(settings) -> None:
    settings.FILE_STORE_MAX_BYTES = 1000
    with pytest.raises(FileTooLarge):
        default_storage.save("big.pdf", ContentFile(b"x" * 1001))
    assert not StoredFile.objects.exists()
    assert default_storage.save("fits.pdf", ContentFile(b"x" * 1000)) == "fits.pdf"


def test_a_path_outside_the_store_is_refused() -> None:
    from django.core.exceptions import SuspiciousFileOperation

    with pytest.raises(SuspiciousFileOperation):
        default_storage.save("../etc/passwd", ContentFile(b"x"))


def test_a_file_saved_in_a_rolled_back_transaction_is_gone_with_it() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        default_storage.save("dossier/1/rolled-back.pdf", ContentFile(b"x"))
        raise RuntimeError
    assert not default_storage.exists("dossier/1/rolled-back.pdf")


def test_a_scan_uploaded_through_a_model_lands_in_the_database(world) -> None:
    from admission.sourcing.models.training import AwarenessCertificate
    from tests.factories import PersonFactory

    certificate = AwarenessCertificate.objects.create(
        person=PersonFactory(), number="1/CN", issued_on="2025-10-10", issuer="TTCT"
    )
    certificate.scan.save("cn.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    certificate.refresh_from_db()
    assert StoredFile.objects.filter(name=certificate.scan.name).exists()
    assert certificate.scan.open("rb").read() == b"\x89PNG\r\n\x1a\n"


def test_file_store_names_a_backend_or_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FILE_STORE", raising=False)
    assert file_storage("filesystem").endswith("FileSystemStorage")
    assert file_storage("database") == "admission.core.files.DatabaseStorage"
    monkeypatch.setenv("FILE_STORE", "Database")
    assert file_storage("filesystem") == "admission.core.files.DatabaseStorage"
    monkeypatch.setenv("FILE_STORE", "s3")
    with pytest.raises(ImproperlyConfigured):
        file_storage("filesystem")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_hosts_saving_one_name_at_once_keep_both_files() -> None:
    """Two connections (two web hosts) save the same name at the same moment: both files are kept, under two names."""
    from django.db import connections

    barrier = threading.Barrier(2)
    names: list[str] = []
    errors: list[BaseException] = []

    def save(data: bytes) -> None:
        try:
            storage = DatabaseStorage()
            barrier.wait()
            names.append(storage.save("generated/9/same.pdf", ContentFile(data)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(data,)) for data in (b"one", b"two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert not errors and len(set(names)) == 2
        assert sorted(bytes(c) for c in StoredFile.objects.values_list("content", flat=True)) == [b"one", b"two"]
    finally:
        StoredFile.objects.all().delete()
        restore_migration_seed()
