"""A connection of its own to the test database's PostgreSQL server, outside Django's: to create or drop a scratch
database, compare two databases, or hold a lock while the code under test runs."""

from __future__ import annotations

from typing import Any

import psycopg
from django.db import connection


def connect(name: str | None = None) -> psycopg.Connection[Any]:
    """Autocommit, to database `name` (default: the test database) with the test connection's credentials."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=name or db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )
