"""Signals the domain sends so that the workflow layer can follow it without the domain importing viewflow.

`probation_changed` is sent (inside the transaction) by the probation services whose effect changes what the
probation's work should be, when they are called outside a flow task: the cell proposes a removal, the member is
transferred, a deadline is extended. `workflows` listens and re-routes the case's tasks.
"""

from __future__ import annotations

from django.dispatch import Signal

probation_changed = Signal()  # kwargs: candidate
