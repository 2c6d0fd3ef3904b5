from collections.abc import AsyncGenerator
from typing import Annotated
from uuid import UUID

import strawberry

from app.domain.preferences import ChannelChoice
from app.events import topics
from app.events.broker import RESUMED
from app.models import Notification as NotificationRow
from app.resolvers import live
from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.accounts.users import User
from app.schema.context import Info
from app.schema.notifications.operations import (
    MarkNotificationsReadInput,
    MarkNotificationsReadResult,
    NotificationsMarked,
    SetNotificationPreferencesInput,
    SetNotificationPreferencesResult,
)
from app.schema.notifications.types import Notification
from app.schema.pagination import Connection
from app.services import notifications, preferences


async def notifications_connection(
    info: Info,
    unread_only: Annotated[bool, strawberry.argument(description="Only those not marked read.")] = False,
    first: Annotated[int, FIRST] = 20,
    after: Annotated[str | None, AFTER] = None,
) -> Connection[Notification]:
    actor = viewer_of(info)
    with refusals_as_errors():
        page = await notifications.list_notifications(actor, unread_only=unread_only, first=first, after=after)
    return Connection.from_page(page, Notification.from_model)


async def mark_notifications_read(
    info: Info, input: Annotated[MarkNotificationsReadInput, INPUT]
) -> NotificationsMarked:
    actor = viewer_of(info)
    ids = None if input.ids is None else [parse_id(i, "notification") for i in input.ids]
    marked = await notifications.mark_notifications_read(info.context.runtime, actor, ids)
    return NotificationsMarked(marked_count=marked, unread_count=await notifications.unread_count(actor))


async def set_notification_preferences(info: Info, input: Annotated[SetNotificationPreferencesInput, INPUT]) -> User:
    by_type = None
    if input.by_type is not None:
        by_type = {choice.type.value: ChannelChoice(choice.email, choice.sms) for choice in input.by_type}
    row = await preferences.set_notification_preferences(
        info.context.runtime,
        viewer_of(info),
        phone_number=input.phone_number,
        email=input.email,
        sms=input.sms,
        by_type=by_type,
    )
    return User.from_model(row)


@strawberry.type
class NotificationQueries:
    notifications = strawberry.field(resolver=notifications_connection, description="Your notifications, newest first.")


@strawberry.type
class NotificationMutations:
    mark_notifications_read = strawberry.mutation(
        resolver=mark_notifications_read,
        graphql_type=MarkNotificationsReadResult,
        description="Mark some or all of your notifications read.",
    )
    set_notification_preferences = strawberry.mutation(
        resolver=set_notification_preferences,
        graphql_type=SetNotificationPreferencesResult,
        description="Your phone number, and where your notifications go: e-mail and text messages, by default "
        "and per type (the dashboard has them all).",
    )


async def notification_added(info: Info) -> AsyncGenerator[Notification, None]:
    """Each new notification of the viewer, as it is written (after its change commits)."""
    viewer = viewer_of(info)
    sent: set[UUID] = set()
    async with live.live(info, viewer, [topics.user_notifications(viewer.user_id)]) as events:
        async for event in events:
            mine = NotificationRow.filter(recipient_id=viewer.user_id)
            if event.kind == RESUMED:  # those written while events were lost
                rows = await mine.filter(created_at__gte=live.since(event)).order_by("sequence")
            else:
                rows = await mine.filter(id=str(event.payload["notification_id"]))
            for row in rows:
                if row.id not in sent:
                    sent.add(row.id)
                    yield Notification.from_model(row)


@strawberry.type
class NotificationSubscriptions:
    notification_added = strawberry.subscription(
        resolver=notification_added,
        description="Each new notification for you, as it is made.",
    )
