"""Trust: the tamper-evident history (a hash chain over every state change, task completion, vote, decision,
consent and delegation, append-only in the database) and the log of who read a person's personal data.

- `models.py`: `HistoryEntry` (the chain; no row is ever updated or deleted) and `PersonalDataRead`.
- `chain.py`: how an entry is hashed and appended; `sources.py`: which records are chained and their key fields
  (wired to `post_save`, so services, flows, imports and the demo all write through the same path).
- `verify.py`: recompute the chain and compare it with the records (`manage.py history_verify`).
- `access.py`: record a read (the middleware keyed on URL routes, and the helper the exports call);
  `selectors.py` + `views.py`: who read a person's data, for the unit's leaders, administrators and the person.

It sits above probation (it reads the records of every part) and below the documents, reports, imports and the
case page, which print the chain head or log their own reads.
"""
