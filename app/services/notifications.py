"""Notifications: written with the change they tell of; the viewer lists and marks them read."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.errors import InvalidInput, NotFound, refuses
from app.domain.mail import EmailDelivery
from app.domain.notifications import Channel, PlannedNotification, SmsDelivery
from app.domain.people import Actor, Parties
from app.domain.schedule import JobKind
from app.events import topics
from app.events.broker import Event
from app.models import Notification, ScheduledJob
from app.services.pagination import NOT_A_CURSOR, Page, decode_cursor, encode_cursor, validate_page_size
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work

MAX_IDS_PER_CALL = 100


async def list_notifications(actor: Actor, *, unread_only: bool, first: int, after: str | None) -> Page[Notification]:
    validate_page_size(first)
    query = Notification.filter(recipient_id=actor.user_id)
    if unread_only:
        query = query.filter(read_at__isnull=True)
    if after is not None:
        query = query.filter(sequence__lt=_sequence_of(after))
    rows = await query.order_by("-sequence").limit(first + 1)
    items = [(encode_cursor(str(r.sequence), str(r.id)), r) for r in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)


def _sequence_of(cursor: str) -> int:
    sequence, _id = decode_cursor(cursor)
    try:
        return int(sequence)
    except ValueError as exc:
        raise InvalidInput(NOT_A_CURSOR) from exc


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
        await notify(uow, parties.id_of(plan.recipient), plan.type, plan.text, now, meeting_id=meeting_id)


async def notify(
    uow: UnitOfWork,
    recipient_id: UUID,
    type_: str,
    text: str,
    now: datetime,
    *,
    meeting_id: UUID | None = None,
    email: bool = True,
) -> None:
    """One notification: stored, its e-mail and text message planned (a SEND_EMAIL job in the
    same transaction; the recipient's preferences decide when it runs) unless `email` is off,
    and the recipient's subscriptions told after the commit."""
    channels = [Channel.DASHBOARD, Channel.EMAIL] if email else [Channel.DASHBOARD]
    notification = await Notification.create(
        id=uuid4(),
        recipient_id=recipient_id,
        type=type_,
        meeting_id=meeting_id,
        text=text,
        channels=[channel.value for channel in channels],
        email_delivery=EmailDelivery.PENDING if email else EmailDelivery.NONE,
        sms_delivery=None if email else SmsDelivery.NONE,  # decided by the job, if it has one
        created_at=now,
    )
    if email:
        uow.plan_jobs(
            ScheduledJob(
                kind=JobKind.SEND_EMAIL, notification=notification, meeting_version=0, due_at=now, created_at=now
            )
        )
    uow.publish_after_commit(
        Event(topics.user_notifications(recipient_id), "notification", {"notification_id": str(notification.id)})
    )
