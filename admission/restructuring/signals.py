"""Sent inside the transaction that applied a restructuring, after the domain records followed it: the workflow app
moves the open tasks of the cases concerned to the successors' queues (`workflows.restructuring`). Arguments:
`operation`, `candidate_ids` (the open cases concerned), `org_ids` (the org and its successor or new superior)."""

from django.dispatch import Signal

restructuring_applied = Signal()
