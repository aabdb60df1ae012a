"""The entry point: `seed_demo()` builds (or finds) the whole demo province in one transaction."""

from __future__ import annotations

from django.db import transaction

from demo.province.logins import LOGINS, build_login
from demo.province.orgs import (
    build_authorities,
    build_dissolutions,
    build_orgs,
)
from demo.province.people import build_people, build_rosters
from demo.province.planning import plan_people
from demo.province.report import SeedReport


def seed_demo() -> SeedReport:
    """Build (or find) the whole demo province in one transaction; returns what was created and the logins."""
    report = SeedReport()
    plan = plan_people()
    with transaction.atomic():
        orgs = build_orgs(report)
        build_authorities(orgs, report)
        people = build_rosters(orgs, plan, report)
        build_dissolutions(orgs, report)
        candidate = build_people([plan.candidate], report)[plan.candidate.citizen_id]
        report.logins = [build_login(spec, orgs, people, candidate, report) for spec in LOGINS]
    return report
