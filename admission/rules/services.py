"""Rule-set versions: copying one into a new draft, locking one once a case relies on it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from admission.core.request_cache import per_request
from admission.rules.models.rulesets import RuleSet, RuleSetStatus


@transaction.atomic
def ruleset_copy(*, source: RuleSet) -> RuleSet:
    """A new draft with every value and child row of `source`, to be edited into the next version."""
    children: list[list[Any]] = [
        list(source.vote_rules.all()),
        list(source.deadline_rules.all()),
        list(source.validity_rules.all()),
    ]
    latest = RuleSet.objects.order_by("-effective_from").values_list("effective_from", flat=True).first()
    copy = RuleSet.objects.get(pk=source.pk)
    copy.pk = None
    copy.id = None
    copy.code = f"{source.code} (bản sao {RuleSet.objects.count() + 1})"
    copy.status = RuleSetStatus.DRAFT
    copy.locked = False
    copy.effective_from = date((latest or source.effective_from).year + 50, 1, 1)  # unique placeholder, edit it
    copy.save()
    for rows in children:
        for row in rows:
            row.pk = None
            row.id = None
            row.rule_set = copy
            row.save()
    return copy


def ruleset_lock(*, rule_set: RuleSet) -> None:
    if not rule_set.locked:
        RuleSet.objects.filter(pk=rule_set.pk).update(locked=True)
        rule_set.locked = True


def ruleset_for_step(*, case_rule_set: RuleSet, step_on: date) -> RuleSet:
    """The rule set that governs a step taken on `step_on` in a case that snapshotted `case_rule_set`.

    The snapshot governs, unless a later published version says it applies to open cases and is in force on the
    step's date (a transitional provision).
    """

    # The published versions that reach open cases, newest first: read once per request (a handful of rows), and
    # one instance each, whose rule rows are then read once too; a write to the rules spoils the request memory.
    reaching = per_request(
        "rulesets_for_open_cases",
        lambda: list(
            RuleSet.objects.exclude(status=RuleSetStatus.DRAFT)
            .filter(applies_to_open_cases=True)
            .order_by("-effective_from", "-pk")
        ),
    )
    later = next((rs for rs in reaching if case_rule_set.effective_from < rs.effective_from <= step_on), None)
    return later or case_rule_set
