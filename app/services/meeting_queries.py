"""Reading meetings: only participants and admins can tell a meeting exists."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tortoise.expressions import Q

from app.domain.errors import NotFound
from app.domain.meetings import MeetingStatus
from app.domain.access import can_see_meeting
from app.domain.people import Actor, Side
from app.models import Meeting
from app.services.meeting_repository import parties_of
from app.services.pagination import Page, decode_time_cursor, encode_cursor, validate_page_size


@dataclass(frozen=True)
class MeetingFilter:
    statuses: tuple[MeetingStatus, ...] = ()
    side: Side | None = None
    """The viewer's side; for an admin with no side, every meeting."""
    starts_from: datetime | None = None
    starts_before: datetime | None = None


async def get_meeting(actor: Actor, meeting_id: UUID) -> Meeting:
    row = await Meeting.filter(id=meeting_id).first()
    if row is None or not can_see_meeting(actor, parties_of(row)):
        raise NotFound("no such meeting")
    return row


async def list_meetings(
    actor: Actor, meeting_filter: MeetingFilter, first: int, after: str | None
) -> Page[Meeting]:
    """Meetings ordered by start time, then id; forward pagination only. Requested sessions
    (no start yet) come first: SQLite sorts NULL first."""
    validate_page_size(first)
    query = Meeting.all()
    if meeting_filter.side is Side.CLIENT:
        query = query.filter(client_id=actor.user_id)
    elif meeting_filter.side is Side.EXPERT:
        query = query.filter(expert_id=actor.user_id)
    elif not actor.is_admin:
        query = query.filter(Q(client_id=actor.user_id) | Q(expert_id=actor.user_id))
    if meeting_filter.statuses:
        query = query.filter(status__in=list(meeting_filter.statuses))
    if meeting_filter.starts_from is not None:
        query = query.filter(starts_at__gte=meeting_filter.starts_from)
    if meeting_filter.starts_before is not None:
        query = query.filter(starts_at__lt=meeting_filter.starts_before)
    if after is not None:
        after_starts_at, after_id = decode_time_cursor(after)
        if after_starts_at is None:
            query = query.filter(Q(starts_at__isnull=True, id__gt=after_id) | Q(starts_at__isnull=False))
        else:
            query = query.filter(
                Q(starts_at__gt=after_starts_at) | Q(starts_at=after_starts_at, id__gt=after_id)
            )
    rows = await query.order_by("starts_at", "id").limit(first + 1)
    items = [(_cursor(row), row) for row in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


def _cursor(row: Meeting) -> str:
    starts_at = row.starts_at.isoformat() if row.starts_at else ""
    return encode_cursor(starts_at, str(row.id))
