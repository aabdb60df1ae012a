"""Which cases belong to an org's report: the org tree as it was on each date, or mapped to today's orgs.

Two bases, both read from the dated `OrgParentLink` rows and the `merged_into` successors that
`admission.party.services.orgs` writes (a restructuring closes links, it never rewrites them):

* ``today`` (the default): every cell is mapped to the org that carries it on today — itself while it exists,
  else its successor (`merged_into`), else the org it sat under when it closed — and a case counts for the report
  when that org lies in the report org's current subtree. Last year's figures of a commune formed by a merger
  therefore include its predecessors' admissions (domain.md §7, demo-and-reports.md A.5).
* ``then``: a case counts when its cell sat in the report org's subtree on the case's own date (decision date,
  nomination date …). This reproduces the report of a dissolved org exactly as it could have been printed then.

The org tree is small (a province has a few thousand orgs) and is walked in Python once per report; the cases
(hundreds of thousands) are only ever filtered and counted in SQL, through the `Q` objects built here.

Admissions are read from their `AdmissionSnapshot` (the cell and its org path on the decision date):
`snapshot_q` is the report's cells (one id list) for ``today``, and for ``then`` the snapshots whose path on the
decision date names the report org (`path__hasorg`, a GIN index on PostgreSQL). Other rows (the statistics' read
model, rolls, enrollments) are filtered by `q`: the report's cells for ``today``, one id list per distinct date
interval for ``then``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from admission.core.lookups import IdList
from admission.party.models.orgs import OrgKind, OrgParentLink, PartyOrg

TODAY = "today"
THEN = "then"
BASES = ((TODAY, _("Mapped to today's organisations")), (THEN, _("As the tree stood on each date")))

_CELL_KINDS = frozenset(OrgKind.cell_kinds())


@dataclass(frozen=True)
class Group:
    """Cells that belonged to the report through one branch (a direct unit of the report org) over [start, end)."""

    branch_id: int
    cell_ids: frozenset[int]
    start: date | None
    end: date | None


@dataclass
class Scope:
    root: PartyOrg
    basis: str
    groups: list[Group] = field(default_factory=list)
    branch_names: dict[int, str] = field(default_factory=dict)
    # ``today``: every org's carrier (itself while it exists, else its successor or former parent); ``then``: empty.
    carriers: dict[int, int] = field(default_factory=dict)
    # ``today``: dissolved cells carried into the report (the only ids the filters list).
    carried_cells: frozenset[int] = frozenset()
    # Memo of figures computed once per report (keyed by the caller).
    cache: dict[object, object] = field(default_factory=dict, repr=False)

    @cached_property
    def cell_ids(self) -> frozenset[int]:
        return frozenset().union(*(g.cell_ids for g in self.groups)) if self.groups else frozenset()

    @cached_property
    def cell_list(self) -> IdList:
        """The report's cells for `__anyof`, written out once per report."""
        return IdList(self.cell_ids)

    def q(
        self, *, cell_field: str, day_field: str | None = None, day: date | None = None, branch: int | None = None
    ) -> Q:
        """Rows whose cell (at `cell_field`, an ``…_id``) was in the report on their date (`day_field`) or on a fixed
        `day`."""
        if self.basis == TODAY and branch is None:
            return self._today_q(cell_field.removesuffix("_id"))
        intervals: dict[tuple[date | None, date | None], set[int]] = defaultdict(set)
        for group in self.groups:
            if branch is not None and group.branch_id != branch:
                continue
            if day is not None and not _covers(group.start, group.end, day):
                continue
            intervals[(group.start, group.end)].update(group.cell_ids)
        query = Q(pk__in=[])
        for (start, end), cells in intervals.items():
            part = Q(**{f"{cell_field}__anyof": self._id_list(frozenset(cells))})
            if day_field is not None and day is None:
                if start is not None:
                    part &= Q(**{f"{day_field}__gte": start})
                if end is not None:
                    part &= Q(**{f"{day_field}__lt": end})
            query |= part
        if day_field is not None and day is None and branch is None:
            # All the cells first: PostgreSQL reads them in one index range and checks the dates beside it (an
            # index-only read of the read model), where the OR of intervals alone made it OR bitmaps of the index
            # and visit the table (twice as slow). The same rows: every interval's cells are among them.
            query = Q(**{f"{cell_field}__anyof": self.cell_list}) & query
        return query

    def _today_q(self, relation: str) -> Q:
        """The report's cells as one id list: with the (cell, date) indexes of the counted tables the database
        reads only these cells' rows of the period, however big the rest of the country (a join on the cells' path
        made it read every row of the period, then drop the other provinces')."""
        return Q(**{f"{relation}_id__anyof": self.cell_list})

    def _id_list(self, cells: frozenset[int]) -> IdList:
        key = ("cells", cells)
        if key not in self.cache:
            self.cache[key] = IdList(cells)
        return self.cache[key]  # type: ignore[return-value]

    def snapshot_q(self) -> Q:
        """`AdmissionSnapshot` rows of the report: by the cell mapped to today's orgs, or by the path of their day
        (the path as it was recorded with the decision, so a later restructuring never moves a past admission)."""
        if self.basis == TODAY:
            return self._today_q("cell")
        return Q(path__hasorg=self.root.pk)

    def map_org(self, pk: int) -> int:
        """The org that carries `pk` today (``today``), or `pk` itself (``then``)."""
        return self.carriers.get(pk, pk)

    def branch_of(self, cell_id: int, path: str) -> int | None:
        """The report's unit a snapshot (its cell, its path on the decision date) counts under."""
        if self.basis == TODAY:
            return self._cell_branch().get(cell_id)
        parts = [int(part) for part in path.strip("/").split("/") if part]
        if self.root.pk not in parts:
            return None
        index = parts.index(self.root.pk)
        return parts[index + 1] if index + 1 < len(parts) else self.root.pk

    def _cell_branch(self) -> dict[int, int]:
        key = ("cell_branch",)
        if key not in self.cache:
            self.cache[key] = {cell: g.branch_id for g in self.groups for cell in g.cell_ids}
        return self.cache[key]  # type: ignore[return-value]

    def branches(self) -> list[tuple[int, str]]:
        """The report's units (direct children of the report org, or the org itself for a cell), by name."""
        ids = {g.branch_id for g in self.groups}
        return sorted(((pk, self.branch_names.get(pk, "")) for pk in ids), key=lambda item: item[1])


def _covers(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


def _intersect(
    a: tuple[date | None, date | None], b: tuple[date | None, date | None]
) -> tuple[date | None, date | None] | None:
    starts = [d for d in (a[0], b[0]) if d is not None]
    ends = [d for d in (a[1], b[1]) if d is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start is not None and end is not None and end <= start:
        return None
    return start, end


def build_scope(root: PartyOrg, *, basis: str = TODAY) -> Scope:
    """The cells of the report of `root`; a dissolved org is always reported as it was (basis ``then``)."""
    if root.valid_to is not None:
        basis = THEN
    if basis == THEN:
        return _scope_then(root)
    return _scope_today(root)


def _scope_today(root: PartyOrg) -> Scope:
    # The report org's subtree and every dissolved org: an org outside both exists, so it carries itself and lies
    # outside the report (the country's other provinces are not read).
    rows = {
        pk: (path, kind, valid_to, merged_into, parent)
        for pk, path, kind, valid_to, merged_into, parent in PartyOrg.objects.filter(
            Q(path__startswith=root.path) | Q(valid_to__isnull=False)
        ).values_list("pk", "path", "kind", "valid_to", "merged_into_id", "parent_id")
    }

    def carrier(pk: int) -> int:
        seen: set[int] = set()
        while pk not in seen:
            seen.add(pk)
            row = rows.get(pk)
            if row is None or row[2] is None:  # an existing org
                return pk
            nxt = row[3] or row[4]  # its successor, else the org it sat under
            if nxt is None:
                return pk
            pk = nxt
        return pk

    root_depth = len(root.path.strip("/").split("/"))
    by_branch: dict[int, set[int]] = defaultdict(set)
    for pk, (path, kind, valid_to, *_rest) in rows.items():
        if kind not in _CELL_KINDS:
            continue
        carrier_row = rows.get(carrier(pk)) if valid_to is not None else None
        carried_path = path if valid_to is None else (carrier_row[0] if carrier_row else "")
        if not carried_path.startswith(root.path):
            continue
        parts = carried_path.strip("/").split("/")
        branch = int(parts[root_depth]) if len(parts) > root_depth else root.pk
        by_branch[branch].add(pk)
    names = dict(PartyOrg.objects.filter(pk__in=list(by_branch)).values_list("pk", "name"))
    groups = [Group(branch, frozenset(cells), None, None) for branch, cells in by_branch.items()]
    # An existing org carries itself (`map_org`'s default): only the dissolved ones are written out.
    carriers = {pk: carrier(pk) for pk, row in rows.items() if row[2] is not None}
    carried = frozenset(pk for cells in by_branch.values() for pk in cells if rows[pk][2] is not None)
    return Scope(root, TODAY, groups, names, carriers=carriers, carried_cells=carried)


def _scope_then(root: PartyOrg) -> Scope:
    children: dict[int, list[tuple[int, date | None, date | None]]] = defaultdict(list)
    for org_id, parent_id, start, end in OrgParentLink.objects.values_list(
        "org_id", "parent_id", "valid_from", "valid_to"
    ):
        children[parent_id].append((org_id, start, end))
    kinds = dict(PartyOrg.objects.values_list("pk", "kind"))
    # (org, branch, interval) reached from the root; the walk is bounded by the tree's depth and the link count.
    spans: dict[tuple[int, int, date | None, date | None], None] = {}
    queue: list[tuple[int, int | None, tuple[date | None, date | None]]] = [
        (root.pk, None, (root.valid_from, root.valid_to))
    ]
    steps = 0
    while queue and steps < 1_000_000:
        steps += 1
        org_id, branch, span = queue.pop()
        key = (org_id, branch if branch is not None else root.pk, *span)
        if key in spans:
            continue
        spans[key] = None
        for child_id, start, end in children.get(org_id, []):
            inner = _intersect(span, (start, end))
            if inner is not None:
                queue.append((child_id, branch if branch is not None else child_id, inner))
    grouped: dict[tuple[int, date | None, date | None], set[int]] = defaultdict(set)
    for org_id, branch, start, end in spans:
        if kinds.get(org_id) in _CELL_KINDS:
            grouped[(branch, start, end)].add(org_id)
    groups = [Group(branch, frozenset(cells), start, end) for (branch, start, end), cells in grouped.items()]
    names = dict(PartyOrg.objects.filter(pk__in={g.branch_id for g in groups}).values_list("pk", "name"))
    return Scope(root, THEN, groups, names)
