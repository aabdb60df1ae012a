"""Where uploaded scans and generated PDFs are kept: a Django storage backend whose files are rows of PostgreSQL
(`StoredFile`), chosen by FILE_STORE=database (config.settings).

Why the database: every web host and worker sees the same files, a file is written in the same transaction as the
record that names it (a rolled-back upload leaves no orphan, a committed one is never half-written), and one
database backup keeps the official record and its scans together (docs/operations.md). Files are bounded by
FILE_STORE_MAX_BYTES (above the upload limits: a complete dossier carries its scans) and read whole into memory.

Names are never overwritten: `Storage.save` asks `get_available_name` first, and two saves racing for one name are
told apart by the unique constraint (the second gets another name). A missing file raises FileNotFoundError, like
the file system, so the views that serve files answer it the same way whatever the store.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

NAME_MAX_LENGTH = 255
_SAVE_ATTEMPTS = 5


class FileTooLarge(ValidationError):
    """A file over FILE_STORE_MAX_BYTES: refused before it reaches the database."""


def max_bytes() -> int:
    return int(settings.FILE_STORE_MAX_BYTES)  # bounded and defaulted in config/settings/base.py


def _missing(name: str) -> FileNotFoundError:
    return FileNotFoundError(errno.ENOENT, "No such file in the database file store", name)


@deconstructible(path="admission.core.files.DatabaseStorage")
class DatabaseStorage(Storage):
    """Files as rows of `admission.core.models.StoredFile`. Read-only once written: open() reads, save() adds."""

    def _model(self) -> Any:
        from admission.core.models import StoredFile  # the app registry is ready by the time a file is touched

        return StoredFile

    # -- reading -------------------------------------------------------------------------------------------------

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wax+"):
            raise ValueError("The database file store opens files for reading only; save a new file instead.")
        content = self._model().objects.filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise _missing(name)
        return ContentFile(bytes(content), name=name)

    def exists(self, name: str) -> bool:
        return bool(name) and self._model().objects.filter(name=name).exists()

    def size(self, name: str) -> int:
        size = self._model().objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise _missing(name)
        return int(size)

    def sha256(self, name: str) -> str:
        checksum = self._model().objects.filter(name=name).values_list("sha256", flat=True).first()
        if checksum is None:
            raise _missing(name)
        return str(checksum)

    def _created(self, name: str) -> datetime:
        created = self._model().objects.filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise _missing(name)
        return created

    def get_created_time(self, name: str) -> datetime:
        return self._created(name)

    def get_modified_time(self, name: str) -> datetime:
        return self._created(name)  # a stored file never changes

    def get_accessed_time(self, name: str) -> datetime:
        return self._created(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = path.strip("/")
        prefix = f"{prefix}/" if prefix else ""
        directories: set[str] = set()
        files: list[str] = []
        names = self._model().objects.filter(name__startswith=prefix).values_list("name", flat=True)
        for name in names.order_by("name").iterator():
            rest = name[len(prefix) :]
            head, slash, _tail = rest.partition("/")
            if slash:
                directories.add(head)
            else:
                files.append(rest)
        return sorted(directories), files

    def url(self, name: str | None) -> str:
        # Files are served by the views that check who may read them (never a public media URL).
        return ""

    # -- writing -------------------------------------------------------------------------------------------------

    def _read_bounded(self, content: File | IO[bytes]) -> bytes:
        limit = max_bytes()
        chunks: list[bytes] = []
        total = 0
        if hasattr(content, "seek"):
            content.seek(0)
        source: Iterable[bytes | str] = (
            content.chunks() if isinstance(content, File) else iter(lambda: content.read(65536), b"")
        )
        for chunk in source:
            data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
            total += len(data)
            if total > limit:
                raise FileTooLarge(
                    _("The file is too large to keep (over %(limit)s).") % {"limit": filesizeformat(limit)}
                )
            chunks.append(data)
        return b"".join(chunks)

    def _save(self, name: str, content: Any) -> str:
        data = self._read_bounded(content)
        checksum = hashlib.sha256(data).hexdigest()
        model = self._model()
        name = name.replace("\\", "/")
        for _attempt in range(_SAVE_ATTEMPTS):
            try:
                with transaction.atomic():  # a savepoint inside the caller's transaction: the clash is recoverable
                    model.objects.create(name=name, content=data, size=len(data), sha256=checksum)
                return name
            except IntegrityError:  # another save took the name since get_available_name looked
                name = self.get_available_name(name, max_length=NAME_MAX_LENGTH)
        raise FileExistsError(errno.EEXIST, "No free name in the database file store", name)

    def delete(self, name: str) -> None:
        if not name:
            raise ValueError("The name must be given to delete the file.")
        self._model().objects.filter(name=name).delete()


def names_present(storage: Storage, names: Iterable[str]) -> set[str]:
    """Which of these names the store holds: one query on the database store, one look per name elsewhere."""
    wanted = {name for name in names if name}
    if isinstance(storage, DatabaseStorage):
        from admission.core.models import StoredFile

        return set(StoredFile.objects.filter(name__in=wanted).values_list("name", flat=True))
    return {name for name in wanted if storage.exists(name)}


def open_or_none(file: Any) -> File | None:
    """A stored file (a FieldFile) opened for reading, or None when the record names none or the store lost it."""
    if not file or not file.name:
        return None
    try:
        if not file.storage.exists(file.name):
            return None
        file.open("rb")
    except OSError:  # gone between the look and the read, or unreadable
        return None
    return file


def missing_file_response(request: HttpRequest, message: str, *, back_url: str = "") -> TemplateResponse:
    """The page a reader gets when a file the record names is not in the store: what happened and where to go, with
    404 (never a server error)."""
    return TemplateResponse(
        request, "admission/file_missing.html", {"message": message, "back_url": back_url}, status=404
    )
