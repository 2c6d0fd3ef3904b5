"""Reading meetings: only participants and admins can tell a meeting exists."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.expressions import Case, Q, Subquery, When
from tortoise.queryset import QuerySet

from app.domain.access import can_see_meeting, meeting_scope
from app.domain.errors import NotFound, refuses
from app.domain.meetings import ACTIVE_STATUSES, MeetingStatus
from app.domain.people import Actor, Side
from app.models import ExpertProfile, Meeting, Note
from app.services.meeting_repository import parties_of
from app.services.pagination import Page, decode_time_cursor, encode_cursor, validate_page_size


@dataclass(frozen=True)
class MeetingFilter:
    statuses: tuple[MeetingStatus, ...] = ()
    side: Side | None = None
    """The viewer's side; for an admin with no side, every meeting."""
    starts_from: datetime | None = None
    starts_before: datetime | None = None
    updated_since: datetime | None = None
    """Changed at or after this instant (catching up after a disconnect)."""
    notes_missing: bool = False
    """Only the actor's completed sessions as their expert without notes, still open for them."""
    now: datetime | None = None
    """The service clock's now (for `notes_missing`)."""


MAX_INITIAL_FRAMES = 100


@refuses(NotFound)
async def get_meeting(actor: Actor, meeting_id: UUID) -> Meeting:
    row = await Meeting.filter(id=meeting_id).first()
    if row is None or not can_see_meeting(actor, parties_of(row)):
        raise NotFound("no such meeting")
    return row


async def list_meetings(actor: Actor, meeting_filter: MeetingFilter, first: int, after: str | None) -> Page[Meeting]:
    """Meetings ordered by start time, then id; forward pagination only. Requested sessions
    (no start yet) come first."""
    validate_page_size(first)
    query = _visible(actor, meeting_filter.side)
    if meeting_filter.statuses:
        query = query.filter(status__in=list(meeting_filter.statuses))
    if meeting_filter.starts_from is not None:
        query = query.filter(starts_at__gte=meeting_filter.starts_from)
    if meeting_filter.starts_before is not None:
        query = query.filter(starts_at__lt=meeting_filter.starts_before)
    if meeting_filter.updated_since is not None:
        query = query.filter(updated_at__gte=meeting_filter.updated_since)
    if meeting_filter.notes_missing:
        query = await _notes_missing(query, actor, meeting_filter.now)
    if after is not None:
        after_starts_at, after_id = decode_time_cursor(after)
        if after_starts_at is None:
            query = query.filter(Q(starts_at__isnull=True, id__gt=after_id) | Q(starts_at__isnull=False))
        else:
            query = query.filter(Q(starts_at__gt=after_starts_at) | Q(starts_at=after_starts_at, id__gt=after_id))
    rows = await _soonest_first(query).limit(first + 1)
    items = [(_cursor(row), row) for row in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


async def active_meetings(actor: Actor) -> list[Meeting]:
    """The viewer's awaiting, agreed and running meetings, soonest first (at most 100)."""
    query = _visible(actor, None).filter(status__in=list(ACTIVE_STATUSES))
    return list(await _soonest_first(query).limit(MAX_INITIAL_FRAMES))


async def changed_since(actor: Actor, since: datetime, only: UUID | None) -> list[Meeting]:
    """The viewer's meetings (or the one) changed at or after `since`, oldest change first
    (at most 100): what a subscription missed while its events were lost."""
    query = _visible(actor, None).filter(updated_at__gte=since)
    if only is not None:
        query = query.filter(id=only)
    return list(await query.order_by("updated_at", "id").limit(MAX_INITIAL_FRAMES))


async def _notes_missing(query: QuerySet[Meeting], actor: Actor, now: datetime | None) -> QuerySet[Meeting]:
    """The actor's completed sessions as their expert that have no note and whose notes
    window is still open (a closed one can never get notes)."""
    profile = await ExpertProfile.filter(user_id=actor.user_id).only("user_id", "notes_window_minutes").first()
    if profile is None or now is None:
        return query.filter(id__in=[])  # not an expert: no sessions of theirs
    opened_since = now - timedelta(minutes=profile.notes_window_minutes)
    return query.filter(expert_id=actor.user_id, status=MeetingStatus.COMPLETED, completed_at__gte=opened_since).filter(
        id__not_in=Subquery(Note.all().values("meeting_id"))
    )


def _soonest_first(query: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """By start, then id, with no start first on every database (SQLite sorts NULL first,
    PostgreSQL last)."""
    unscheduled_first = Case(When(starts_at__isnull=True, then="0"), default="1")
    return query.annotate(unscheduled_last=unscheduled_first).order_by("unscheduled_last", "starts_at", "id")


def _visible(actor: Actor, side: Side | None) -> QuerySet[Meeting]:
    """The meetings `actor` may list (domain/access.meeting_scope), as SQL."""
    scope = meeting_scope(actor, side)
    query = Meeting.all()
    if scope.client_id is not None:
        query = query.filter(client_id=scope.client_id)
    if scope.expert_id is not None:
        query = query.filter(expert_id=scope.expert_id)
    if scope.participant_id is not None:
        query = query.filter(Q(client_id=scope.participant_id) | Q(expert_id=scope.participant_id))
    return query


def _cursor(row: Meeting) -> str:
    starts_at = row.starts_at.isoformat() if row.starts_at else ""
    return encode_cursor(starts_at, str(row.id))
