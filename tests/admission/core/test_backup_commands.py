"""`manage.py backup` and `restore` without PostgreSQL: a clear refusal, never a traceback. (The drill itself:
tests/admission/documents/test_backup_drill.py, on PostgreSQL.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite refusal")
def test_backup_on_sqlite_explains_the_sqlite_way(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"SQLite.*docs/operations.md"):
        call_command("backup", "--out", str(tmp_path / "b.tar"))
    assert not (tmp_path / "b.tar").exists()


def test_restore_of_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(junk), "--no-input")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path / "missing.tar"), "--no-input")
