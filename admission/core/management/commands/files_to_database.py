"""`manage.py files_to_database`: copy the files under MEDIA_ROOT into the database file store, before switching
FILE_STORE from `filesystem` to `database` (docs/operations.md).

Each file keeps its name (the records name their files by it), so nothing else changes. A name the database already
holds is left alone when its content is the same, and reported when it differs; a file over FILE_STORE_MAX_BYTES is
reported and left on disk. Each file is copied in its own transaction and checked (SHA-256) once stored. Running it
twice copies nothing the second time. `--dry-run` says what it would do. The files on disk are never deleted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from admission.core.files import DatabaseStorage, FileTooLarge
from admission.core.models import StoredFile

# Left behind by an interrupted write (admission.documents.generation): never a file of record.
SKIPPED_SUFFIXES = (".part",)


class Command(BaseCommand):
    help = "Copy the files under MEDIA_ROOT into the database file store (same names), checked by SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be copied; copy nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"MEDIA_ROOT ({root}) is not a folder: nothing to copy.")
        store = DatabaseStorage()
        copied = same = 0
        problems: list[str] = []
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(SKIPPED_SUFFIXES)):
            name = path.relative_to(root).as_posix()
            checksum = _sha256(path)
            held = StoredFile.objects.filter(name=name).values_list("sha256", flat=True).first()
            if held is not None:
                if held == checksum:
                    same += 1
                else:
                    problems.append(f"{name}: the database holds another file under this name (left as it is)")
                continue
            if options["dry_run"]:
                copied += 1
                continue
            try:
                with transaction.atomic(), path.open("rb") as handle:
                    stored = store.save(name, File(handle, name=name))
                    if stored != name or store.sha256(stored) != checksum:
                        raise CommandError(f"{name}: the stored copy does not match the file on disk")
            except FileTooLarge as exc:
                problems.append(f"{name}: {' '.join(exc.messages)}")
                continue
            copied += 1
        verb = "would be copied" if options["dry_run"] else "copied"
        self.stdout.write(f"{copied} file(s) {verb}, {same} already in the database, {len(problems)} problem(s).")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError("Some files were not copied: see above. Switch FILE_STORE only once none is left.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
