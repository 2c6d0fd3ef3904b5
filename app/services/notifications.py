"""Notifications: written with the change they tell of; the viewer lists and marks them read."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from tortoise.expressions import Q

from app.domain.errors import InvalidInput, NotFound, refuses
from app.domain.notifications import Channel, PlannedNotification
from app.domain.people import Actor, Parties
from app.domain.schedule import JobKind
from app.events import topics
from app.events.broker import Event
from app.models import Notification, ScheduledJob
from app.services.pagination import Page, decode_time_cursor, encode_cursor, validate_page_size
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work

MAX_IDS_PER_CALL = 100


async def list_notifications(actor: Actor, *, unread_only: bool, first: int, after: str | None) -> Page[Notification]:
    validate_page_size(first)
    query = Notification.filter(recipient_id=actor.user_id)
    if unread_only:
        query = query.filter(read_at__isnull=True)
    if after is not None:
        created_at, after_id = decode_time_cursor(after)
        query = query.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=after_id))
    rows = await query.order_by("-created_at", "-id").limit(first + 1)
    items = [(encode_cursor(r.created_at.isoformat(), str(r.id)), r) for r in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


async def unread_count(actor: Actor) -> int:
    return await Notification.filter(recipient_id=actor.user_id, read_at__isnull=True).count()


@refuses(InvalidInput, NotFound)
async def mark_notifications_read(runtime: Runtime, actor: Actor, ids: Sequence[UUID] | None) -> int:
    """Marks the given notifications (all when `ids` is None) read; returns how many changed.

    Ids that are not the viewer's are ignored, exactly like unknown ids.
    """
    if ids is not None and not 1 <= len(ids) <= MAX_IDS_PER_CALL:
        raise InvalidInput(f"give 1 to {MAX_IDS_PER_CALL} ids, or none to mark all")
    async with unit_of_work(runtime):
        query = Notification.filter(recipient_id=actor.user_id, read_at__isnull=True)
        if ids is not None:
            query = query.filter(id__in=list(ids))
        return await query.update(read_at=runtime.clock.now())


async def deliver(
    uow: UnitOfWork,
    meeting_id: UUID,
    parties: Parties,
    planned: Sequence[PlannedNotification],
    now: datetime,
) -> None:
    """Stores each planned notification for its recipient, plans its e-mail (a SEND_EMAIL
    job, in the same transaction) and tells their subscriptions."""
    for plan in planned:
        recipient_id = parties.id_of(plan.recipient)
        notification = await Notification.create(
            id=uuid4(),
            recipient_id=recipient_id,
            type=plan.type,
            meeting_id=meeting_id,
            text=plan.text,
            channels=[Channel.DASHBOARD.value, Channel.EMAIL.value],
            created_at=now,
        )
        await ScheduledJob.create(
            kind=JobKind.SEND_EMAIL, notification=notification, meeting_version=0, due_at=now, created_at=now
        )
        uow.publish_after_commit(
            Event(
                topics.user_notifications(recipient_id),
                "notification",
                {"notification_id": str(notification.id)},
            )
        )
