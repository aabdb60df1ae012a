"""Several small reads in one round trip.

A step that changes what the statistics count rebuilds a person's rows of the read model from seven small fact
tables and compares them with the two tables it writes: nine statements of a few rows each, where the waiting is
the round trips, not the work. `values_together` sends such `values_list()` reads as one statement on PostgreSQL:
each read becomes a scalar subquery that aggregates its rows into a JSON array, and the arrays come back in one row.
Elsewhere (SQLite) each read is its own query, as before.

Only what JSON carries without loss comes back unchanged: integers, text, booleans, nulls and JSON columns. Dates
and date-times are turned back into `date` and `datetime` here, from the output field of their column; a column of
another kind (a decimal, a float, a UUID) is refused rather than returned in a different type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import QuerySet

PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.JSONField,
    models.ForeignKey,
)


def _decoder(field: Any) -> Callable[[Any], Any] | None:
    """How to turn a JSON value of this column back into what the ORM would have given; None: as it is."""
    if isinstance(field, models.DateTimeField):
        return datetime.fromisoformat
    if isinstance(field, models.DateField):
        return date.fromisoformat
    if isinstance(field, PLAIN):
        return None
    raise TypeError(f"values_together cannot carry a {type(field).__name__} column without loss")


def values_together(querysets: Sequence[QuerySet[Any]]) -> list[list[tuple[Any, ...]]]:
    """The rows of each `values_list()` queryset (all on one database), in one statement on PostgreSQL. The rows of
    each read come in no particular order: sort them where order matters."""
    if not querysets:
        return []
    alias = querysets[0].db
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return [[tuple(row) for row in queryset] for queryset in querysets]
    parts: list[str] = []
    params: list[Any] = []
    decoders: list[list[Callable[[Any], Any] | None] | None] = []
    for queryset in querysets:
        if queryset.db != alias:
            raise ValueError("values_together reads from one database")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, query_params = compiler.as_sql()
        except EmptyResultSet:  # a read that can find nothing (`pk__in=[]`) sends nothing
            decoders.append(None)
            continue
        columns = [f"c{i}" for i in range(len(compiler.select))]
        values = ", ".join(f"t.{name}" for name in columns)
        parts.append(
            f"(SELECT COALESCE(json_agg(json_build_array({values})), '[]'::json) "
            f"FROM ({sql}) AS t({', '.join(columns)}))"
        )
        params.extend(query_params)
        decoders.append([_decoder(expression.output_field) for expression, _sql, _alias in compiler.select])
    found: list[Any] = []
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            found = list(cursor.fetchone())
    results: list[list[tuple[Any, ...]]] = []
    for decode in decoders:
        if decode is None:
            results.append([])
            continue
        rows = found.pop(0)
        results.append(
            [
                tuple(
                    value if fn is None or value is None else fn(value) for fn, value in zip(decode, row, strict=True)
                )
                for row in rows
            ]
        )
    return results
