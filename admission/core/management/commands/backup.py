"""`manage.py backup --out FILE`: the database and, with FILE_STORE=filesystem, MEDIA_ROOT in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from admission.core import backup


class Command(BaseCommand):
    help = "Back up the database (and MEDIA_ROOT when files are on the file system) into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="The archive to write (a tar; replaced when complete).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.backup(
                Path(options["out"]),
                db=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
                file_store=backup.file_store_kind(),
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = f", {report.media_files} files of MEDIA_ROOT" if report.file_store == "filesystem" else ""
        self.stdout.write(
            f"{report.archive}: {report.bytes:,} bytes in {report.seconds:.1f} s "
            f"(file store: {report.file_store}{media})"
        )
