"""One timer sweep at a time: a second sweep started while one runs leaves without firing anything."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tests.postgres import connect
from workflows.management.commands.timers_sweep import SWEEP_LOCK

pytestmark = pytest.mark.django_db


def test_a_sweep_fires_the_due_timers_and_reports_them():
    out = io.StringIO()
    call_command("timers_sweep", stdout=out)
    assert "timer(s) fired" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks need PostgreSQL")
def test_a_second_sweep_leaves_while_another_holds_the_lock():
    other = connect()
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [SWEEP_LOCK])
        out = io.StringIO()
        call_command("timers_sweep", stdout=out)
        assert "Another timer sweep is running" in out.getvalue()
        other.execute("SELECT pg_advisory_unlock(%s)", [SWEEP_LOCK])
        out = io.StringIO()
        call_command("timers_sweep", stdout=out)
        assert "timer(s) fired" in out.getvalue()
    finally:
        other.close()
