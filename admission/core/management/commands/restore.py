"""`manage.py restore FILE`: put back what `manage.py backup` archived (the database, and MEDIA_ROOT if it holds
it). Replaces the current data: asks first unless --no-input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from admission.core import backup


class Command(BaseCommand):
    help = "Restore the database (and MEDIA_ROOT if the archive holds it) from an archive made by `backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="An archive made by `manage.py backup`.")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        db = settings.DATABASES["default"]
        try:
            manifest = backup.read_manifest(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if manifest.get("file_store") != backup.file_store_kind():
            self.stderr.write(
                f"Note: the archive was made with FILE_STORE={manifest.get('file_store')}, this process runs with "
                f"FILE_STORE={backup.file_store_kind()}."
            )
        if options["interactive"]:
            answer = input(
                f"This replaces the data of database {db.get('NAME')!r}"
                + (f" and the folder {settings.MEDIA_ROOT}" if manifest.get("media") else "")
                + f" with the backup of {manifest.get('made_at')}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            report = backup.restore(path, db=db, media_root=Path(settings.MEDIA_ROOT))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = f"; {report.media_files} files put back in MEDIA_ROOT" if manifest.get("media") else ""
        self.stdout.write(f"Restored {path} ({manifest.get('made_at')}) in {report.seconds:.1f} s{media}.")
