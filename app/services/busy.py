"""When a person is busy: the one query behind every overlap question.

A person is busy while an active meeting they take part in runs, on either
side (`ACTIVE_STATUSES`). An expert's imported calendar blocks count too for
the slots offered to clients (availability), not for the expert's own actions.
The database guard (migration 0006) refuses the same overlaps for the expert
of a meeting being written.
"""

from datetime import datetime
from uuid import UUID

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from app.domain.availability import BusyTimes, Interval
from app.domain.meetings import ACTIVE_STATUSES
from app.models import BusyBlock, Meeting


def _meetings_occupying(person_id: UUID, starts_at: datetime, ends_at: datetime) -> QuerySet[Meeting]:
    return Meeting.filter(
        Q(expert_id=person_id) | Q(client_id=person_id),
        status__in=list(ACTIVE_STATUSES),
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


async def is_busy(
    person_id: UUID, starts_at: datetime, ends_at: datetime, exclude_meeting_id: UUID | None = None
) -> bool:
    query = _meetings_occupying(person_id, starts_at, ends_at)
    if exclude_meeting_id is not None:
        query = query.exclude(id=exclude_meeting_id)
    return await query.exists()


async def busy_times(expert_id: UUID, range_from: datetime, range_to: datetime) -> BusyTimes:
    """What takes an expert's time within a range: their meetings and imported blocks.

    Times held by pending offers join here when offers arrive.
    """
    meetings = await _meetings_occupying(expert_id, range_from, range_to).values_list(
        "starts_at", "ends_at"
    )
    blocks = await BusyBlock.filter(
        expert_id=expert_id, starts_at__lt=range_to, ends_at__gt=range_from
    ).values_list("starts_at", "ends_at")
    return BusyTimes(Interval(s, e) for s, e in [*meetings, *blocks])
