"""Appending many history entries at once: `chain_extend` gives the same chain as appending one by one, and
`chain_deferred` (the timer dispatchers' wakes) appends a block's entries at its end, dropping those of a savepoint
that was rolled back and all of them on an error; a partial save of fields an entry does not hold records nothing."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog
from viewflow.workflow.models import Process, Task

from admission.audit.chain import Content, chain_append, chain_extend
from admission.audit.models import GENESIS, HistoryEntry
from admission.audit.sources import chain_deferred
from admission.audit.verify import chain_verify


def _entries():
    return list(HistoryEntry.objects.order_by("seq").values_list("seq", "kind", "record", "prev_hash", "hash"))


def test_a_batch_links_each_entry_to_the_one_before_as_single_appends_do(db):
    chain_append(kind="test", record="x:1", data={"n": 1})
    batch = chain_extend([("test", f"x:{n}", {"n": n}, None, "") for n in (2, 3, 4)])
    rows = _entries()
    assert [seq for seq, *_ in rows] == [1, 2, 3, 4]
    assert rows[0][3] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[3] == before[4]  # each names the previous entry's hash
    for entry in batch:
        content = Content(entry.kind, entry.record, None, "", entry.recorded_at, entry.data)
        assert content.hash_with(entry.prev_hash) == entry.hash
    assert chain_extend([]) == []
    assert chain_verify().ok


def _log(name: str) -> StateLog:
    """A chained record: a state change of some case (the state log)."""
    return StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(StateLog),
        object_id="1",
        transition=name,
        source_state="a",
        state="b",
        description=name,
    )


def _logged(name: str) -> bool:
    return any(data.get("transition") == name for data in HistoryEntry.objects.values_list("data", flat=True))


def test_a_deferred_block_appends_its_entries_at_its_end_in_order(db):
    with transaction.atomic():
        with chain_deferred():
            _log("first")
            _log("second")
            during = HistoryEntry.objects.count()
        after = list(HistoryEntry.objects.order_by("seq").values_list("data", flat=True))
    assert during == 0
    assert [data["transition"] for data in after] == ["first", "second"]
    assert chain_verify().ok


def test_a_deferred_record_saved_twice_is_compared_with_its_pending_entry(db):
    with transaction.atomic(), chain_deferred():
        log = _log("once")
        log.save()  # unchanged: no second entry, although the first is not written yet
        log.description = "changed"
        log.save()
    assert HistoryEntry.objects.filter(record=f"django_fsm_log.statelog:{log.pk}").count() == 2
    assert chain_verify().ok


def test_a_rolled_back_savepoint_leaves_no_entry_and_an_error_leaves_none(db):
    with transaction.atomic(), chain_deferred():
        try:
            with transaction.atomic():
                _log("rolled-back")
                raise RuntimeError("undo this savepoint")
        except RuntimeError:
            pass
        _log("kept")
    assert _logged("kept") and not _logged("rolled-back")

    count = HistoryEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), chain_deferred():
        _log("failed")
        raise RuntimeError("the whole wake fails")
    assert HistoryEntry.objects.count() == count
    assert chain_verify().ok


def test_a_partial_save_of_fields_the_entry_does_not_hold_records_nothing(db):
    from workflows.flows import ProbationFlow

    process = Process.objects.create(flow_class=ProbationFlow)
    task = Task.objects.create(process=process, flow_task=ProbationFlow.tick, status="DONE")
    record = f"viewflow.task:{task.pk}"
    assert HistoryEntry.objects.filter(record=record).count() == 1
    task.data = {"due_on": "2027-01-19"}
    with CaptureQueriesContext(connection) as queries:
        task.save(update_fields=["data"])  # the queue's data: not a key field of the task's entry
    assert len(queries.captured_queries) == 1  # the UPDATE alone: no re-read, no look-up of the latest entry
    task.status = "CANCELED"
    task.save(update_fields=["status"])  # a key field: recorded
    assert HistoryEntry.objects.filter(record=record).count() == 2
    assert chain_verify().ok
