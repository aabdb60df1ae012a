"""The tamper-evident history: every state change, task, meeting, vote, decision, consent and delegation is one entry
of a hash chain written in the record's transaction; entries cannot be changed through the application (nor in SQL
on PostgreSQL); `manage.py history_verify` names each edited, deleted or inserted entry and each record that no
longer matches its entry — for each kind of tampering the issue found undetected."""

from __future__ import annotations

import datetime
import io
import itertools
import logging
import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, models, transaction
from django_fsm_log.models import StateLog

from admission.audit.chain import Content, chain_append, chain_head
from admission.audit.models import GENESIS, AppendOnlyError, HistoryEntry
from admission.audit.verify import chain_verify
from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.models.meetings import Vote
from admission.decisions.services.decisions import consent_record
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.consents import Consent, ConsentKind
from notifications.services import delegation_create, delegation_revoke
from tests.admission.audit.helpers import assert_history_holds
from tests.conftest import restore_migration_seed
from tests.factories import MembershipFactory, UserFactory
from tests.workflows import test_admission_flow as flow

D = datetime.date
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@pytest.fixture
def decided(world):
    """A case of the village cell: its sourcing steps, the cell's vote (6-KNĐ) and the commune's decision (9-KNĐ)."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    case = flow.open_case(world, world.village_cell, world.secretary)
    with flow.at(flow.MEETING):
        flow.run(case, "cell_vote", world.secretary, flow.vote_data(world.village_cell, 5))
    with flow.at(D(2026, 4, 1)):
        data = flow.step_data(case, on=D(2026, 4, 1), document_number="15-QĐ/ĐU")
        flow.run(case, "chain_step", world.approver, data)
    case.refresh_from_db()
    return case


def decision_of(case):
    return ChainStepRecord.objects.get(candidate=case, form="9-KNĐ")


def logs_of(case):
    return StateLog.objects.for_(case).order_by("timestamp", "pk")


def entry_for(obj, label):
    return HistoryEntry.objects.filter(record=f"{label}:{obj.pk}").order_by("-seq").first()


def findings(**kwargs):
    return [str(f) for f in chain_verify(**kwargs).findings]


@contextmanager
def as_database_owner():
    """What someone with the database's credentials can do: on PostgreSQL, switch the triggers off for the session
    (a superuser's `session_replication_role`), then write plain SQL past the application's guards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            yield models.QuerySet(HistoryEntry)  # a plain queryset: not the append-only one
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


# ------------------------------------------------------------------------------------------------------------------
# What is written
# ------------------------------------------------------------------------------------------------------------------


def test_every_state_change_task_meeting_vote_and_decision_of_a_case_is_one_entry_of_the_chain(decided, world):
    kinds = set(HistoryEntry.objects.values_list("kind", flat=True))
    assert {"state", "task", "meeting", "vote", "decision"} <= kinds
    decision = decision_of(decided)
    entry = entry_for(decision, "admission.chainsteprecord")
    assert entry.actor_id == world.approver.pk and entry.actor_name == "approver"
    assert entry.data["document_number"] == "15-QĐ/ĐU" and entry.data["status"] == StepStatus.DONE
    assert entry_for(logs_of(decided).first(), "django_fsm_log.statelog").data["transition"] == "list_as_sympathiser"
    # A pending step of the chain is a plan, not a decision: only the done steps are entries.
    assert not HistoryEntry.objects.filter(data__status=StepStatus.PENDING).exists()
    assert_history_holds()


def test_consents_and_delegations_are_entries_too_and_a_revocation_is_a_new_entry(decided, world):
    with flow.at(D(2026, 4, 2)):
        consent = consent_record(
            candidate=decided,
            kind=ConsentKind.POLITICAL,
            reference="12-CV/TU",
            granted_on=D(2026, 4, 2),
            granted_by="Ban Thường vụ Tỉnh ủy",
            by=world.secretary,
        )
        deputy = UserFactory(username="deputy")
        delegation = delegation_create(
            from_user=world.approver,
            to_user=deputy,
            org=world.commune,
            starts_on=D(2026, 4, 2),
            ends_on=D(2026, 4, 20),
            reason="Đi công tác",
            by=world.approver,
        )
        delegation_revoke(delegation=delegation, by=world.approver)
    assert entry_for(consent, "admission.consent").data["reference"] == "12-CV/TU"
    rows = HistoryEntry.objects.filter(record=f"admission.delegation:{delegation.pk}").order_by("seq")
    assert [row.data["revoked_at"] is None for row in rows] == [True, False]
    assert_history_holds()


def test_a_write_that_is_rolled_back_leaves_no_entry(decided, world):
    head = chain_head()
    with pytest.raises(RuntimeError), transaction.atomic():
        Consent.objects.create(
            candidate=decided, kind=ConsentKind.OVER_AGE, reference="1", granted_on=D(2026, 4, 2), granted_by="x"
        )
        assert chain_head().seq == head.seq + 1
        raise RuntimeError
    assert chain_head() == head


def test_saving_a_record_without_changing_it_adds_no_entry(decided):
    before = HistoryEntry.objects.count()
    decision = decision_of(decided)
    decision.save()
    Vote.objects.get(candidate=decided).save()
    assert HistoryEntry.objects.count() == before


def test_each_entry_hashes_its_content_with_the_previous_hash(decided):
    entries = list(HistoryEntry.objects.order_by("seq"))
    assert entries[0].seq == 1 and entries[0].prev_hash == GENESIS
    for before, entry in itertools.pairwise(entries):
        assert entry.seq == before.seq + 1 and entry.prev_hash == before.hash
        content = Content(entry.kind, entry.record, entry.actor_id, entry.actor_name, entry.recorded_at, entry.data)
        assert content.hash_with(entry.prev_hash) == entry.hash


# ------------------------------------------------------------------------------------------------------------------
# Append-only
# ------------------------------------------------------------------------------------------------------------------


def test_the_application_cannot_change_or_remove_an_entry(decided):
    entry = HistoryEntry.objects.first()
    entry.kind = "edited"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.filter(pk=entry.pk).update(kind="edited")
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.all().delete()
    assert HistoryEntry.objects.get(pk=entry.pk).kind != "edited"


@on_postgresql
def test_postgresql_refuses_update_and_delete_of_an_entry_in_plain_sql(decided):
    table = HistoryEntry._meta.db_table
    for sql in (f"UPDATE {table} SET kind = 'edited'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert not HistoryEntry.objects.filter(kind="edited").exists() and HistoryEntry.objects.exists()


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep what migrations seed, as the race tests do
def test_two_writers_at_once_never_fork_the_chain():
    restore_migration_seed()

    def write(n):
        try:
            for i in range(15):
                with transaction.atomic():
                    chain_append(kind="test", record=f"test.thread:{n}-{i}", data={"i": i})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = list(HistoryEntry.objects.filter(kind="test").values_list("seq", flat=True))
    assert len(seqs) == 45
    assert findings() == []


# ------------------------------------------------------------------------------------------------------------------
# history_verify
# ------------------------------------------------------------------------------------------------------------------


def test_history_verify_passes_prints_the_head_and_logs_it_when_asked(decided, caplog):
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="ketnap.history"):
        call_command("history_verify", "--log-head", stdout=out)
    head = chain_head()
    assert f"OK: history head #{head.seq} {head.hash}" in out.getvalue()
    assert f"history head #{head.seq} {head.hash}" in caplog.text and "verified" in caplog.text
    call_command("history_verify", f"--expect-head={head.seq}:{head.hash}", stdout=io.StringIO())


def test_history_verify_fails_naming_each_problem(decided):
    Vote.objects.filter(candidate=decided).update(votes_for=6)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command("history_verify", stdout=io.StringIO(), stderr=err)
    vote = Vote.objects.get(candidate=decided)
    assert f"[admission.vote:{vote.pk}]: the record no longer matches: votes_for 5 → 6" in err.getvalue()


# The tampering the issue found undetected, done as an attacker with SQL access would: past the application.


def test_the_actor_of_a_decision_changed_to_another_cells_secretary_is_named(decided, world):
    decision = decision_of(decided)
    ChainStepRecord.objects.filter(pk=decision.pk).update(done_by=world.outsider)
    entry = entry_for(decision, "admission.chainsteprecord")
    assert findings() == [
        f"entry #{entry.seq} [admission.chainsteprecord:{decision.pk}]: the record no longer matches: "
        f"done_by {world.approver.pk} → {world.outsider.pk}"
    ]


def test_a_decision_moved_back_forty_days_is_named(decided):
    decision = decision_of(decided)
    earlier = decision.document_date - datetime.timedelta(days=40)
    ChainStepRecord.objects.filter(pk=decision.pk).update(document_date=earlier, done_on=earlier)
    [problem] = findings()
    assert f"[admission.chainsteprecord:{decision.pk}]" in problem
    assert 'document_date "2026-04-01" → "2026-02-20"' in problem and 'done_on "2026-04-01" → "2026-02-20"' in problem


def test_a_transition_moved_in_time_or_rewritten_is_named(decided):
    log = logs_of(decided).last()
    StateLog.objects.filter(pk=log.pk).update(
        timestamp=log.timestamp - datetime.timedelta(days=40), description="Quyết định khác"
    )
    [problem] = findings()
    assert f"[django_fsm_log.statelog:{log.pk}]" in problem
    assert "description" in problem and "Quyết định khác" in problem and "timestamp" in problem


def test_the_first_transition_deleted_is_named(decided):
    first = logs_of(decided).first()
    entry = entry_for(first, "django_fsm_log.statelog")
    StateLog.objects.filter(pk=first.pk).delete()
    assert findings() == [f"entry #{entry.seq} [django_fsm_log.statelog:{first.pk}]: the record was deleted"]


def test_a_vote_count_changed_is_named(decided):
    vote = Vote.objects.get(candidate=decided)
    Vote.objects.filter(pk=vote.pk).update(votes_for=vote.votes_for + 1, passed=True)
    [problem] = findings()
    assert f"[admission.vote:{vote.pk}]: the record no longer matches: votes_for 5 → 6" in problem


def test_a_record_written_outside_the_application_is_named(decided, world):
    [forged] = StateLog.objects.bulk_create(  # bulk_create, like SQL, sends no signal
        [StateLog(content_object=decided, transition="admit", source_state="proposed", state="admitted")]
    )
    assert findings() == [
        f"no entry [django_fsm_log.statelog:{forged.pk}]: this record has no entry (written outside the application)"
    ]


def test_an_entry_edited_in_the_database_is_named(decided):
    entry = HistoryEntry.objects.filter(kind="vote").first()
    with as_database_owner() as entries:
        entries.filter(pk=entry.pk).update(data={**entry.data, "votes_for": 6})
    problems = findings()
    assert f"entry #{entry.seq} [{entry.record}]: edited: its content no longer gives its hash" in problems


def test_an_entry_deleted_in_the_database_is_named(decided):
    entry = HistoryEntry.objects.filter(kind="vote").first()
    with as_database_owner() as entries:
        entries.filter(pk=entry.pk).delete()
    problems = findings()
    assert f"entry #{entry.seq}: missing (deleted): #{entry.seq}–#{entry.seq}" in problems
    assert f"no entry [{entry.record}]: this record has no entry (written outside the application)" in problems


def test_an_entry_inserted_in_the_middle_is_named_even_with_a_well_made_hash(decided):
    after = HistoryEntry.objects.get(seq=3)
    with as_database_owner() as entries:
        # Make room after #3 (in two moves: the numbers are unique), then insert an entry hashed as the code would.
        entries.filter(seq__gt=3).update(seq=models.F("seq") + 1_000_000)
        entries.filter(seq__gt=1_000_000).update(seq=models.F("seq") - 999_999)
        content = Content("state", "django_fsm_log.statelog:999", None, "", after.recorded_at, {"state": "admitted"})
        entries.create(
            seq=4,
            recorded_at=content.recorded_at,
            kind=content.kind,
            record=content.record,
            actor_name="",
            data=content.data,
            prev_hash=after.hash,
            hash=content.hash_with(after.hash),
        )
    problems = findings()
    assert "entry #4 [django_fsm_log.statelog:999]: inserted: #5 names #3 as its predecessor" in problems
    assert "entry #4 [django_fsm_log.statelog:999]: the record was deleted" in problems


def test_a_tail_rewritten_consistently_is_caught_by_the_head_published_earlier(decided):
    published = chain_head()
    last = HistoryEntry.objects.get(seq=published.seq)
    content = Content(last.kind, last.record, None, "", last.recorded_at, {**last.data, "note": "khác"})
    with as_database_owner() as entries:
        entries.filter(pk=last.pk).update(
            data=content.data, actor_id=None, actor_name="", hash=content.hash_with(last.prev_hash)
        )
    expected = [(published.seq, published.hash)]
    assert any(
        f"entry #{published.seq}: its hash is not the one published ({published.hash})" in p
        for p in findings(expected_heads=expected)
    )
    with pytest.raises(CommandError):
        call_command(
            "history_verify",
            f"--expect-head={published.seq}:{published.hash}",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_a_chain_cut_after_a_published_head_is_named(decided):
    published = chain_head()
    with as_database_owner() as entries:
        entries.filter(seq=published.seq).delete()
    assert any(
        f"entry #{published.seq}: published with hash {published.hash}, now missing: the chain was cut" == p
        for p in findings(expected_heads=[(published.seq, published.hash)])
    )


def test_the_case_page_history_and_the_chain_agree_on_a_refusal(world):
    """A refusal is saved (not bulk-updated), so the refused step is an entry and the chain still holds."""
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    case = flow.open_case(world, world.village_cell, world.secretary)
    with flow.at(flow.MEETING):
        flow.run(case, "cell_vote", world.secretary, flow.vote_data(world.village_cell, 6))
    with flow.at(D(2026, 3, 10)):
        data = flow.step_data(case, on=D(2026, 3, 10), outcome="refuse", note="Chưa đủ")
        flow.run(case, "chain_step", world.approver, data)
    refused = ChainStepRecord.objects.get(candidate=case, status=StepStatus.REFUSED)
    assert entry_for(refused, "admission.chainsteprecord").data["note"] == "Chưa đủ"
    assert Candidate.objects.get(pk=case.pk).state == "not_admitted"
    assert_history_holds()


def test_records_written_before_the_chain_existed_are_chained_once_by_the_upgrade(decided):
    from django.apps import apps

    from admission.audit.backfill import backfill

    [older] = StateLog.objects.bulk_create(
        [StateLog(content_object=decided, transition="admit", source_state="proposed", state="admitted")]
    )
    assert len(findings()) == 1
    assert backfill(apps) == 1  # what migration 0012 runs on a database of the previous release
    assert backfill(apps) == 0
    assert entry_for(older, "django_fsm_log.statelog").data["transition"] == "admit"
    assert findings() == []
