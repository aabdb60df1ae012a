"""The restore drill (docs/operations.md): a case with a scan and a generated document made by the real services,
backed up with `manage.py backup`, restored with `manage.py restore`'s code into a new database: every table has the
same number of rows and every file the same SHA-256. On both file stores; PostgreSQL only (pg_dump/pg_restore)."""

from __future__ import annotations

import hashlib
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from admission.core import backup
from admission.documents import services
from admission.documents.models import DocumentStatus
from tests.conftest import restore_migration_seed
from tests.filestore import use_store
from tests.postgres import connect

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the drill runs pg_dump/pg_restore: PostgreSQL only"),
]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _row_counts(conn: Any) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def _stored_hashes(conn: Any) -> dict[str, str]:
    rows = conn.execute("SELECT name, encode(sha256(content), 'hex'), sha256 FROM core_storedfile").fetchall()
    assert all(computed == recorded for _name, computed, recorded in rows)
    return {name: computed for name, computed, _recorded in rows}


def _tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def fresh_database():
    """An empty database beside the test database (names start with "hfiles"), dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"hfiles_drill_{os.getpid()}"
    with connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**db, "NAME": name}
    with connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    restore_migration_seed()


def _case_with_files(decided_case: Any) -> None:
    """A scan on the application and a 6-KNĐ made by the worker (the immediate backend) and stored."""
    decided_case.application.scan.save("don.png", ContentFile(PNG), save=True)
    document = services.document_request(candidate=decided_case, form_code="6-KNĐ", by=None)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error


@pytest.mark.parametrize("kind", ["database", "filesystem"])
def test_a_backup_restored_into_a_new_database_has_every_row_and_file(
    kind: str, settings: Any, tmp_path: Path, decided_case: Any, fresh_database: dict[str, Any]
) -> None:
    use_store(settings, tmp_path, kind)
    _case_with_files(decided_case)
    archive = tmp_path / "drill.tar"
    out = StringIO()
    call_command("backup", "--out", str(archive), stdout=out)
    print(f"\n[{kind}] backup: {out.getvalue().strip()}")  # the size and time, for docs/operations.md

    restored_media = tmp_path / "restored-media"
    report = backup.restore(archive, db=fresh_database, media_root=restored_media)
    print(f"[{kind}] restore: {report.seconds:.2f} s, {report.media_files} media files")

    db = settings.DATABASES["default"]
    with connect(db["NAME"]) as source, connect(fresh_database["NAME"]) as copy:
        counts = _row_counts(source)
        assert counts["admission_candidate"] >= 1 and counts["documents_generateddocument"] >= 1
        assert _row_counts(copy) == counts
        if kind == "database":
            files = _stored_hashes(source)
            assert len(files) >= 2 and _stored_hashes(copy) == files
            checksums = dict(copy.execute("SELECT file, checksum FROM documents_generateddocument WHERE file <> ''"))
            assert all(files[name] == checksum for name, checksum in checksums.items())
    if kind == "filesystem":
        files = _tree_hashes(Path(settings.MEDIA_ROOT))
        assert len(files) >= 2 and _tree_hashes(restored_media) == files
        assert report.media_files == len(files)
