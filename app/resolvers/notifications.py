from typing import Annotated

import strawberry

from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.account_inputs import MarkNotificationsReadInput
from app.schema.account_results import MarkNotificationsReadResult, NotificationsMarked
from app.schema.context import Info
from app.schema.notifications import Notification
from app.schema.pagination import Connection
from app.services import notifications


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
) -> MarkNotificationsReadResult:
    actor = viewer_of(info)
    ids = None if input.ids is None else [parse_id(i, "notification") for i in input.ids]
    marked = await notifications.mark_notifications_read(info.context.runtime, actor, ids)
    return NotificationsMarked(marked_count=marked, unread_count=await notifications.unread_count(actor))
