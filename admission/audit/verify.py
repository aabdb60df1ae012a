"""Recompute the chain and compare it with the records (`manage.py history_verify`).

Two passes:

1. The chain itself, in order: each entry's content must give its hash (else it was edited); each entry must name
   its predecessor's hash (else an entry was deleted, inserted or rewritten: when skipping the previous entry
   restores the link, that entry was inserted); the numbers must run without gaps (else entries were deleted); and
   any head published earlier (`--expect-head N:HASH`, from a dossier's contents page or the daily log line) must
   still be there with the same hash (else the tail was rewritten or cut).
2. The records: every chained record must equal its latest entry (else it was changed outside the application),
   every entry's record must still exist (else it was deleted), and every record that should be chained must have
   an entry (else it was inserted outside the application).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from admission.audit.chain import Head, canonical, chain_head, content_of
from admission.audit.models import GENESIS, HistoryEntry
from admission.audit.sources import Source, sources


@dataclass(frozen=True)
class Finding:
    message: str
    seq: int | None = None
    record: str = ""

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "no entry"
        return f"{where} [{self.record}]: {self.message}" if self.record else f"{where}: {self.message}"


@dataclass
class Report:
    entries: int = 0
    records: int = 0
    head: Head | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _short(value: Any) -> str:
    text = canonical(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _diff(before: dict[str, Any], after: dict[str, Any]) -> str:
    keys = sorted(set(before) | set(after))
    return "; ".join(
        f"{key} {_short(before.get(key))} → {_short(after.get(key))}"
        for key in keys
        if canonical(before.get(key)) != canonical(after.get(key))
    )


def _check_chain(report: Report, expected: dict[int, str]) -> None:
    prev: HistoryEntry | None = None
    before_prev: HistoryEntry | None = None
    seen: set[int] = set()
    for entry in HistoryEntry.objects.order_by("seq").iterator(chunk_size=2000):
        report.entries += 1
        seen.add(entry.seq)
        if content_of(entry).hash_with(entry.prev_hash) != entry.hash:
            report.findings.append(Finding("edited: its content no longer gives its hash", entry.seq, entry.record))
        if prev is None:
            if entry.prev_hash != GENESIS or entry.seq != 1:
                report.findings.append(
                    Finding(f"the entries before it are missing (deleted): #1–#{entry.seq - 1}", entry.seq)
                )
        else:
            gap = entry.seq != prev.seq + 1
            if gap:
                report.findings.append(Finding(f"missing (deleted): #{prev.seq + 1}–#{entry.seq - 1}", prev.seq + 1))
            if entry.prev_hash != prev.hash:
                if before_prev is not None and entry.prev_hash == before_prev.hash:
                    report.findings.append(
                        Finding(
                            f"inserted: #{entry.seq} names #{before_prev.seq} as its predecessor", prev.seq, prev.record
                        )
                    )
                elif not gap:
                    report.findings.append(
                        Finding(
                            f"rewritten or deleted: #{entry.seq} names a predecessor whose hash is not #{prev.seq}'s",
                            prev.seq,
                            prev.record,
                        )
                    )
        wanted = expected.get(entry.seq)
        if wanted is not None and wanted != entry.hash:
            report.findings.append(
                Finding(f"its hash is not the one published ({wanted}): the chain was rewritten", entry.seq)
            )
        before_prev, prev = prev, entry
    for seq, wanted in sorted(expected.items()):
        if seq not in seen:
            report.findings.append(Finding(f"published with hash {wanted}, now missing: the chain was cut", seq))


def _check_source(report: Report, source: Source) -> None:
    try:
        model = source.model()
    except LookupError:  # the app that owns it is not installed
        return
    latest: dict[str, tuple[int, Any]] = {}
    rows = HistoryEntry.objects.filter(record__startswith=f"{source.label}:").order_by("seq")
    for seq, record, data in rows.values_list("seq", "record", "data").iterator(chunk_size=5000):
        latest[record] = (seq, data)
    for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
        report.records += 1
        record = source.record(obj.pk)
        found = latest.pop(record, None)
        if found is None:
            if source.tracked(obj):
                report.findings.append(
                    Finding("this record has no entry (written outside the application)", None, record)
                )
            continue
        seq, data = found
        current = source.data(obj)
        if canonical(data) != canonical(current):
            report.findings.append(Finding(f"the record no longer matches: {_diff(data, current)}", seq, record))
    for record, (seq, _data) in sorted(latest.items(), key=lambda item: item[1][0]):
        report.findings.append(Finding("the record was deleted", seq, record))


def chain_verify(*, expected_heads: Iterable[tuple[int, str]] = ()) -> Report:
    """Check the chain and the records; the report names every entry or record that does not hold."""
    report = Report(head=chain_head())
    _check_chain(report, dict(expected_heads))
    for source in sources():
        _check_source(report, source)
    return report
