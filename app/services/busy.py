"""When a person is busy: the one query behind every overlap question.

A person is busy while an active meeting they take part in runs, on either
side (`ACTIVE_STATUSES`), and during times an expert's pending offer holds for
one of their meetings (for everyone but that meeting). An expert's imported
calendar blocks count too for the slots offered to clients (availability), not
for the expert's own actions. The database guard (migrations 0006 and 0007)
refuses the same overlaps for the expert of a meeting being written.
"""

from datetime import datetime
from uuid import UUID

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

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
    imported blocks."""
    meetings = await _meetings_occupying(expert_id, range_from, range_to).values_list("starts_at", "ends_at")
    blocks = await BusyBlock.filter(expert_id=expert_id, starts_at__lt=range_to, ends_at__gt=range_from).values_list(
        "starts_at", "ends_at"
    )
    held = await _held_times(expert_id, range_from, range_to).values_list("starts_at", "ends_at")
    return BusyTimes(Interval(s, e) for s, e in [*meetings, *held, *blocks])
