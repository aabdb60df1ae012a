"""Backup and restore of everything the product keeps (docs/operations.md): the PostgreSQL database (with the
files, when FILE_STORE=database) and, when the files are on the file system, MEDIA_ROOT, in one archive.

The archive is a tar holding
    manifest.json     what was backed up, when, from which store
    database.dump     `pg_dump -Fc` of DATABASES['default']
    media/...         MEDIA_ROOT, only when the file store is the file system
It is written under a temporary name beside --out and moved into place when complete. A restore runs
`pg_restore --clean --if-exists --single-transaction` (all or nothing) and puts the media folder back (the folder it
replaces is kept beside it). SQLite is refused with the SQLite way (copy the file while nothing writes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

FORMAT = 1
DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in a sentence for the operator."""


@dataclass(frozen=True)
class Report:
    archive: Path
    bytes: int
    seconds: float
    media_files: int
    file_store: str


def _require_postgresql(db: Mapping[str, Any]) -> None:
    engine = str(db.get("ENGINE", ""))
    if "postgresql" in engine:
        return
    if "sqlite" in engine:
        raise BackupError(
            "The database is SQLite: these commands back up PostgreSQL only. With SQLite, stop the processes that "
            f"write and copy the database file ({db.get('NAME')}) and MEDIA_ROOT, or use `sqlite3 FILE '.backup "
            "COPY'` (see docs/operations.md)."
        )
    raise BackupError(f"Backups are made of PostgreSQL only, not of {engine}.")


def _pg(db: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The connection arguments and environment of pg_dump/pg_restore for one DATABASES entry."""
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args.append("--no-password")  # never wait for a prompt: PGPASSWORD or ~/.pgpass
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client-15).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def file_store_kind() -> str:
    from django.core.files.storage import default_storage

    from admission.core.files import DatabaseStorage

    return "database" if isinstance(default_storage, DatabaseStorage) else "filesystem"


def backup(out: Path, *, db: Mapping[str, Any], media_root: Path | None, file_store: str) -> Report:
    """Write the archive of the database (and of media_root when the store is the file system) to `out`."""
    _require_postgresql(db)
    started = time.monotonic()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    args, env = _pg(db)
    media_files = 0
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        _run(["pg_dump", "--format=custom", *args, "--file", str(dump), "--dbname", str(db["NAME"])], env)
        with_media = file_store == "filesystem" and media_root is not None
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(),
            "database": str(db["NAME"]),
            "file_store": file_store,
            "media": with_media,
        }
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(time.time())
            archive.addfile(info, fileobj=_bytes(data))
            archive.add(dump, arcname=DUMP)
            if with_media and media_root is not None and media_root.is_dir():
                archive.add(media_root, arcname=MEDIA)
                media_files = sum(1 for path in media_root.rglob("*") if path.is_file())
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, out)
    return Report(out, out.stat().st_size, time.monotonic() - started, media_files, file_store)


def _bytes(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive_path} is not a backup made by `manage.py backup`: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: unknown backup format {manifest.get('format')!r}.")
    return manifest


def restore(archive_path: Path, *, db: Mapping[str, Any], media_root: Path | None) -> Report:
    """Put the database (and the media folder, when the archive has one) back as the archive holds them."""
    _require_postgresql(db)
    started = time.monotonic()
    manifest = read_manifest(archive_path)
    args, env = _pg(db)
    media_files = 0
    with tempfile.TemporaryDirectory(prefix=".restore-") as work, tarfile.open(archive_path, "r") as archive:
        archive.extract(DUMP, work, filter="data")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                str(db["NAME"]),
                str(Path(work) / DUMP),
            ],
            env,
        )
        if manifest.get("media") and media_root is not None:
            media_files = _restore_media(archive, media_root)
    size = archive_path.stat().st_size
    return Report(archive_path, size, time.monotonic() - started, media_files, str(manifest.get("file_store")))


def _restore_media(archive: tarfile.TarFile, media_root: Path) -> int:
    """Unpack media/ beside MEDIA_ROOT, then swap it in; the folder it replaces is kept as MEDIA_ROOT.before-…"""
    media_root = media_root.resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=f".{media_root.name}.restoring-"))
    members = [m for m in archive.getmembers() if m.name == MEDIA or m.name.startswith(MEDIA + "/")]
    archive.extractall(staging, members=members, filter="data")  # "data": no absolute paths, links out or devices
    unpacked = staging / MEDIA
    unpacked.mkdir(exist_ok=True)
    count = sum(1 for path in unpacked.rglob("*") if path.is_file())
    if media_root.exists():
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
    unpacked.rename(media_root)
    staging.rmdir()
    return count
