"""Helpers shared by the probation tests (services, screens, API) and by other folders' tests: the dates of the
standard probation (decision 01/08/2025, ceremony 15/08/2025, end 15/08/2026), a probationer opened through
`ceremony_hold`, a complete recognition dossier, the cell's recognition vote, and for the screens the frozen day,
the page addresses and an English login.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.urls import reverse

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.services.meetings import cell_meeting_record
from admission.party.models.people import Membership
from admission.probation.models import Probation
from admission.probation.services import (
    ceremony_hold,
    course_certificate_record,
    helper_comment_record,
    opinions_record,
    recognition_vote_record,
    self_review_record,
)
from admission.rules.models.rulesets import RuleSet
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor
from tests.factories import PersonFactory

D = datetime.date
DECIDED = D(2025, 8, 1)  # the admission decision (294-QĐ/TW in force)
CEREMONY = D(2025, 8, 15)  # a Friday
END = D(2026, 8, 15)  # twelve months later: the official date


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 3, 0, tzinfo=datetime.UTC), tick=False)


def probationer(world, *, cell=None, secretary=None, decided_on=DECIDED, ceremony_on=CEREMONY, sourcing_mentor=False):
    """An admitted case (decision recorded) whose ceremony is recorded through `ceremony_hold`."""
    cell = cell or world.village_cell
    secretary = secretary or world.secretary
    person = PersonFactory()
    opened = decided_on - timedelta(days=200)
    case = Candidate.objects.create(
        code=f"KN-T-{person.pk:06d}",
        person=person,
        cell=cell,
        rule_set=RuleSet.in_force_on(opened),
        state=CandidateState.ADMITTED,
        opened_on=opened,
        nominated_by="cell",
        nominated_on=opened,
    )
    ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind="decision",
        org=world.commune,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number="1-QĐ/ĐU",
        document_date=decided_on,
        received_on=decided_on,
        done_on=decided_on,
    )
    officials = list(Membership.objects.filter(cell=cell).official_on(ceremony_on)[:2])
    if sourcing_mentor:
        Mentor.objects.create(candidate=case, member=officials[1], assigned_on=opened)
    with at(ceremony_on):
        ceremony = ceremony_hold(
            candidate=case,
            held_on=ceremony_on,
            decision_read_by="Bí thư chi bộ",
            mentors=officials[:1],
            late_consent_ref="5-CV/ĐU",
            by=secretary,
        )
    return ceremony.probation


def complete_dossier(probation, by, on=None):
    day = on or probation.ends_on - timedelta(days=20)
    with at(day):
        course_certificate_record(
            probation=probation, number="88/CN", issued_on=day, issuer="Trung tâm chính trị huyện", by=by
        )
        self_review_record(probation=probation, written_on=day, strengths="Hoàn thành tốt nhiệm vụ.", by=by)
        helper_comment_record(
            probation=probation,
            mentor=probation.helpers().filter(ended_on__isnull=True).first(),
            written_on=day,
            assessment="Đủ tư cách.",
            recommends_recognition=True,
            by=by,
        )
        opinions_record(
            probation=probation,
            compiled_on=day,
            residence_cell="Chi bộ thôn Nà Sa",
            residence_opinion="Đồng ý đề nghị công nhận.",
            by=by,
        )


def cell_vote(probation, secretary, on, votes_for, votes_against=0, **kw):
    cell = probation.candidate.cell
    present = set(Membership.objects.filter(cell=cell).active_on(on).values_list("pk", flat=True))
    with at(on):
        meeting = cell_meeting_record(
            cell=cell, held_on=on, purpose="recognition", present=present, absence_reasons={}, by=secretary
        )
        return recognition_vote_record(
            probation=probation,
            meeting=meeting,
            votes_for=votes_for,
            votes_against=votes_against,
            by=secretary,
            **kw,
        )


# The screens' tests: today is frozen on 15/06/2026 (the `frozen_today` fixture) unless a test travels elsewhere.
TODAY = D(2026, 6, 15)


def u(name: str, probation: Probation, *args: Any) -> str:
    return reverse(f"admission:candidates:{name}", args=[probation.candidate_id, *args])


def login(client, user):
    """Log in, reading the screens in English (the msgids): the assertions do not depend on the translations."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
