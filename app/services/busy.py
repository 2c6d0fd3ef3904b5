"""When a person is busy: the one query behind every overlap question.

A person is busy while an active meeting they take part in runs, on either
side (`ACTIVE_STATUSES`), and during times an expert's pending offer holds for
one of their meetings (for everyone but that meeting). An expert's imported
calendar blocks count too for the slots offered to clients (availability), not
for the expert's own actions. The database guard (migrations 0006 and 0007)
refuses the same overlaps for the expert of a meeting being written.
"""

import re
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from tortoise.expressions import Q
from tortoise.queryset import QuerySet, ValuesListQuery

from app.domain.availability import BusyTimes, Interval
from app.domain.meetings import ACTIVE_STATUSES
from app.models import BusyBlock, Meeting, OfferTime


def _meetings_occupying(person_id: UUID, starts_at: datetime, ends_at: datetime) -> QuerySet[Meeting]:
    return Meeting.filter(
        Q(expert_id=person_id) | Q(client_id=person_id),
        status__in=list(ACTIVE_STATUSES),
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def _held_times(expert_id: UUID, starts_at: datetime, ends_at: datetime) -> QuerySet[OfferTime]:
    return OfferTime.filter(expert_id=expert_id, held=True, starts_at__lt=ends_at, ends_at__gt=starts_at)


async def is_busy(
    person_id: UUID, starts_at: datetime, ends_at: datetime, exclude_meeting_id: UUID | None = None
) -> bool:
    """Busy apart from `exclude_meeting_id` (the meeting being moved, and what its offers hold)."""
    meetings = _meetings_occupying(person_id, starts_at, ends_at)
    held = _held_times(person_id, starts_at, ends_at)
    if exclude_meeting_id is not None:
        meetings = meetings.exclude(id=exclude_meeting_id)
        held = held.exclude(meeting_id=exclude_meeting_id)
    return await meetings.exists() or await held.exists()


async def busy_times(expert_id: UUID, range_from: datetime, range_to: datetime) -> BusyTimes:
    """What takes an expert's time within a range: their meetings, held offer times and
    imported blocks, read in one statement."""
    rows = await _union_all(
        _meetings_occupying(expert_id, range_from, range_to).values_list("starts_at", "ends_at"),
        _held_times(expert_id, range_from, range_to).values_list("starts_at", "ends_at"),
        BusyBlock.filter(expert_id=expert_id, starts_at__lt=range_to, ends_at__gt=range_from).values_list(
            "starts_at", "ends_at"
        ),
    )
    return BusyTimes(Interval(s, e) for s, e in rows)


_POSTGRES_PARAMETER = re.compile(r"\$(\d+)")


def _numbered_from(sql: str, offset: int) -> str:
    """PostgreSQL's $1, $2… moved on by `offset` (SQLite's ? have no numbers)."""
    return _POSTGRES_PARAMETER.sub(lambda match: f"${int(match.group(1)) + offset}", sql)


async def _union_all(*queries: ValuesListQuery[Literal[False]]) -> list[tuple[Any, ...]]:
    """Queries of the same columns as one statement (UNION ALL), read as the first would read
    its rows. Tortoise builds each query's SQL and parameters; this joins them (numbering
    PostgreSQL's parameters on), on the connection the first would use (the transaction's).
    It relies on ValuesListQuery's internals, behind the pinned tortoise-orm in the locks (the
    busy-time tests on SQLite and PostgreSQL fail if they change)."""
    statements: list[str] = []
    parameters: list[Any] = []
    for query in queries:
        query._choose_db_if_not_chosen()
        query._make_query()
        sql, values = query.query.get_parameterized_sql()
        statements.append(_numbered_from(sql, len(parameters)))
        parameters.extend(values)
    first = queries[0]
    _, rows = await first._db.execute_query(" UNION ALL ".join(statements), parameters)
    columns = [(key, first.resolve_to_python_value(first.model, name)) for key, name in first.fields.items()]
    return [tuple(convert(row[key]) for key, convert in columns) for row in rows]
